"""`oversight board-update` writes the document the API gives, as the member it names."""

import json


def test_a_chair_writes_the_update_in_every_format(cli, tmp_path):
    assert cli("demo", "--json").exit_code == 0
    args = ["board-update", "--from", "2019-06-01", "--to", "2020-05-31"]
    as_member = ["--as", "member@eastvale.example"]
    r = cli(*args, "--format", "json", *as_member)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["threat_picture"]["summary"]["reports"] == 734
    assert doc["tlp"] in {"GREEN", "AMBER", "AMBER+STRICT"}
    md = cli(*args, "--format", "md", *as_member)
    assert md.exit_code == 0 and "# Cybercrime update, 2019-06-01 to 2020-05-31" in md.output
    out = tmp_path / "update.html"
    page = cli(*args, "--format", "html", *as_member, "--output", str(out))
    assert page.exit_code == 0 and out.read_text().count("<svg") == 2
    nobody = cli(*args, "--as", "nobody@example.org")
    assert nobody.exit_code != 0 and "no active member" in nobody.output
    bad = cli("board-update", "--from", "June", "--to", "2020-05-31", *as_member)
    assert bad.exit_code != 0
