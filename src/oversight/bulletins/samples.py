"""Samples of bulletin bodies and answers, for the API documentation.

Indicators use documentation address ranges and `.example` domains; the CVEs are real,
public advisories.
"""

from typing import Any

from oversight import samples as ex

RANSOMWARE_BODY = (
    "## What is happening\n"
    "Since March, ransomware affiliates have hit at least nine small businesses in the "
    "county. Every case began with remote access left open to the internet: an unpatched "
    "SSL-VPN appliance or RDP without multi-factor authentication.\n\n"
    "## What to do\n"
    "Patch remote-access appliances, require MFA on every remote login, keep one backup "
    "offline, and report an attack to Action Fraud and to us at once."
)

RANSOMWARE: dict[str, Any] = {
    "title": "Ransomware against small businesses through exposed remote access",
    "summary": "Affiliates are breaking in through unpatched SSL-VPNs and RDP without MFA, "
    "stealing data and encrypting small firms' systems.",
    "body": RANSOMWARE_BODY,
    "category": "ransomware",
    "severity": "high",
    "sectors": ["sme", "charity"],
    "indicators": [
        {"type": "ipv4", "value": "203.0.113.47", "description": "Scanning and VPN logins"},
        {"type": "cve", "value": "CVE-2023-27997", "description": "FortiOS SSL-VPN"},
        {"type": "filename", "value": "RESTORE-FILES.txt", "description": "Ransom note"},
        {
            "type": "sha256",
            "value": "9f2b6c1e8d0a47b3c5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8",
            "description": "Encryptor",
        },
    ],
    "recommended_actions": [
        "Patch internet-facing VPN appliances now",
        "Require multi-factor authentication for every remote login",
        "Keep at least one backup offline and test restoring it",
    ],
    "references": ["https://www.ncsc.gov.uk/ransomware/home"],
}

CREATE_CLEAR: dict[str, Any] = RANSOMWARE | {
    "tlp": "CLEAR",
    "protective_marking": "OFFICIAL",
    "review_by": "2026-09-30",
}

CREATE_GREEN: dict[str, Any] = {
    "title": "Hijacked social media accounts after fake copyright appeals",
    "summary": "Messages threatening page deletion lead to a fake login page that captures "
    "the password and the one-time code.",
    "body": "Residents are losing their Facebook and Instagram accounts after messages that "
    "claim their page breaks copyright. The criminal then changes the email and phone "
    "number and uses the account to sell fake tickets.\n\nAdvise residents to use an "
    "authenticator app and never to enter a code they did not ask for.",
    "category": "account_takeover",
    "severity": "medium",
    "sectors": ["individuals", "charity"],
    "indicators": [
        {"type": "domain", "value": "meta-appeal-centre.example"},
        {"type": "url", "value": "https://meta-appeal-centre.example/case/verify"},
        {"type": "email", "value": "no-reply@page-support-team.example"},
    ],
    "recommended_actions": ["Turn on an authenticator app for social media accounts"],
    "tlp": "GREEN",
}

CREATE_AMBER_STRICT: dict[str, Any] = {
    "title": "Targeted hacking of local manufacturers for design data",
    "summary": "Three manufacturers received extortion emails quoting drawings stolen "
    "through their file-transfer servers.",
    "body": "Shared with the regional unit for tasking; do not contact the hosts below.",
    "category": "data_theft",
    "severity": "critical",
    "sectors": ["large_business"],
    "indicators": [
        {"type": "cve", "value": "CVE-2023-34362", "description": "MOVEit Transfer"},
        {"type": "filename", "value": "human2.aspx", "description": "Web shell"},
        {"type": "md5", "value": "7e5a3b2f9c1d4e6a8b0c2d4f6a8c0e2b"},
        {"type": "email", "value": "leaks-desk@mail-drop.example"},
    ],
    "tlp": "AMBER+STRICT",
    "recipient_agencies": [ex.ROCU],
    "protective_marking": "OFFICIAL-SENSITIVE",
}

