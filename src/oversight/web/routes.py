"""The families of endpoints written once: creating an item, reading one, deleting one, a
lifecycle step of an item (suspend, disable, publish, approve, ...) and a list: of the items,
filtered, or of an item's children (revisions, progress, receipts).

Each family has one shape — parse the id and what the request names, call one service,
shape the answer — so the shape lives here and the domains say what differs: the path, the
principal they need, the service, the answer's model and its documentation.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from oversight.db.keyset import Key, PageSlice
from oversight.errors import responses
from oversight.web import paging
from oversight.web.etag import ExpectedVersion, TaggedDep
from oversight.web.idempotency import IdempotencyDep
from oversight.web.operation_ids import ids
from oversight.web.paging import Page, PageDep
from oversight.web.session import SessionDep

Step = Callable[..., Any]
Fetch = Callable[[Session, Any, Any, PageSlice], tuple[list[Any], Key | None]]


def resource_router(prefix: str, tag: str, one: str) -> APIRouter:
    """The router of a kind of item at `prefix` (`/service-accounts`), under the docs' `tag`;
    its operation ids are `<resource>.<verb>` (`service_accounts.create`), `one` naming an item
    in its endpoints' names (`get_service_account`)."""
    resource = prefix.strip("/").replace("-", "_")
    return APIRouter(
        prefix=prefix, tags=[tag], generate_unique_id_function=ids(resource, resource, one)
    )


def with_reason(step: Step) -> Step:
    """A step whose body gives a reason (a withdrawal, a reopening): the service takes its text."""
    return lambda session, principal, item_id, body, version: step(
        session, principal, item_id, body.reason, version
    )


def lifecycle(
    router: APIRouter,
    path: str,
    *,
    name: str,
    id_param: str,
    principal: Any,
    step: Step,
    answer: type[BaseModel],
    body: Any = None,
    method: str = "POST",
    show: Callable[[Any], Any] | None = None,
    **doc: Any,
) -> None:
    """`method path`: `step(session, principal, id[, body], expected_version)`, answered as
    `answer` with its `ETag` (`show` turns what the step returns into the answer)."""
    shown = show or answer.model_validate
    Id = Annotated[uuid.UUID, Path(alias=id_param)]
    Given = body  # the parameter is named `body`: a list body's schema is titled by it

    def without_body(
        item_id: Id,
        session: SessionDep,
        caller: principal,
        tagged: TaggedDep,
        expected_version: ExpectedVersion,
    ) -> Any:
        return tagged(shown(step(session, caller, item_id, expected_version)))

    def with_body(
        item_id: Id,
        body: Given,
        session: SessionDep,
        caller: principal,
        tagged: TaggedDep,
        expected_version: ExpectedVersion,
    ) -> Any:
        return tagged(shown(step(session, caller, item_id, body, expected_version)))

    endpoint = without_body if body is None else with_body
    router.add_api_route(path, endpoint, methods=[method], name=name, response_model=answer, **doc)


def listing(
    router: APIRouter,
    path: str,
    *,
    name: str,
    principal: Any,
    given: Any,
    fetch: Fetch,
    item: type[BaseModel],
    serialised: bool = False,
    **doc: Any,
) -> None:
    """`GET path`: a page of `fetch(session, principal, given, page)`, each row as `item`
    (`serialised`: each row `item` as JSON already, from stored representations); `given` is
    what the request names: the list's filters (a query model) or the item whose children
    these are (a path parameter)."""

    def endpoint(named: given, session: SessionDep, caller: principal, page: PageDep) -> Any:
        rows = fetch(session, caller, named, page.slice)
        if serialised:
            return paging.respond_json(page, rows)
        return paging.respond(page, rows, item.model_validate)

    router.add_api_route(
        path, endpoint, methods=["GET"], name=name, response_model=Page[item], **doc
    )


