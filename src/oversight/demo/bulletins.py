"""Threat bulletins on the threats the partnership names, across every TLP level.

Loaded through the bulletin service as the editors who would write them, so each demo login
sees a different set: the police member sees its agency's AMBER+STRICT notes, the councils
see the Office 365 bulletin addressed to them, the ROCU member the RED one naming them, and
everyone signed in the CLEAR and GREEN ones. Indicators use documentation address ranges
and `.example` domains; the CVEs are real, public advisories.

Each step is dated in the months before the day of loading (`clock_from`), so the rows, their
revisions and acknowledgements, the audit trail, the change feed and the TAXII versions all
carry the same story's dates: the first bulletins were published before the board met (some
ten weeks ago, see `meetings`), the rest between the board and the later meeting two weeks
ago, and one is still a draft begun since.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oversight.accounts.models import User
from oversight.actions import clock
from oversight.audit.recorder import set_actor
from oversight.auth.principal import Principal
from oversight.auth.scopes import scopes_for_roles
from oversight.bulletins import samples, service
from oversight.bulletins.schemas import BulletinCreate, BulletinUpdate
from oversight.db import clock_from
from oversight.demo.identity import Identity

POLICE = "editor@police.example"
CRC = "editor@crc.example"

# (author, create fields, days ago it was written, days ago it was published (None: a draft),
#  then: (days ago, edit fields | "withdraw: reason") | None), in the days before loading.
BULLETINS: list[tuple[str, dict[str, Any], int, int | None, Any]] = [
    (
        POLICE,
        samples.RANSOMWARE | {"tlp": "CLEAR"},
        97,
        96,
        (82, {"indicators_add": samples.UPDATE_EDIT["indicators"][-1]}),
    ),
    (CRC, samples.CREATE_GREEN, 90, 89, None),
    (
        POLICE,
        {
            "title": "Targeted hacking of businesses for customer data via file-transfer servers",
            "summary": "A data-theft group is exploiting managed file-transfer software to copy "
            "customer records, then extorting the businesses.",
            "body": "Victims so far are a recruitment agency and a logistics firm. The group "
            "leaves a web shell on the file-transfer server and downloads whole databases.",
            "category": "data_theft",
            "severity": "critical",
            "sectors": ["sme", "large_business"],
            "indicators": [
                {"type": "cve", "value": "CVE-2023-34362", "description": "MOVEit Transfer"},
                {"type": "filename", "value": "human2.aspx", "description": "Web shell"},
                {"type": "md5", "value": "7e5a3b2f9c1d4e6a8b0c2d4f6a8c0e2b"},
                {"type": "ipv4", "value": "192.0.2.199"},
            ],
            "recommended_actions": ["Search web servers for unexpected .aspx files"],
            "tlp": "AMBER",
        },
        61,
        60,
        None,
    ),
    (
        POLICE,
        {key: value for key, value in samples.CREATE_AMBER.items() if key != "recipient_agencies"}
        | {"recipients": ["county-council", "eastvale-council", "westmoor-council"]},
        48,
        47,
        None,
    ),
    (
        POLICE,
        {
            "title": "Ransomware affiliate infrastructure under investigation",
            "summary": "Servers linked to the SME ransomware series; do not contact hosts.",
            "body": "Internal to the cyber crime unit while enquiries continue.",
            "category": "ransomware",
            "severity": "high",
            "sectors": ["sme"],
            "indicators": [{"type": "ipv4", "value": "198.51.100.88"}],
            "tlp": "AMBER+STRICT",
        },
        35,
        34,
        None,
    ),
    (
        POLICE,
        {
            "title": "Data-theft extortion of local manufacturers: coordination with the ROCU",
            "summary": "Three manufacturers received extortion emails quoting stolen drawings.",
            "body": "Shared with the regional unit for tasking.",
            "category": "data_theft",
            "severity": "high",
            "sectors": ["large_business"],
            "indicators": [{"type": "email", "value": "leaks-desk@protonmail.example"}],
            "tlp": "AMBER+STRICT",
            "recipients": ["rocu"],
        },
        28,
        27,
        None,
    ),
    (
        POLICE,
        {
            "title": "Suspect identified in social media account takeover series",
            "summary": "Named suspect; for the regional unit's financial investigator only.",
            "body": "Details of the suspect and linked accounts are held by the author.",
            "category": "account_takeover",
            "severity": "medium",
            "sectors": ["individuals"],
            "tlp": "RED",
            "named": ["member@rocu.example"],
        },
        22,
        21,
        None,
    ),
    (
        CRC,
        {
            "title": "MFA fatigue attacks on Office 365 accounts of small charities",
            "summary": "Draft: repeated sign-in prompts until a user approves one.",
            "body": "Being written with the voluntary sector network.",
            "category": "account_takeover",
            "severity": "medium",
            "sectors": ["charity"],
            "tlp": "GREEN",
        },
        6,
        None,
        None,
    ),
    (
        CRC,
        {
            "title": "Fake supplier invoices sent from compromised Office 365 mailboxes",
            "summary": "Superseded by the Office 365 bulletin for councils.",
            "body": "Invoices with changed bank details, sent from real supplier mailboxes.",
            "category": "fraud",
            "severity": "medium",
            "sectors": ["sme", "public_sector"],
            "indicators": [{"type": "url", "value": "http://invoice-view.example/doc"}],
            "tlp": "GREEN",
        },
        71,
        70,
        (46, "withdraw: Superseded by the Office 365 bulletin"),
    ),
]


# The councils confirm receipt of the Office 365 bulletin addressed to them: (email, days ago).
OFFICE_365 = 3
ACKNOWLEDGED: list[tuple[str, int]] = [
    ("member@county.example", 46),
    ("member@eastvale.example", 44),
]


def _principal(session: Session, email: str) -> Principal:
    user = session.scalars(select(User).where(User.email == email)).one()
    roles = frozenset(user.roles)
    principal = Principal("user", user.id, user.agency_id, roles, scopes_for_roles(roles))
    set_actor(session, principal.actor)
    return principal


def _at(today: date, days_ago: int, hour: int) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(hour, 0), tzinfo=UTC)


def load(session: Session, ident: Identity) -> list[dict[str, str]]:
    """Create the bulletins in the caller's transaction, each step at its day in the story;
    answers their titles and TLPs."""
    today = clock.today()
    made: list[Any] = [None] * len(BULLETINS)
    steps: list[tuple[datetime, Callable[[], None]]] = []

    def write(i: int, author: str, fields: dict[str, Any], written: date) -> None:
        fields = dict(fields)
        slugs = fields.pop("recipients", [])
        emails = fields.pop("named", [])
        fields["recipient_agencies"] = [ident.agencies[s].id for s in slugs]
        fields["recipient_users"] = [
            session.scalars(select(User.id).where(User.email == e)).one() for e in emails
        ]
        if "review_by" in fields:  # half a year after it was written
            fields["review_by"] = written + timedelta(days=182)
        made[i] = service.create(
            session, _principal(session, author), BulletinCreate.model_validate(fields)
        )

    def publish(i: int, author: str) -> None:
        made[i] = service.publish(session, _principal(session, author), made[i].id, made[i].version)

    def then(i: int, author: str, fields: dict[str, Any], step: Any) -> None:
        writer = _principal(session, author)
        bulletin = made[i]
        if isinstance(step, dict):
            added = step["indicators_add"]
            update = BulletinUpdate(indicators=[*fields.get("indicators", []), added])
            made[i] = service.update(session, writer, bulletin.id, update, bulletin.version)
        else:
            reason = step.removeprefix("withdraw: ")
            made[i] = service.withdraw(session, writer, bulletin.id, reason, bulletin.version)

    def acknowledge(email: str) -> None:
        principal = _principal(session, email)
        service.acknowledge(session, principal, made[OFFICE_365].id, "Passed to our IT provider")

    for i, (author, fields, written, published, after) in enumerate(BULLETINS):
        day = today - timedelta(days=written)
        steps.append(
            (_at(today, written, 9), lambda i=i, a=author, f=fields, d=day: write(i, a, f, d))
        )
        if published is not None:
            steps.append((_at(today, published, 11), lambda i=i, a=author: publish(i, a)))
        if after is not None:
            days_ago, step = after
            steps.append(
                (
                    _at(today, days_ago, 14),
                    lambda i=i, a=author, f=fields, s=step: then(i, a, f, s),
                )
            )
    for email, days_ago in ACKNOWLEDGED:
        steps.append((_at(today, days_ago, 15), lambda e=email: acknowledge(e)))
    # In the order of the story, so the audit trail and the feeds read forwards in time.
    for when, step in sorted(steps, key=lambda s: s[0]):
        with clock_from(when):
            step()
    out = [{"id": b.id, "title": b.title, "tlp": b.tlp, "status": b.status} for b in made]
    return [{k: str(v) for k, v in b.items()} for b in out]
