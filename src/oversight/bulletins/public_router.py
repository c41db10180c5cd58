"""HTTP for the public feed: published CLEAR bulletins, for anyone (`/public/bulletins`)."""

from fastapi import APIRouter

from oversight.bulletins import service
from oversight.bulletins.schemas import BulletinPublic
from oversight.errors import responses
from oversight.web import paging
from oversight.web.operation_ids import ids
from oversight.web.paging import Page, PageDep
from oversight.web.session import SessionDep

router = APIRouter(
    prefix="/public", tags=["Bulletins"], generate_unique_id_function=ids("bulletins", "bulletins")
)


@router.get(
    "/bulletins",
    response_model=Page[BulletinPublic],
    summary="Public feed of bulletins",
    description="Published CLEAR bulletins, newest first. No authentication.",
    responses=responses(400),
)
def public_bulletins(session: SessionDep, page: PageDep) -> Page[BulletinPublic]:
    return paging.respond(page, service.public(session, page.slice), BulletinPublic.model_validate)
