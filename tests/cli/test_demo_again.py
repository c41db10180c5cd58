"""A second look at the demo: `oversight demo --logins` prints the logins again."""

from pathlib import Path

from oversight.demo.identity import PASSWORDS, USERS


def test_demo_logins_again(oversight, fresh_db):
    assert oversight("demo", "--json").code == 0
    again = oversight("demo", "--logins", "--json").json()
    assert [login["email"] for login in again["logins"]] == [email for email, *_ in USERS]
    assert {login["password"] for login in again["logins"]} == set(PASSWORDS.values())
    text = oversight("demo", "--logins")
    assert text.code == 0 and "admin@county.example" in text.out
    assert "oversight service-accounts rotate" in text.out
    refused = oversight("demo", "--json")
    assert refused.code == 1 and "not empty" in refused.error


def test_a_second_make_run_says_how_to_see_the_logins_again_or_start_over(oversight, fresh_db):
    first = oversight("demo", "--if-empty")
    assert first.code == 0 and "Demo logins" in first.out
    again = oversight("demo", "--if-empty")
    assert again.code == 0 and again.err == ""
    assert again.out.splitlines()[:3] == [
        "The database already holds data: the demo set is not loaded again.",
        "  See the demo logins again:  .venv/bin/oversight demo --logins",
        "  Start over with a new demo: rm -f var/oversight.db* && make run",
    ]
    assert oversight("demo", "--if-empty", "--json").json() == {"loaded": False}
    assert oversight("demo", "--logins").code == 0  # the command it names works
    makefile = (Path(__file__).parents[2] / "Makefile").read_text()
    assert "oversight demo --if-empty" in makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]


def test_demo_logins_on_a_database_without_the_demo(oversight, fresh_db):
    oversight("bootstrap", "--agency", "Secretariat", "--email", "a@example.org")
    ran = oversight("demo", "--logins", "--json")
    assert ran.code == 1
    assert ran.error == "no demo user is in this database: load the demo set with `oversight demo`"
