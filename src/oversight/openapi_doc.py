"""What the docs UI says about the service: the description and the tag groups."""

DESCRIPTION = """
Oversight is where the partners of the cybercrime strategic oversight group share threat
bulletins, run their meetings and chase the actions those meetings agree.

**Logging in.** Press **Authorize**, enter your email and password (the OAuth2 password
grant) and leave *client_id* empty. Partner systems use the client-credentials grant.

**What you can see** follows the Traffic Light Protocol (TLP 2.0) of each item:
CLEAR is for everyone signed in; GREEN for every member agency; AMBER for the owning agency
and the agencies it names (all members when it names none); AMBER+STRICT for the owning
agency and the agencies it names (the owner alone when it names none); RED for its author
and the people it names. An item you may not see answers 404, exactly like one that does
not exist, and lists never count it.

**Roles.** `member` reads; `editor` writes its agency's bulletins, meetings and actions;
`agency_admin` manages its agency's users and service accounts; `admin` manages every
agency; `auditor` reads the audit trail. Admins and auditors see no more content than
any member.

Errors are RFC 9457 problem details (`application/problem+json`).
"""

TAGS = [
    {"name": "Authentication", "description": "OAuth2 tokens, revocation and logout."},
    {"name": "Me", "description": "The caller's own identity and password."},
    {"name": "Agencies", "description": "Member organisations of the partnership."},
    {"name": "Users", "description": "People, each in one agency, and their roles."},
    {"name": "Service accounts", "description": "Partner systems using client credentials."},
    {"name": "Audit", "description": "The tamper-evident trail of who did and read what."},
    {"name": "Health", "description": "Probes for load balancers and orchestrators."},
]
