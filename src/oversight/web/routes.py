"""Two families of endpoints written once: a lifecycle step of an item (suspend, disable,
publish, approve, ...) and the list of an item's children (revisions, progress, receipts).

Each family has one shape — parse the id and what the request names, call one service,
shape the answer — so the shape lives here and the domains say what differs: the path, the
principal they need, the service, the answer's model and its documentation.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel
from sqlalchemy.orm import Session

from oversight.db.keyset import Key, PageSlice
from oversight.web import paging
from oversight.web.etag import ExpectedVersion, TaggedDep
from oversight.web.paging import Page, PageDep
from oversight.web.session import SessionDep

Step = Callable[..., Any]
Children = Callable[[Session, Any, uuid.UUID, PageSlice], tuple[list[Any], Key | None]]


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


def children(
    router: APIRouter,
    path: str,
    *,
    name: str,
    id_param: str,
    principal: Any,
    fetch: Children,
    item: type[BaseModel],
    **doc: Any,
) -> None:
    """`GET path`: a page of `fetch(session, principal, id, page)`, each row as `item`."""

    def endpoint(
        item_id: Annotated[uuid.UUID, Path(alias=id_param)],
        session: SessionDep,
        caller: principal,
        page: PageDep,
    ) -> Any:
        return paging.respond(
            page, fetch(session, caller, item_id, page.slice), item.model_validate
        )

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

    def children(self, path: str, name: str, fetch: Children, item: type[BaseModel], **doc: Any):
        """`GET path`: a page of the item's children (see `children`)."""
        doc.setdefault("principal", self.principal)
        children(
            self.router, path, name=name, id_param=self.id_param, fetch=fetch, item=item, **doc
        )