@dataclass(frozen=True)
class ItemRoutes:
    """The lifecycle steps and child lists of one kind of item, with what they share said
    once: the router, the path parameter naming the item, who may call, the answer."""

    router: APIRouter
    id_param: str
    principal: Any
    answer: type[BaseModel] | None = None  # of the steps; child lists name their own
    show: Callable[[Any], Any] | None = None
    noun: str = ""  # in the endpoints' names (`get_<noun>`); by default the id's, `_id` cut

    @property
    def one(self) -> str:
        return self.noun or self.id_param.removesuffix("_id")

    def create(
        self,
        make: Step,
        body: type[BaseModel],
        samples: dict[str, Any] | None = None,
        *,
        answer: type[BaseModel] | None = None,
        show: Callable[[Any], Any] | None = None,
        secret_fields: frozenset[str] = frozenset(),
        **doc: Any,
    ) -> None:
        """`POST ""` (`create_<noun>`): `make(session, principal, body)`, answered 201 with
        the new item's `Location` (its `get_<noun>` route) and `ETag`; a retry with the same
        `Idempotency-Key` replays the first answer (`secret_fields` kept as null)."""
        doc.setdefault("responses", responses(401, 403, 409, 422))
        caller_dep = doc.pop("principal", self.principal)
        answer = answer or self.answer
        assert answer is not None, "a create needs the answer's model"
        shown = show or self.show or answer.model_validate
        Given = body if samples is None else Annotated[body, Body(openapi_examples=samples)]
        at = (f"get_{self.one}", self.id_param)

        def endpoint(
            body: Given, session: SessionDep, caller: caller_dep, idem: IdempotencyDep
        ) -> JSONResponse:
            def produce() -> BaseModel:
                return shown(make(session, caller, body))

            return idem.respond(session, caller, produce, at=at, secret_fields=secret_fields)

        self.router.add_api_route(
            "",
            endpoint,
            methods=["POST"],
            name=f"create_{self.one}",
            status_code=201,
            response_model=answer,
            **doc,
        )

    def get(
        self,
        fetch: Step,
        principal: Any,
        *,
        answer: type[BaseModel] | None = None,
        show: Callable[[Any], Any] | None = None,
        **doc: Any,
    ) -> None:
        """`GET /{id}` (`get_<noun>`): `fetch(session, principal, id)`, with its `ETag`."""
        doc.setdefault("responses", responses(401, 403, 404))
        answer = answer or self.answer
        assert answer is not None, "a read needs the answer's model"
        shown = show or self.show or answer.model_validate
        Id = Annotated[uuid.UUID, Path(alias=self.id_param)]

        def endpoint(item_id: Id, session: SessionDep, caller: principal, tagged: TaggedDep) -> Any:
            return tagged(shown(fetch(session, caller, item_id)))

        path = f"/{{{self.id_param}}}"
        self.router.add_api_route(
            path, endpoint, methods=["GET"], name=f"get_{self.one}", response_model=answer, **doc
        )

    def delete(self, name: str, step: Step, **doc: Any) -> None:
        """`DELETE /{id}`: `step(session, principal, id, expected_version)`, answered 204."""
        caller_dep = doc.pop("principal", self.principal)
        Id = Annotated[uuid.UUID, Path(alias=self.id_param)]

        def endpoint(
            item_id: Id, session: SessionDep, caller: caller_dep, expected_version: ExpectedVersion
        ) -> Response:
            step(session, caller, item_id, expected_version)
            return Response(status_code=204)

        path = f"/{{{self.id_param}}}"
        self.router.add_api_route(
            path, endpoint, methods=["DELETE"], name=name, status_code=204, **doc
        )

    def step(
        self, method: str, path: str, name: str, step: Step, body: Any = None, **doc: Any
    ) -> None:
        """`method path` runs `step` on the item (see `lifecycle`); `principal=` overrides."""
        doc.setdefault("principal", self.principal)
        assert self.answer is not None, "a step needs the answer's model"
        lifecycle(
            self.router,
            path,
            name=name,
            id_param=self.id_param,
            step=step,
            answer=self.answer,
            body=body,
            method=method,
            show=self.show,
            **doc,
        )

    def listing(self, fetch: Fetch, query: type[BaseModel], item: type[BaseModel], **doc: Any):
        """`GET ""` (`list_<noun>s`): a page of the items `query` selects (see `listing`;
        `serialised=True` for a fetch that serves stored representations)."""
        doc.setdefault("principal", self.principal)
        given = Annotated[query, Query()]
        listing(
            self.router, "", name=f"list_{self.one}s", given=given, fetch=fetch, item=item, **doc
        )

    def children(self, path: str, name: str, fetch: Fetch, item: type[BaseModel], **doc: Any):
        """`GET path`: a page of the item's children (see `listing`)."""
        doc.setdefault("principal", self.principal)
        given = Annotated[uuid.UUID, Path(alias=self.id_param)]
        listing(self.router, path, name=name, given=given, fetch=fetch, item=item, **doc)
