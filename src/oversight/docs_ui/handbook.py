"""What the docs UI says about the service: the description, the tags and their groups."""

DESCRIPTION = """
Oversight is where the partners of the cybercrime strategic oversight group share threat
bulletins, run their board meetings and chase the actions those meetings agree. This page is
its handbook: every operation says who may call it, what it returns and how it can fail, and
you can try each one from here.

## Logging in

1. Press **Authorize** (top right, or the padlock beside an operation).
2. Under *OAuth2, password*, enter your email as **username** and your **password**; leave
   *client_id* and *client_secret* empty and tick no scope (you then get every scope your
   roles allow).
3. Press **Authorize**, then **Close**. The token is kept in this browser, so a reload keeps
   you signed in; **Logout** in the same dialog forgets it.
4. Open an operation, press **Try it out**, then **Execute**.

Access tokens last 15 minutes; log in again when a call answers 401. Five wrong passwords
within 15 minutes lock the account for the rest of that window (429 with `Retry-After`).

Partner systems use the *client credentials* grant with the `client_id` and `client_secret`
of a service account, and only the scopes its administrator granted.

## What you can see: the Traffic Light Protocol

Every bulletin, meeting and action item carries a TLP 2.0 label, set by the agency that owns
it (O). Oversight applies it for you on every list, search and single read:

| TLP | who may read it |
| --- | --- |
| `CLEAR` | everyone signed in; published CLEAR bulletins are also on the public feed |
| `GREEN` | every active member agency |
| `AMBER` | O and the agencies it names; every member agency when it names none |
| `AMBER+STRICT` | O and the agencies it names; O alone when it names none |
| `RED` | its author and the people it names; never a partner system |

Drafts are read only by their author and the editors of O. An item you may not see answers
**404**, exactly as one that does not exist, and lists never show or count it. Each item also
shows its `protective_marking` (`OFFICIAL` or `OFFICIAL-SENSITIVE`); the service is not
accredited above OFFICIAL-SENSITIVE. Every read of an AMBER, AMBER+STRICT or RED item is
written to the audit trail.

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
    {"name": "Sharing", "tags": ["Bulletins", "Meetings", "Actions", "Reports"]},
    {"name": "The board", "tags": ["Statistics", "Board update"]},
    {"name": "Administration", "tags": ["Agencies", "Users", "Service accounts"]},
    {"name": "Assurance", "tags": ["Audit"]},
    {"name": "Operations", "tags": ["Health"]},
]