CREATE_AMBER: dict[str, Any] = {
    "title": "Exploitation of unpatched Office 365 and Outlook at councils",
    "summary": "Crafted calendar invitations leak NTLM hashes from unpatched Outlook; "
    "council mailboxes are then accessed from abroad.",
    "category": "vulnerability",
    "severity": "high",
    "sectors": ["public_sector"],
    "indicators": [
        {"type": "cve", "value": "CVE-2023-23397", "description": "Outlook NTLM leak"},
        {"type": "ipv6", "value": "2001:db8:4f::17"},
    ],
    "recommended_actions": ["Apply the Outlook security updates", "Block outbound SMB"],
    "tlp": "AMBER",
    "recipient_agencies": [ex.COUNCIL, ex.EASTVALE],
}

UPDATE_EDIT: dict[str, Any] = {
    "summary": "Affiliates are breaking in through unpatched SSL-VPNs and RDP without MFA; "
    "a data staging domain has now been seen.",
    "indicators": [
        *RANSOMWARE["indicators"],
        {"type": "domain", "value": "files-sync.example", "description": "Data staging"},
    ],
}

UPDATE_RECLASSIFY: dict[str, Any] = {
    "tlp": "AMBER",
    "recipient_agencies": [ex.CRC],
    "protective_marking": "OFFICIAL-SENSITIVE",
}

WITHDRAWAL: dict[str, Any] = {
    "reason": "Superseded by the NCSC advisory; the exfiltration server has been taken down."
}

ACKNOWLEDGEMENT_IN: dict[str, Any] = {
    "note": "Passed to the council's ICT team; VPN appliances patched on 5 March."
}

PUBLIC: dict[str, Any] = RANSOMWARE | {
    "id": ex.BULLETIN,
    "agency_id": ex.POLICE,
    "tlp": "CLEAR",
    "protective_marking": "OFFICIAL",
    "status": "published",
    "version": 3,
    "published_at": "2026-03-03T10:15:00Z",
    "review_by": "2026-09-30",
    "created_at": "2026-03-02T16:40:11Z",
    "updated_at": "2026-03-03T10:15:00Z",
}
PUBLIC = ex.names_of(PUBLIC)

READ: dict[str, Any] = PUBLIC | {
    "author_id": ex.POLICE_EDITOR,
    "recipient_agencies": [],
    "recipient_users": [],
    "withdrawn_at": None,
    "withdrawal_reason": None,
    "report_id": None,
}
READ = ex.names_of(READ)

REVISION: dict[str, Any] = {
    "id": ex.REVISION,
    "bulletin_id": ex.BULLETIN,
    "number": 2,
    "bulletin_version": 4,
    **{k: UPDATE_EDIT.get(k, v) for k, v in RANSOMWARE.items()},
    "changed_fields": ["indicators", "summary"],
    "editor_id": ex.POLICE_EDITOR,
    "created_at": "2026-03-05T08:02:44Z",
}

ACKNOWLEDGEMENT: dict[str, Any] = {
    "id": ex.ACKNOWLEDGEMENT,
    "bulletin_id": ex.BULLETIN,
    "agency_id": ex.COUNCIL,
    "acknowledged_by": ex.COUNCIL_MEMBER,
    "acknowledged_by_kind": "user",
    "acknowledged_at": "2026-03-05T09:12:30Z",
    **ACKNOWLEDGEMENT_IN,
}
ACKNOWLEDGEMENT = ex.names_of(ACKNOWLEDGEMENT)

CREATE_SAMPLES = {
    "green": {
        "summary": "GREEN: hijacked social media accounts, for every member agency",
        "value": CREATE_GREEN,
    },
    "amber_strict": {
        "summary": "AMBER+STRICT: targeted hacking for data, shared with the ROCU only",
        "value": CREATE_AMBER_STRICT,
    },
    "amber": {
        "summary": "AMBER: unpatched Office 365, addressed to two councils",
        "value": CREATE_AMBER,
    },
    "clear": {
        "summary": "CLEAR: ransomware against small businesses, for the public feed too",
        "value": CREATE_CLEAR,
    },
}

ACKNOWLEDGE_SAMPLES = {
    "note": {"summary": "With a note of what the agency did", "value": ACKNOWLEDGEMENT_IN},
    "bare": {"summary": "Receipt only (the body may also be left out)", "value": {}},
}

UPDATE_SAMPLES = {
    "edit": {"summary": "Add an indicator and update the summary", "value": UPDATE_EDIT},
    "reclassify": {
        "summary": "Reclassify as AMBER for the Cyber Resilience Centre",
        "value": UPDATE_RECLASSIFY,
    },
}
