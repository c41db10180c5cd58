"""Roles, scopes, and which scopes each role brings."""

from enum import StrEnum


class Role(StrEnum):
    member = "member"
    editor = "editor"
    agency_admin = "agency_admin"
    admin = "admin"
    auditor = "auditor"


class Scope(StrEnum):
    bulletins_read = "bulletins:read"
    bulletins_write = "bulletins:write"
    meetings_read = "meetings:read"
    meetings_write = "meetings:write"
    actions_read = "actions:read"
    actions_write = "actions:write"
    webhooks_read = "webhooks:read"
    webhooks_write = "webhooks:write"
    reports_read = "reports:read"
    reports_write = "reports:write"
    audit_read = "audit:read"
    admin = "admin"


SCOPE_DESCRIPTIONS: dict[str, str] = {
    Scope.bulletins_read: "Read threat bulletins your classification allows",
    Scope.bulletins_write: "Create, edit, publish and withdraw your agency's bulletins",
    Scope.meetings_read: "Read meetings and minutes your classification allows",
    Scope.meetings_write: "Create and minute your agency's meetings",
    Scope.actions_read: "Read action items your classification allows",
    Scope.actions_write: "Create and update action items",
    Scope.webhooks_read: "Read your agency's webhooks and their deliveries",
    Scope.webhooks_write: "Create, change and remove your agency's webhooks",
    Scope.reports_read: "Read incident and near-miss reports your classification allows, "
    "and the partnership's statistics",
    Scope.reports_write: "Report incidents and near misses for your agency",
    Scope.audit_read: "Read and verify the audit trail",
    Scope.admin: "Manage agencies, users and service accounts",
}

KNOWN_SCOPES = frozenset(s.value for s in Scope)
READ_SCOPES = frozenset(
    {Scope.bulletins_read, Scope.meetings_read, Scope.actions_read, Scope.reports_read}
)
WRITE_SCOPES = frozenset(
    {Scope.bulletins_write, Scope.meetings_write, Scope.actions_write, Scope.reports_write}
)

WEBHOOK_SCOPES = frozenset({Scope.webhooks_read, Scope.webhooks_write})

# Every principal of an action's owner agency may post progress and move its status
# (contract §7); creating and editing actions stays with editors, by the actions service.
MEMBER_SCOPES = READ_SCOPES | {Scope.actions_write}

ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.member: MEMBER_SCOPES,
    Role.editor: READ_SCOPES | WRITE_SCOPES,
    Role.agency_admin: MEMBER_SCOPES | WEBHOOK_SCOPES | {Scope.admin},
    Role.admin: MEMBER_SCOPES | {Scope.admin},
    Role.auditor: MEMBER_SCOPES | {Scope.audit_read},
}

# What a partner system may be granted; administration stays with people.
SERVICE_ACCOUNT_SCOPES = READ_SCOPES | WRITE_SCOPES | WEBHOOK_SCOPES
# Roles an agency admin may never hand out.
RESERVED_ROLES = frozenset({Role.admin, Role.auditor})


def scopes_for_roles(roles: list[str] | frozenset[str]) -> frozenset[str]:
    out: set[str] = set(ROLE_SCOPES[Role.member])
    for role in roles:
        if role in Role.__members__:
            out |= ROLE_SCOPES[Role(role)]
    return frozenset(out)


def parse_scope(value: str | None) -> frozenset[str]:
    return frozenset(value.split()) if value else frozenset()


def format_scope(scopes: frozenset[str] | set[str]) -> str:
    return " ".join(sorted(scopes))
