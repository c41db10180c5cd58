"""The partnership's agencies, a user of every role, and one partner system.

Names are fictional. The passwords are fixed so a demonstration can be scripted; they are
for a demo database only.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from oversight import samples
from oversight.accounts.models import Agency, Sector
from oversight.agencies import service as agencies
from oversight.agencies.schemas import AgencyCreate
from oversight.auth.scopes import Role, Scope
from oversight.service_accounts import service as service_accounts
from oversight.service_accounts.schemas import ServiceAccountCreate
from oversight.users import repository as users_repo
from oversight.users import service as users
from oversight.users.schemas import UserCreate

# The agencies the API documentation's samples name go by the samples' names.
NAMED = {slug: name for name, slug in samples.AGENCIES.values()}

AGENCIES: list[tuple[str, str, Sector]] = [
    (NAMED["police-cyber"], "police-cyber", Sector.police),
    (NAMED["county-council"], "county-council", Sector.local_authority),
    (NAMED["eastvale-council"], "eastvale-council", Sector.local_authority),
    ("Westmoor District Council", "westmoor-council", Sector.local_authority),
    (NAMED["rocu"], "rocu", Sector.rocu),
    (NAMED["crc"], "crc", Sector.cyber_resilience_centre),
    ("Northshire Voluntary Action", "voluntary-action", Sector.charity),
    ("Northshire Schools Trust", "schools-trust", Sector.education),
]

PASSWORDS: dict[Role, str] = {
    Role.member: "demo-member-2026",
    Role.editor: "demo-editor-2026",
    Role.agency_admin: "demo-agency-admin-2026",
    Role.admin: "demo-admin-2026!",
    Role.auditor: "demo-auditor-2026",
}

# (email, display name, agency slug, role); the partnership's secretariat sits at the county.
USERS: list[tuple[str, str, str, Role]] = [
    ("admin@county.example", "Alex Morgan", "county-council", Role.admin),
    ("auditor@county.example", "Sam Okafor", "county-council", Role.auditor),
    ("agency.admin@police.example", "Priya Shah", "police-cyber", Role.agency_admin),
    ("editor@police.example", "Dan Whitfield", "police-cyber", Role.editor),
    ("editor@crc.example", "Morgan Lee", "crc", Role.editor),
    ("member@police.example", "Chris Dunn", "police-cyber", Role.member),
    ("member@rocu.example", "Jo Pritchard", "rocu", Role.member),
    ("member@county.example", "Ruth Adeyemi", "county-council", Role.member),
    ("member@eastvale.example", "Tom Barker", "eastvale-council", Role.member),
    ("member@westmoor.example", "Aisha Khan", "westmoor-council", Role.member),
    ("member@voluntary.example", "Gwen Ellis", "voluntary-action", Role.member),
    ("member@schools.example", "Owen Price", "schools-trust", Role.member),
]

SERVICE_ACCOUNT = (
    "Cyber Resilience Centre alerting",
    "crc",
    [Scope.bulletins_read, Scope.actions_read],
)


@dataclass(frozen=True, slots=True)
class Login:
    email: str
    password: str
    role: str
    display_name: str
    agency: str


@dataclass(frozen=True, slots=True)
class Client:
    name: str
    client_id: str
    client_secret: str
    scopes: list[str]
    agency: str


@dataclass(frozen=True, slots=True)
class Identity:
    agencies: dict[str, Agency]
    logins: list[Login]
    client: Client


def present_logins(session: Session) -> list[Login]:
    """The demo logins whose users are in this database (their passwords are the fixed demo
    ones, unless changed since)."""
    found = []
    for email, display_name, _slug, role in USERS:
        user = users_repo.by_email(session, email)
        if user is not None:
            agency = agencies.get(session, user.agency_id)
            found.append(Login(email, PASSWORDS[role], role.value, display_name, agency.name))
    return found


def load(session: Session) -> Identity:
    """Create the agencies, users and partner system through the services, as the system."""
    by_slug: dict[str, Agency] = {}
    for name, slug, sector in AGENCIES:
        by_slug[slug] = agencies.create(
            session, None, AgencyCreate(name=name, slug=slug, sector=sector)
        )
    logins = []
    for email, display_name, slug, role in USERS:
        agency = by_slug[slug]
        users.create(
            session,
            None,
            UserCreate(
                email=email,
                display_name=display_name,
                agency_id=agency.id,
                roles=[role],
                password=PASSWORDS[role],
            ),
        )
        logins.append(Login(email, PASSWORDS[role], role.value, display_name, agency.name))
    name, slug, scopes = SERVICE_ACCOUNT
    sa, secret = service_accounts.create(
        session,
        None,
        ServiceAccountCreate(name=name, agency_id=by_slug[slug].id, scopes=scopes),
    )
    client = Client(name, sa.client_id, secret, list(sa.scopes), by_slug[slug].name)
    return Identity(by_slug, logins, client)
