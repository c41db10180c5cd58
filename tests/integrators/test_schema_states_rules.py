"""The OpenAPI document states the rules the API enforces (contract §12): for each rule, a
value the document allows is taken and a value it refuses is refused, over HTTP, and the
document's own pattern (read as a client reads it) agrees."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.access.bodies import WS_CHARS
from oversight.bulletins import indicators
from oversight.bulletins.indicator_patterns import PATTERNS
from oversight.bulletins.models import IndicatorType
from tests.support import reports
from tests.support.admin import AGENCIES
from tests.support.api_schema import SCHEMA
from tests.support.bulletins import API as BULLETINS
from tests.support.bulletins import create
from tests.support.bulletins import payload as _bulletin
from tests.support.meetings import MEETINGS, create_meeting, if_match

COMPONENTS = SCHEMA["components"]["schemas"]


def _indicator_pattern(kind: str) -> str:
    [rule] = [
        r["properties"]["value"]["pattern"]
        for r in COMPONENTS["Indicator"]["anyOf"]
        if r["properties"]["type"]["const"] == kind
    ]
    return rule


LABEL = "a" * 63
DOMAIN_253 = ".".join([LABEL, LABEL, LABEL, "b" * 58, "ex"])
assert len(DOMAIN_253) == 253  # the longest name DNS takes
INDICATORS = [
    ("ipv4", "198.51.100.7", True),
    ("ipv4", " 198.51.100.0/24 ", True),
    ("ipv4", "198.51.100.07", False),
    ("ipv4", "198.51.100.0/33", False),
    ("ipv6", "2001:DB8::1", True),
    ("ipv6", "::ffff:198.51.100.7", True),
    ("ipv6", "2001:db8::/32", True),
    ("ipv6", "fe80::1%eth0", False),  # a zone id: the address parser took it once
    ("ipv6", "2001:db8:::1", False),
    ("domain", "xn--bcher-kva.example", True),
    ("domain", "login.example.", True),
    ("domain", DOMAIN_253, True),
    ("domain", DOMAIN_253 + ".", True),
    ("domain", "c" + DOMAIN_253, False),
    ("domain", "bücher.example", False),  # internationalised: in its xn-- form
    ("domain", "example.123", False),
    ("domain", "-bad-.example", False),
    ("url", "https://portal.example:8443/login?next=%2F#top", True),
    ("url", "http://[2001:db8::1]/x", True),
    ("url", "HTTPS://user:pw@198.51.100.7/", True),
    ("url", "https://portal.example:65536/", False),
    ("url", "https://bücher.example/", False),
    ("url", "ftp://files.example/x", False),
    ("url", "https://portal.example/a b", False),
    ("email", "payroll@invoice-portal.example", True),
    ("email", "x" * 64 + "@invoice-portal.example", True),
    ("email", "x" * 65 + "@invoice-portal.example", False),
    ("email", "pay..roll@invoice-portal.example", False),
    ("email", ".payroll@invoice-portal.example", False),
    ("sha256", "A" * 64, True),
    ("sha256", "a" * 63, False),
    ("md5", "d41d8cd98f00b204e9800998ecf8427e", True),
    ("cve", "cve-2024-21413", True),
    ("cve", "CVE-1998-0001", False),
    ("filename", "Invoice_0423.pdf.exe", True),
    ("filename", "x" * 255, True),
    ("filename", " report.doc\u3000", True),
    ("filename", "x" * 256, False),
    ("filename", "a\x85b.exe", False),  # a C1 control character
    ("filename", "..", False),
    ("filename", "dir/evil.exe", False),
]


@pytest.mark.parametrize(("kind", "value", "valid"), INDICATORS)
def test_indicator_values_follow_their_declared_pattern(client, factory, auth, kind, value, valid):
    assert bool(re.search(_indicator_pattern(kind), value)) is valid  # as a client checks
    body = {"indicators": [{"type": kind, "value": value}]}
    r = client.post(BULLETINS, json=_bulletin(**body), headers=auth(factory.user(roles=["editor"])))
    if valid:
        assert r.status_code == 201, r.text
        kept = r.json()["indicators"][0]["value"]
        assert kept == indicators.check(IndicatorType(kind), value.strip(WS_CHARS))
    else:
        assert r.status_code == 422, r.text
        [error] = r.json()["errors"]
        assert error["loc"] == ["body", "indicators", 0, "value"]
        assert value not in error["msg"]  # an indicator may be sensitive: never echoed


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_whatever_a_pattern_allows_its_type_takes(data):
    """Every value drawn from a type's pattern passes its check (the pattern is the rule, and
    it takes nothing the checks that normalise would refuse)."""
    kind = data.draw(st.sampled_from(list(PATTERNS)))
    value = data.draw(st.from_regex(PATTERNS[kind]))
    indicators.check(kind, value.strip(WS_CHARS))


@pytest.mark.parametrize(
    ("reference", "valid"),
    [("https://advisory.example/2024/17", True), ("https://bücher.example/", False)],
)
def test_references_are_urls_as_declared(client, factory, auth, reference, valid):
    pattern = COMPONENTS["BulletinCreate"]["properties"]["references"]["items"]["pattern"]
    assert bool(re.search(pattern, reference)) is valid
    r = client.post(
        BULLETINS,
        json=_bulletin(references=[reference]),
        headers=auth(factory.user(roles=["editor"])),
    )
    assert r.status_code == (201 if valid else 422), r.text


# Trimmed as JSON Schema's `\s` counts white space: U+FEFF is, U+0085 and U+001C are not
# (Python's str.strip() says the opposite of each).
TRIMMED = [("\ufeffab\ufeff", False), ("\x85ab\x85", True), ("\x1cab", True), (" abc ", True)]


@pytest.mark.parametrize(("title", "valid"), TRIMMED)
def test_a_title_is_trimmed_of_what_the_schema_calls_white_space(
    client, factory, auth, title, valid
):
    schema = COMPONENTS["BulletinCreate"]["properties"]["title"]
    assert (bool(re.search(schema["pattern"], title)) and len(title) >= 3) is valid
    r = client.post(
        BULLETINS, json=_bulletin(title=title), headers=auth(factory.user(roles=["editor"]))
    )
    assert r.status_code == (201 if valid else 422), r.text
    if valid:
        assert r.json()["title"] == title.strip(WS_CHARS)


def test_meeting_titles_and_agency_names_are_trimmed_too(client, factory, auth):
    editor = auth(factory.user(roles=["editor"]))
    assert re.search(COMPONENTS["MeetingCreate"]["properties"]["title"]["pattern"], "\x85")
    assert not re.search(COMPONENTS["MeetingCreate"]["properties"]["title"]["pattern"], " \u2028")
    m = create_meeting(client, editor, title="  Board \u3000")
    assert m["title"] == "Board"
    r = client.post(
        MEETINGS,
        json={"title": " \u00a0\t", "held_at": "2026-01-01T10:00:00Z", "tlp": "GREEN"},
        headers=editor,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "title"]
    admin = auth(factory.user(roles=["admin"]))
    r = client.post(AGENCIES, json={"name": "\ufeffX\ufeff", "sector": "other"}, headers=admin)
    assert r.status_code == 422, r.text  # one character once trimmed: at least two
    r = client.post(
        AGENCIES, json={"name": "\x85X", "slug": "x-85", "sector": "other"}, headers=admin
    )
    assert r.status_code == 201 and r.json()["name"] == "\x85X"


def _nullable(component: str, field: str) -> bool:
    schema = COMPONENTS[component]["properties"][field]
    return any(b.get("type") == "null" for b in schema.get("anyOf", ()))


def test_a_partial_update_takes_null_exactly_where_the_document_says(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    b = create(client, h)
    url = f"{BULLETINS}/{b['id']}"
    assert not _nullable("BulletinUpdate", "title") and _nullable("BulletinUpdate", "review_by")
    r = client.patch(url, json={"title": None}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "title"]
    r = client.patch(url, json={"review_by": None}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    m = create_meeting(client, h, location="County Hall")
    assert _nullable("MeetingPatch", "location") and not _nullable("MeetingPatch", "agenda")
    r = client.patch(f"{MEETINGS}/{m['id']}", json={"agenda": None}, headers=if_match(h, m))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "agenda"]
    r = client.patch(f"{MEETINGS}/{m['id']}", json={"location": None}, headers=if_match(h, m))
    assert r.status_code == 200 and r.json()["location"] is None


@pytest.mark.parametrize(("day", "valid"), [("1999-12-31", False), ("2000-01-01", True)])
def test_a_report_occurred_on_or_after_2000_as_declared(client, factory, auth, day, valid):
    schema = COMPONENTS["ReportCreate"]["properties"]["occurred_on"]
    assert bool(re.search(schema["pattern"], day)) is valid
    h = auth(factory.user(roles=["editor"]))
    r = client.post(reports.API, json=reports.payload(occurred_on=day), headers=h)
    assert r.status_code == (201 if valid else 422), r.text
