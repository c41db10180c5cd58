"""What the docs UI says about the service: the description, the tags and their groups."""

# FIRST's TLP 2.0 meaning of each label, shown as the label's tooltip. The docs pages colour a
# label by this title (docs.css): both renderers keep `title`, Swagger UI strips `class`.
TLP_MEANINGS = {
    "CLEAR": "recipients can spread this to the world, there is no limit on disclosure",
    "GREEN": "limited disclosure, recipients can spread this within their community",
    "AMBER": "limited disclosure, recipients can only spread this on a need-to-know basis "
    "within their organization and its clients",
    "AMBER+STRICT": "limited disclosure, recipients can only spread this on a need-to-know "
    "basis within their organization",
    "RED": "for the eyes and ears of individual recipients only, no further disclosure",
}


def tlp_label(tlp: str) -> str:
    """A TLP label as the handbook shows it, in its FIRST colours."""
    return f'<span title="TLP:{tlp}: {TLP_MEANINGS[tlp]}">TLP:{tlp}</span>'


DESCRIPTION = f"""
Oversight is where the partners of the cybercrime strategic oversight group share threat
bulletins, run their board meetings and chase the actions those meetings agree. This is its
handbook: every operation says who may call it, what it returns and how it can fail, and on
the interactive page, [/docs](/docs), you can try each one.

## Logging in

You log in on the interactive page, [/docs](/docs); the same handbook at [/redoc](/redoc)
is for reading only.

1. Press **Authorize** (top right, or the padlock beside an operation).
2. In the first section, *OAuth2 (OAuth2, password)*, enter your email as **username** and
   your **password**; nothing else is asked: you get every scope your roles allow.
3. Press **Authorize**, then **Close**. The token is kept in this browser, so a reload keeps
   you signed in; **Logout** in the same dialog forgets it.
4. Open an operation, press **Try it out**, then **Execute**.

Access tokens last 15 minutes; log in again when a call answers 401. Five wrong passwords
within 15 minutes lock the account for the rest of that window (429 with `Retry-After`).

Partner systems use the *client credentials* grant (the dialog's second section) with the
`client_id` and `client_secret` of a service account, and only the scopes its administrator
granted.

## What you can see: the Traffic Light Protocol

Every bulletin, meeting and action item carries a TLP 2.0 label, set by the agency that owns
it (O). Oversight applies it for you on every list, search and single read:

| TLP | who may read it |
| --- | --- |
| {tlp_label("CLEAR")} | everyone signed in; published CLEAR bulletins are also on the public \
feed |
| {tlp_label("GREEN")} | every active member agency |
| {tlp_label("AMBER")} | O and the agencies it names; every member agency when it names none |
| {tlp_label("AMBER+STRICT")} | O and the agencies it names; O alone when it names none |
| {tlp_label("RED")} | its author and the people it names; never a partner system |

Drafts are read only by their author and the editors of O. An item you may not see answers
**404**, exactly as one that does not exist, and lists never show or count it. Each item also
shows its `protective_marking` (`OFFICIAL` or `OFFICIAL-SENSITIVE`); the service is not
accredited above OFFICIAL-SENSITIVE. Every read of an {tlp_label("AMBER")},
{tlp_label("AMBER+STRICT")} or {tlp_label("RED")} item is written to the audit trail.

## Roles and scopes

| role | may | scopes it brings |
| --- | --- | --- |
| `member` (everyone) | read what the TLP allows | `bulletins:read meetings:read actions:read` |
| `editor` | write its agency's bulletins, meetings and actions | adds the `:write` scopes |
| `agency_admin` | manage its own agency's users and service accounts | adds `admin` |
| `admin` | manage every agency, user and service account | adds `admin` |
| `auditor` | read and verify the audit trail | adds `audit:read` |

`admin` and `auditor` see no more content than any member (separation of duties). Each
operation names the scope it needs; a token without it answers **403**.

## Conventions

- **Errors** are RFC 9457 problem details (`application/problem+json`) with a `request_id`
  to quote when you report a problem; a 422 lists the fields in `errors`.
- **Text** is UTF-8 and may hold any character but NUL (U+0000), which no field needs and
  PostgreSQL cannot store: a body with one answers 422, a path or query string with one 400.
- **Lists** are newest first and paged by cursor: pass `limit` (1 to 200, default 50) and the
  `next_cursor` of the previous page as `cursor`; the `Link` header points to the next page.
- **Versions**: a read returns `ETag: "<version>"`; send it back as `If-Match` to change the
  item. A missing `If-Match` answers 428, a stale one 412: nothing is silently overwritten.
- **Retries**: send an `Idempotency-Key` header with a creating `POST`; repeating the call
  with the same key and body returns the first answer and creates nothing more.
"""

