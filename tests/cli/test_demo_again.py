"""A second look at the demo: `oversight demo --logins` prints the logins again."""

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


def test_demo_logins_on_a_database_without_the_demo(oversight, fresh_db):
    oversight("bootstrap", "--agency", "Secretariat", "--email", "a@example.org")
    ran = oversight("demo", "--logins", "--json")
    assert ran.code == 1
    assert ran.error == "no demo user is in this database: load the demo set with `oversight demo`"
