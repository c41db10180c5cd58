"""The rules for users: who may create, change, disable and reset whom.

Every function takes the acting principal; `None` is the system (the command line).
"""

import uuid
from functools import partial

from sqlalchemy.orm import Session

from oversight.access.reach import Reach, check_reserved, managed_agency, target_agency
from oversight.accounts.models import User
from oversight.agencies import repository as agencies
from oversight.auth import throttle
from oversight.auth.passwords import generate_password, hash_password
from oversight.auth.principal import Principal
from oversight.auth.revocation import revoke_user_tokens
from oversight.auth.scopes import Role
from oversight.db import utcnow
from oversight.errors import Conflict, Forbidden, Unprocessable
from oversight.users import repository
from oversight.users.schemas import UserCreate, UserUpdate, normalise_roles

people = Reach(
    User,
    "user",
    "email",
    lambda s, ref: repository.by_email(s, ref.strip().lower()),
    {"role": repository.holds_role},
)
listing = people.listing
get = people.get
find = people.find


def _managed(
    session: Session,
    principal: Principal | None,
    user_id: uuid.UUID,
    expected_version: int | None,
    *,
    version_required: bool = False,
) -> User:
    """A user within the caller's reach whom it may act on (admins and auditors only by an
    admin), at the version named (required for edits)."""
    user = get(session, principal, user_id, expected_version, version_required=version_required)
    check_reserved(principal, set(user.roles))
    return user


def _ensure_email_free(
    session: Session,
    principal: Principal | None,
    email: str,
    except_id: uuid.UUID | None = None,
) -> None:
    """A clash names the user holding the email, as far as the caller's reach goes: an
    agency admin learns no more than that the email is taken by someone elsewhere."""
    holder = repository.email_holder(session, email, except_id)
    if holder is None:
        return
    reach = managed_agency(principal)
    if reach is not None and holder.agency_id != reach:
        raise Conflict(f"A user with the email {email} already exists in another agency")
    agency = agencies.get(session, holder.agency_id)
    where = f", agency {agency.slug}" if agency is not None else ""
    raise Conflict(f"A user with the email {email} already exists (id {holder.id}{where})")


def _ensure_admin_remains(session: Session, user: User) -> None:
    """Never leave the service without an active admin to run it."""
    if (
        Role.admin in user.roles
        and user.is_active
        and not repository.active_admins(session, except_id=user.id)
    ):
        raise Conflict(
            f"{user.email} is the last active admin: this would leave no active admin "
            "(grant admin to someone else first)"
        )


def create(
    session: Session, principal: Principal | None, data: UserCreate
) -> tuple[User, str | None]:
    """Create a user; returns it with the generated password when none was given."""
    agency_id = target_agency(principal, data.agency_id)
    if agencies.get(session, agency_id) is None:
        raise Unprocessable("agency_id names no agency")
    roles = normalise_roles(data.roles)
    check_reserved(principal, set(roles))
    _ensure_email_free(session, principal, data.email)
    password = data.password or generate_password()
    user = User(
        email=data.email,
        display_name=data.display_name,
        agency_id=agency_id,
        roles=roles,
        password_hash=hash_password(password),
        is_active=True,
    )
    session.add(user)
    session.flush()
    return user, None if data.password else password


def set_roles(session: Session, principal: Principal | None, user: User, roles: list[Role]) -> User:
    new = normalise_roles(roles)
    old = set(user.roles)
    if set(new) == old:
        return user
    check_reserved(principal, old | set(new))
    if Role.admin in old and Role.admin not in new:
        _ensure_admin_remains(session, user)
    user.roles = new
    session.flush()
    return user


def update(
    session: Session,
    principal: Principal | None,
    user_id: uuid.UUID,
    data: UserUpdate,
    expected_version: int | None,
) -> User:
    user = _managed(session, principal, user_id, expected_version, version_required=True)
    if data.email is not None and data.email != user.email:
        _ensure_email_free(session, principal, data.email, user.id)
        user.email = data.email
    if data.display_name is not None:
        user.display_name = data.display_name
    if data.roles is not None:
        set_roles(session, principal, user, data.roles)
    session.flush()
    return user


def grant(session: Session, principal: Principal | None, user_id: uuid.UUID, role: Role) -> User:
    user = get(session, principal, user_id)
    return set_roles(session, principal, user, [*map(Role, user.roles), role])


def revoke(session: Session, principal: Principal | None, user_id: uuid.UUID, role: Role) -> User:
    user = get(session, principal, user_id)
    if role == Role.member:
        raise Unprocessable("Every user has the member role; disable the user instead")
    return set_roles(session, principal, user, [Role(r) for r in user.roles if r != role])


def set_active(
    session: Session,
    principal: Principal | None,
    user_id: uuid.UUID,
    expected_version: int | None = None,
    *,
    active: bool,
) -> User:
    """Disabled, the user's tokens stop working on the next request and logging in is
    refused. An agency admin undoes only what an agency admin did: a user an admin (or the
    command line) disabled stays disabled until an admin enables them."""
    user = _managed(session, principal, user_id, expected_version)
    by_admin = principal is None or principal.is_admin
    if active and user.disabled_by_admin and not by_admin:
        raise Forbidden("An admin disabled this user; only an admin may enable them again")
    if not active and principal is not None and principal.id == user.id:
        raise Conflict("You cannot disable your own account")
    if user.is_active == active:
        return user
    if not active:
        _ensure_admin_remains(session, user)
    user.is_active = active
    user.disabled_by_admin = not active and by_admin
    if not active:
        revoke_user_tokens(session, user)
    session.flush()
    return user


disable = partial(set_active, active=False)
enable = partial(set_active, active=True)


def reset_password(
    session: Session,
    principal: Principal | None,
    user_id: uuid.UUID,
    expected_version: int | None = None,
) -> tuple[User, str]:
    """Set a generated password, returned once; every token the user held dies with the old."""
    user = _managed(session, principal, user_id, expected_version)
    password = generate_password()
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    revoke_user_tokens(session, user)
    throttle.clear(session, throttle.account_key(user.id))
    session.flush()
    return user, password