TAGS = [
    {
        "name": "Authentication",
        "description": "Tokens for members (password grant) and partner systems (client "
        "credentials), refresh, revocation and logout.",
    },
    {
        "name": "Me",
        "description": "Who you are signed in as, your roles and scopes, and changing your "
        "password.",
    },
    {
        "name": "Bulletins",
        "description": "Threat bulletins: drafted by an agency's editors, published to the readers "
        "their TLP allows, revised, withdrawn, and acknowledged by each agency that "
        "receives them.",
    },
    {
        "name": "TAXII 2.1",
        "description": "Published bulletins as STIX 2.1 for partners' threat-intelligence "
        "platforms (MISP, OpenCTI, SIEMs), under the same classification as the bulletins "
        "list; errors here are TAXII error messages.",
    },
    {
        "name": "Meetings",
        "description": "Board and working-group meetings: agenda, attendance, and minutes that are "
        "drafted, approved by someone other than their writer, and published.",
    },
    {
        "name": "Actions",
        "description": "Action items agreed at meetings or raised by bulletins, with an owner "
        "agency, a due date, a RAG status and a progress log.",
    },
    {
        "name": "Reports",
        "description": "Incidents and near misses reported by members, classified like bulletins, "
        "anonymous to other agencies if the reporter asks, and promoted to draft bulletins.",
    },
    {
        "name": "Statistics",
        "description": "The partnership's figures from reports, under disclosure control: no "
        "figure from fewer than 5 reports or 3 agencies, and none that could be worked out.",
    },
    {
        "name": "Board update",
        "description": "The board's cybercrime update for a period, as HTML, Markdown or JSON, "
        "holding only what you may read.",
    },
    {
        "name": "Agencies",
        "description": "Member organisations of the partnership, and suspending or reinstating one "
        "(administrators).",
    },
    {
        "name": "Users",
        "description": "People, each in one agency, and their roles (administrators and agency "
        "administrators).",
    },
    {
        "name": "Service accounts",
        "description": "Partner systems of an agency, which sign in with client credentials; the "
        "secret is shown once.",
    },
    {
        "name": "Changes",
        "description": "The change feed: content-free events about the items you may read, in "
        "commit order, to resume from where you stopped.",
    },
    {
        "name": "Webhooks",
        "description": "Changes pushed to a partner system as signed Standard Webhooks, "
        "delivered as one of your agency's service accounts.",
    },
    {
        "name": "Audit",
        "description": "The tamper-evident, hash-chained trail of who did and read what; for "
        "auditors.",
    },
    {
        "name": "Health",
        "description": "Probes for load balancers and orchestrators; no authentication.",
    },
]

# ReDoc's side menu. A tag in no group still appears, under "Other".
TAG_GROUPS = [
    {"name": "Getting started", "tags": ["Authentication", "Me"]},
    {"name": "Sharing", "tags": ["Bulletins", "TAXII 2.1", "Meetings", "Actions", "Reports"]},
    {"name": "Integration", "tags": ["Changes", "Webhooks"]},
    {"name": "The board", "tags": ["Statistics", "Board update"]},
    {"name": "Administration", "tags": ["Agencies", "Users", "Service accounts"]},
    {"name": "Assurance", "tags": ["Audit"]},
    {"name": "Operations", "tags": ["Health"]},
]
