"""One-line makers for agencies, users, service accounts and their tokens."""

import uuid
from typing import Any

from sqlalchemy.orm import Session

from oversight.accounts.models import Agency, ServiceAccount, User
from oversight.auth.passwords import hash_password, new_secret, secret_digest
from oversight.auth.scopes import format_scope, scopes_for_roles
from oversight.auth.tokens import TokenCodec

DEFAULT_PASSWORD = "correct horse battery staple"


class Factory:
    def __init__(self, session: Session, codec: TokenCodec) -> None:
        self.session = session
        self.codec = codec
        self.secrets: dict[uuid.UUID, str] = {}

    def agency(self, name: str | None = None, sector: str = "police", **kw: Any) -> Agency:
        suffix = uuid.uuid4().hex[:8]
        agency = Agency(
            name=name or f"Agency {suffix}",
            slug=kw.pop("slug", f"agency-{suffix}"),
            sector=sector,
            **kw,
        )
        self.session.add(agency)
        self.session.commit()
        return agency

    def user(
        self,
        agency: Agency | None = None,
        roles: list[str] | None = None,
        password: str = DEFAULT_PASSWORD,
        **kw: Any,
    ) -> User:
        agency = agency or self.agency()
        email = kw.pop("email", f"user-{uuid.uuid4().hex[:10]}@example.org")
        user = User(
            email=email,
            display_name=kw.pop("display_name", email.split("@")[0]),
            agency_id=agency.id,
            roles=sorted({"member", *(roles or [])}),
            password_hash=hash_password(password),
            **kw,
        )
        self.session.add(user)
        self.session.commit()
        return user

    def service_account(
        self, agency: Agency | None = None, scopes: list[str] | None = None
    ) -> ServiceAccount:
        agency = agency or self.agency()
        secret = new_secret("ovs_")
        sa = ServiceAccount(
            name=f"Partner {uuid.uuid4().hex[:6]}",
            agency_id=agency.id,
            client_id=f"cli_{uuid.uuid4().hex[:16]}",
            secret_hash=secret_digest(secret),
            scopes=scopes if scopes is not None else ["bulletins:read"],
        )
        self.session.add(sa)
        self.session.commit()
        self.secrets[sa.id] = secret
        return sa

    def token(self, principal: User | ServiceAccount, scope: str | None = None) -> str:
        aver = self.session.get_one(Agency, principal.agency_id).token_version
        if isinstance(principal, User):
            scopes = scope or format_scope(scopes_for_roles(frozenset(principal.roles)))
            return self.codec.issue(
                sub=principal.id,
                kind="user",
                agency=principal.agency_id,
                scope=scopes,
                ver=principal.token_version,
                aver=aver,
            )
        return self.codec.issue(
            sub=principal.id,
            kind="service",
            agency=principal.agency_id,
            scope=scope or format_scope(set(principal.scopes)),
            ver=principal.token_version,
            aver=aver,
        )

    def headers(self, principal: User | ServiceAccount, **kw: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(principal, **kw)}"}
