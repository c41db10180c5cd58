"""Threat bulletins on the threats the partnership names, across every TLP level.

Loaded through the bulletin service as the editors who would write them, so each demo login
sees a different set: the police member sees its agency's AMBER+STRICT notes, the councils
see the Office 365 bulletin addressed to them, the ROCU member the RED one naming them, and
everyone signed in the CLEAR and GREEN ones. Indicators use documentation address ranges
and `.example` domains; the CVEs are real, public advisories.
"""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oversight.audit.recorder import set_actor
from oversight.auth.principal import Principal
from oversight.auth.scopes import scopes_for_roles
from oversight.bulletins import samples, service
from oversight.bulletins.schemas import BulletinCreate, BulletinUpdate
from oversight.demo.identity import Identity
from oversight.users.models import User

POLICE = "editor@police.example"
CRC = "editor@crc.example"

# (author, create fields, publish?, then: edit fields | "withdraw: reason" | None)
BULLETINS: list[tuple[str, dict[str, Any], bool, Any]] = [
    (
        POLICE,
        samples.RANSOMWARE | {"tlp": "CLEAR"},
        True,
        {"indicators_add": samples.UPDATE_EDIT["indicators"][-1]},
    ),
    (CRC, samples.CREATE_GREEN, True, None),
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
        True,
        None,
    ),
    (
        POLICE,
        {key: value for key, value in samples.CREATE_AMBER.items() if key != "recipient_agencies"}
        | {"recipients": ["county-council", "eastvale-council", "westmoor-council"]},
        True,
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
        True,
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
        True,
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
        True,
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
        False,
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
        True,
        "withdraw: Superseded by the Office 365 bulletin",
    ),
]


def _principal(session: Session, email: str) -> Principal:
    user = session.scalars(select(User).where(User.email == email)).one()
    roles = frozenset(user.roles)
    principal = Principal("user", user.id, user.agency_id, roles, scopes_for_roles(roles))
    set_actor(session, principal.actor)
    return principal


def load(session: Session, ident: Identity) -> list[dict[str, str]]:
    """Create the bulletins in the caller's transaction; answers their titles and TLPs."""
    out: list[dict[str, Any]] = []
    for author, fields, publish, then in BULLETINS:
        fields = dict(fields)
        slugs = fields.pop("recipients", [])
        emails = fields.pop("named", [])
        fields["recipient_agencies"] = [ident.agencies[s].id for s in slugs]
        fields["recipient_users"] = [
            session.scalars(select(User.id).where(User.email == e)).one() for e in emails
        ]
        writer = _principal(session, author)
        bulletin = service.create(session, writer, BulletinCreate.model_validate(fields))
        if publish:
            bulletin = service.publish(session, writer, bulletin.id, bulletin.version)
        if isinstance(then, dict):
            added = then["indicators_add"]
            update = BulletinUpdate(indicators=[*fields.get("indicators", []), added])
            bulletin = service.update(session, writer, bulletin.id, update, bulletin.version)
        elif isinstance(then, str):
            reason = then.removeprefix("withdraw: ")
            bulletin = service.withdraw(session, writer, bulletin.id, reason, bulletin.version)
        out.append(
            {
                "id": bulletin.id,
                "title": bulletin.title,
                "tlp": bulletin.tlp,
                "status": bulletin.status,
            }
        )
    # The councils confirm receipt of the Office 365 bulletin addressed to them.
    office = out[3]["id"]
    for email in ("member@county.example", "member@eastvale.example"):
        service.acknowledge(
            session, _principal(session, email), office, "Passed to our IT provider"
        )
    return [{k: str(v) for k, v in b.items()} for b in out]
