"""Writing the collection: new STIX versions of a bulletin's objects when it is published,
edited while published or withdrawn, built once here and served as stored.

Every version gets a `date_added` from `Moments`, strictly after the previous one in the
whole collection, under the lock of the collection's head row; an edit that changes nothing
an object says adds no version of it; a withdrawal revokes every object of the bulletin.
"""

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from oversight.db import utcnow
from oversight.taxii import markings, repository, stix
from oversight.taxii.models import StixObject, StixVersion

MICROSECOND = timedelta(microseconds=1)
MILLISECOND = timedelta(milliseconds=1)


class Published(Protocol):
    """What the feed reads of a bulletin (it does not import the bulletins domain)."""

    id: uuid.UUID
    agency_id: uuid.UUID
    title: str
    summary: str
    body: str
    category: str
    severity: str
    indicators: list[Any]
    references: list[Any]
    tlp: str
    protective_marking: str
    status: str
    published_at: datetime | None


class Moments:
    """`date_added` values: each after the last one handed out in the collection, even
    within one microsecond, taken under the head row's lock until the transaction ends."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.head = repository.locked_head(session)
        self.last = self.head.last_added

    def next(self) -> datetime:
        now = utcnow()
        self.last = now if self.last is None or now > self.last else self.last + MICROSECOND
        self.head.last_added = self.last
        return self.last


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _content_digest(body: str) -> str:
    return _digest(json.dumps(stix.without_times(body), sort_keys=True))


def _ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


class Writer:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.moments = Moments(session)

    def stamp(self, obj: StixObject, revoked: bool = False) -> stix.Stamp:
        """A version time after the object's last one, to the millisecond STIX asks for."""
        modified = _ms(utcnow())
        if obj.versions and modified <= obj.modified:
            modified = obj.modified + MILLISECOND
        return stix.Stamp(obj.stix_id, obj.created if obj.versions else modified, modified, revoked)

    def object(self, key: str, stix_type: str, bulletin_id: uuid.UUID | None) -> StixObject:
        digest = _digest(key)
        found = repository.live_object(self.session, digest)
        if found is not None:
            return found
        obj = StixObject(
            id=uuid.uuid4(),
            stix_id=f"{stix_type}--{uuid.uuid4()}",
            stix_type=stix_type,
            key=digest,
            bulletin_id=bulletin_id,
            created=utcnow(),  # both set again by its first version
            modified=utcnow(),
            digest="",
            versions=0,
            revoked=False,
        )
        self.session.add(obj)
        return obj

    def add(self, obj: StixObject, stamp: stix.Stamp, body: str, *, force: bool = False) -> bool:
        """A new version of `obj`, unless it says what the last one said (and is not
        `force`d)."""
        digest = _content_digest(body)
        if obj.versions and digest == obj.digest and not force:
            return False
        if obj.versions:
            repository.supersede(self.session, obj)
        obj.versions += 1
        obj.created, obj.modified, obj.digest = stamp.created, stamp.modified, digest
        obj.revoked = stamp.revoked
        self.session.add(
            StixVersion(
                object_id=obj.id,
                stix_id=obj.stix_id,
                stix_type=obj.stix_type,
                bulletin_id=obj.bulletin_id,
                number=obj.versions,
                modified=stamp.modified,
                date_added=self.moments.next(),
                is_latest=True,
                body=body,
            )
        )
        self.session.flush()
        return True

    def markings(self) -> None:
        for definition in markings.ALL:
            obj = self.object(f"marking:{definition['id']}", "marking-definition", None)
            if obj.versions:
                continue
            obj.stix_id = definition["id"]
            created = datetime.fromisoformat(definition["created"].replace("Z", "+00:00"))
            self.add(obj, stix.Stamp(obj.stix_id, created, created), stix.marking(definition))

    def identity(self, agency_id: uuid.UUID, name: str) -> str:
        obj = self.object(f"agency:{agency_id}", "identity", None)
        stamp = self.stamp(obj)
        self.add(obj, stamp, stix.identity(stamp, name))
        return obj.stix_id


def record(session: Session, bulletin: Published, *, reclassified: bool = False) -> None:
    """The bulletin's objects as it now stands (published, or withdrawn: revoked).

    A reclassified bulletin gets new versions of all its objects even where their content
    is unchanged (a new recipient agency's markings are the same): those who may read it
    now find them after the point they have synchronised to.
    """
    writer = Writer(session)
    writer.markings()
    identity_id = writer.identity(bulletin.agency_id, repository.agency_name(session, bulletin))
    if bulletin.status == "withdrawn":
        for obj in repository.live_objects(session, bulletin.id):
            stamp = writer.stamp(obj, revoked=True)
            writer.add(obj, stamp, stix.revoked(repository.latest_body(session, obj), stamp))
        return
    published = bulletin.published_at or utcnow()
    m = stix.marked(identity_id, bulletin.tlp, bulletin.protective_marking, published)
    refs: list[str] = []
    kept: set[str] = set()
    for item in bulletin.indicators:
        kind, value = item["type"], item["value"]
        note = item.get("description") or f"From the bulletin: {bulletin.title}"
        stix_type = "vulnerability" if kind == "cve" else "indicator"
        obj = writer.object(f"bulletin:{bulletin.id}:{kind}:{value}", stix_type, bulletin.id)
        stamp = writer.stamp(obj)
        if kind == "cve":
            body = stix.vulnerability(stamp, m, value.upper(), note)
        else:
            body = stix.indicator(stamp, m, kind, value, note)
        writer.add(obj, stamp, body, force=reclassified)
        refs.append(obj.stix_id)
        kept.add(obj.stix_id)
    report = writer.object(f"bulletin:{bulletin.id}:report", "report", bulletin.id)
    kept.add(report.stix_id)
    for obj in repository.live_objects(session, bulletin.id):
        if obj.stix_id not in kept:  # an indicator the edit removed
            stamp = writer.stamp(obj, revoked=True)
            writer.add(obj, stamp, stix.revoked(repository.latest_body(session, obj), stamp))
    stamp = writer.stamp(report)
    body = stix.report(
        stamp,
        m,
        title=bulletin.title,
        summary=bulletin.summary,
        body=bulletin.body,
        labels=[bulletin.category, bulletin.severity],
        references=list(bulletin.references),
        object_refs=refs,
    )
    writer.add(report, stamp, body, force=reclassified)


def backfill(session: Session, model: type[Any]) -> int:
    """Versions for `model`'s (bulletins') published before the collection existed; how
    many bulletins it fed."""
    done = 0
    for bulletin in repository.unfed(session, model):
        status = bulletin.status
        if status == "withdrawn":
            record(session, _AsPublished(bulletin))
        record(session, bulletin)
        done += 1
    return done


class _AsPublished:
    """A withdrawn bulletin as it stood before its withdrawal, for the backfill."""

    def __init__(self, bulletin: Published) -> None:
        self._b = bulletin

    def __getattr__(self, name: str) -> Any:
        return "published" if name == "status" else getattr(self._b, name)
