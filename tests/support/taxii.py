"""What the TAXII tests share: paths, headers, and reading every page of a list."""

from typing import Any

from fastapi.testclient import TestClient

from oversight.taxii.service import COLLECTION_ID

ROOT = "/taxii2/oversight/"
COLLECTION = f"{ROOT}collections/{COLLECTION_ID}/"
OBJECTS = f"{COLLECTION}objects/"
MANIFEST = f"{COLLECTION}manifest/"
TAXII = "application/taxii+json;version=2.1"


def taxii(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Accept": TAXII}


def every_page(
    client: TestClient, headers: dict[str, str], url: str = OBJECTS, **params: Any
) -> list[list[dict[str, Any]]]:
    """Each page's objects, following `next` until `more` is false."""
    pages: list[list[dict[str, Any]]] = []
    query = dict(params)
    while True:
        r = client.get(url, params=query, headers=taxii(headers))
        assert r.status_code == 200, r.text
        body = r.json()
        pages.append(body.get("objects", []))
        assert body["more"] == ("next" in body)
        if not body["more"]:
            return pages
        query = {**params, "next": body["next"]}


def every_object(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict]:
    return [o for page in every_page(client, headers, **params) for o in page]
