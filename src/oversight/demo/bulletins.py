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
from oversight.bulletins import service
from oversight.bulletins.schemas import BulletinCreate, BulletinUpdate
from oversight.demo.identity import Identity
from oversight.users.models import User

POLICE = "editor@police.example"
CRC = "editor@crc.example"

RANSOMWARE_BODY = """\
## What is happening
Since March, ransomware affiliates have hit at least nine small and medium businesses in the
county: accountants, a builders' merchant and two dental practices. Every case began with
remote access left open to the internet: an unpatched SSL-VPN appliance or RDP without
multi-factor authentication.

## How it unfolds
1. Access with stolen or guessed credentials, or through the VPN flaw below.
2. Two to five days of reconnaissance; backups on the same network are deleted.
3. Data is copied out, then files are encrypted and a ransom note left on every desktop.

## What to do
Patch remote-access appliances, require MFA on every remote login, keep one backup offline,
and report an attack to Action Fraud and to us at once: we can often help recover.
"""

SOCIAL_BODY = """\
Residents are losing control of their Facebook and Instagram accounts after messages that
claim their page breaks copyright and will be deleted unless they "appeal". The link opens a
convincing login page that asks for the password and then the one-time code. Within minutes
the criminal changes the email and phone number on the account and uses it to sell fake
tickets or ask friends for money.

Advise residents to turn on an authenticator app, never to enter a code they did not ask for,
and to use the platforms' own account recovery pages.
"""

# (author, create fields, publish?, then: edit fields | "withdraw: reason" | None)
BULLETINS: list[tuple[str, dict[str, Any], bool, Any]] = [
    (
        POLICE,
        {
            "title": "Ransomware against small and medium businesses through exposed remote access",
            "summary": "Affiliates are breaking in through unpatched SSL-VPNs and RDP without "
            "MFA, stealing data and encrypting small firms' systems.",
            "body": RANSOMWARE_BODY,
            "category": "ransomware",
            "severity": "high",
            "sectors": ["sme", "charity"],
            "indicators": [
                {"type": "ipv4", "value": "203.0.113.47", "description": "Scanning and VPN logins"},
                {"type": "ipv4", "value": "198.51.100.23", "description": "Exfiltration server"},
                {"type": "cve", "value": "CVE-2023-27997", "description": "FortiOS SSL-VPN"},
                {"type": "filename", "value": "RESTORE-FILES.txt", "description": "Ransom note"},
                {
                    "type": "sha256",
                    "value": "9f2b6c1e8d0a47b3c5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8",
                },
            ],
            "recommended_actions": [
                "Patch internet-facing VPN appliances now",
                "Require multi-factor authentication for every remote login",
                "Keep at least one backup offline and test restoring it",
            ],
            "references": ["https://www.ncsc.gov.uk/ransomware/home"],
            "tlp": "CLEAR",
        },
        True,
        {
            "indicators_add": {
                "type": "domain",
                "value": "files-sync.example",
                "description": "Data staging",
            }
        },
    ),
    (
        CRC,
        {
            "title": "Unauthorised access to personal social media accounts via fake appeals",
            "summary": "Messages threatening page deletion lead to a fake login that captures "
            "the password and the one-time code.",
            "body": SOCIAL_BODY,
            "category": "account_takeover",
            "severity": "medium",
            "sectors": ["individuals", "charity"],
            "indicators": [
                {"type": "domain", "value": "meta-appeal-centre.example"},
                {"type": "url", "value": "https://meta-appeal-centre.example/case/verify"},
                {"type": "email", "value": "no-reply@page-support-team.example"},
            ],
            "recommended_actions": [
                "Turn on an authenticator app for social media accounts",
                "Never share a login code you did not request",
            ],
            "tlp": "GREEN",
        },
        True,
        None,
    ),
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
        {
            "title": "Exploitation of unpatched Office 365 and Outlook at councils",
            "summary": "Crafted calendar invitations leak NTLM hashes from unpatched Outlook; "
            "council mailboxes are then accessed from abroad.",
            "body": "Two district councils saw mailbox logins from unfamiliar countries after "
            "receiving invitations with a remote reminder sound path. Patch Outlook, block "
            "outbound SMB and review sign-in logs for the addresses below.",
            "category": "vulnerability",
            "severity": "high",
            "sectors": ["public_sector"],
            "indicators": [
                {"type": "cve", "value": "CVE-2023-23397", "description": "Outlook NTLM leak"},
                {"type": "cve", "value": "CVE-2024-21413", "description": "Outlook MonikerLink"},
                {"type": "ipv6", "value": "2001:db8:4f::17"},
                {"type": "domain", "value": "calendar-sync.example"},
            ],
            "recommended_actions": [
                "Apply the Outlook security updates",
                "Block outbound SMB (TCP 445) at the perimeter",
            ],
            "tlp": "AMBER",
            "recipients": ["county-council", "eastvale-council", "westmoor-council"],
        },
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
            service.publish(session, writer, bulletin.id, bulletin.version)
        if isinstance(then, dict):
            added = then["indicators_add"]
            update = BulletinUpdate(indicators=[*fields.get("indicators", []), added])
            service.update(session, writer, bulletin.id, update, bulletin.version)
        elif isinstance(then, str):
            reason = then.removeprefix("withdraw: ")
            service.withdraw(session, writer, bulletin.id, reason, bulletin.version)
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
