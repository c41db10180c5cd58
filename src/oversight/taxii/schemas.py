"""TAXII 2.1 resources as documented in the OpenAPI document (the bodies are built as the
specification spells them; these models describe them)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

TAXII_JSON = "application/taxii+json;version=2.1"
STIX_JSON = "application/stix+json;version=2.1"


class Discovery(BaseModel):
    title: str
    description: str | None = None
    default: str | None = None
    api_roots: list[str]


class ApiRoot(BaseModel):
    title: str
    description: str | None = None
    versions: list[str]
    max_content_length: int


class Collection(BaseModel):
    id: str
    title: str
    description: str | None = None
    can_read: bool
    can_write: bool
    media_types: list[str]


class Collections(BaseModel):
    collections: list[Collection] = Field(default_factory=list)


class Envelope(BaseModel):
    """A page of STIX objects; `next` only (and always) when `more` is true."""

    model_config = ConfigDict(extra="allow")

    more: bool
    next: str | None = None
    objects: list[dict[str, Any]] | None = None


class ManifestRecord(BaseModel):
    id: str
    date_added: str
    version: str
    media_type: str


class Manifest(BaseModel):
    more: bool
    next: str | None = None
    objects: list[ManifestRecord] | None = None


class Versions(BaseModel):
    more: bool
    next: str | None = None
    versions: list[str] | None = None


class TaxiiError(BaseModel):
    """A TAXII 2.1 error message: every error under `/taxii2/`."""

    title: str
    description: str | None = None
    error_id: str | None = None
    error_code: str | None = None
    http_status: str
