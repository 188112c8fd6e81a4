"""Every committed change to a vacancy or a seeker profile queues its index job.

Session events collect the ids touched by each flush (the row itself, or the
skills and experience that make up its text); after the commit they are handed
to `request_index`; a rollback forgets them. Routes, imports, jobs and the
admin shell all go through here, so none can forget to keep the index fresh.
"""

import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from itertools import chain

import sqlalchemy as sa
from flask import current_app

from jobmatch.accounts.models import User
from jobmatch.people.models import Person
from jobmatch.seekers.models import Experience, SeekerProfile, SeekerSkill
from jobmatch.tasks.queue import QueueUnavailable, claim, enqueue, redis_connection
from jobmatch.tasks.registry import get
from jobmatch.vacancies.models import Vacancy, VacancySkill

log = logging.getLogger(__name__)

TRACKED = {
    Vacancy: ("vacancy", lambda o: o.id),
    VacancySkill: ("vacancy", lambda o: o.vacancy_id),
    SeekerProfile: ("seeker", lambda o: o.id),
    SeekerSkill: ("seeker", lambda o: o.seeker_id),
    Experience: ("seeker", lambda o: o.seeker_id),
}
# A person's facts that the job seekers' filters use (jobmatch.matching.filters): a change
# to one of them is a change to the person's seeker profile in the index.
PERSON_FACTS = ("region", "languages", "anonymised_at")
CHANGES = "jobmatch.index_changes"
INDEX_CHUNK = 64  # ids per index job
PAUSED = "jobmatch.index_paused"


def _after_flush(session, _context) -> None:
    changes = session.info.setdefault(CHANGES, set())
    for obj in chain(session.new, session.deleted, session.dirty):
        if isinstance(obj, Person):
            _person_changed(obj, changes)
            continue
        if isinstance(obj, User):
            _account_changed(obj, changes)
            continue
        spec = TRACKED.get(type(obj))
        if spec is None:
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        entity, get_id = spec
        entity_id = get_id(obj)
        if entity_id is not None:
            changes.add((entity, int(entity_id)))


def _person_changed(person: Person, changes: set) -> None:
    state = sa.inspect(person)
    if not any(state.attrs[name].history.has_changes() for name in PERSON_FACTS):
        return
    profile = person.seeker_profile
    if profile is not None and profile.id is not None:
        changes.add(("seeker", int(profile.id)))


def _account_changed(user: User, changes: set) -> None:
    """A confirmed address makes a job seeker findable (`SeekerProfile.findable`)."""
    if not sa.inspect(user).attrs.email_confirmed_at.history.has_changes():
        return
    profile = user.person.seeker_profile if user.person is not None else None
    if profile is not None and profile.id is not None:
        changes.add(("seeker", int(profile.id)))


def _after_commit(session) -> None:
    changes = session.info.pop(CHANGES, set())
    if not changes or session.info.get(PAUSED) or not current_app.config["INDEX_ON_COMMIT"]:
        return
    by_entity: dict[str, list[int]] = defaultdict(list)
    for entity, entity_id in changes:
        by_entity[entity].append(entity_id)
    for entity, ids in sorted(by_entity.items()):
        try:
            request_index(entity, ids)
        except Exception:  # the change is saved; the reconcile job catches up
            current_app.logger.exception("could not queue index jobs for %s %s", entity, ids)


def _after_rollback(session) -> None:
    session.info.pop(CHANGES, None)


@contextmanager
def paused(session) -> Iterator[None]:
    """Commits in the block queue no index jobs (the caller indexes, or leaves it to the
    reconcile)."""
    session.info[PAUSED] = True
    try:
        yield
    finally:
        session.info.pop(PAUSED, None)
        session.info.pop(CHANGES, None)


def paused_without_queue(session):
    """For CLI commands: in the embedded mode (no Redis) a job queued in this process would
    die with it, so commits queue nothing; the command indexes itself, or `flask jobmatch
    index rebuild` and the reconcile do. With Redis, jobs go to the workers as usual."""

    return paused(session) if redis_connection() is None else nullcontext()


_installed = False


def install(session_class) -> None:
    global _installed
    if _installed:
        return
    sa.event.listen(session_class, "after_flush", _after_flush)
    sa.event.listen(session_class, "after_commit", _after_commit)
    sa.event.listen(session_class, "after_rollback", _after_rollback)
    _installed = True


def request_index(entity: str, ids) -> dict[str, int]:
    """Queue index jobs for `ids` (after the commit that changed them), in chunks.

    Ids already waiting in a queued job are left out. Returns how many ids were
    queued, were already waiting, or were dropped because Redis is unreachable
    (the reconcile job finds those later).
    """
    ids = sorted({int(i) for i in ids})
    outcome = {"queued": 0, "duplicate": 0, "dropped": 0}
    if not ids:
        return outcome
    keys = [f"index:{entity}:{i}" for i in ids]
    try:
        fresh = set(claim(keys, ttl=get("index_entities").spec.timeout * 10))
    except QueueUnavailable as error:
        log.warning("%d %s index jobs not queued, Redis unreachable (%s)", len(ids), entity, error)
        outcome["dropped"] = len(ids)
        return outcome
    todo = [(i, k) for i, k in zip(ids, keys, strict=True) if k in fresh]
    outcome["duplicate"] = len(ids) - len(todo)
    for start in range(0, len(todo), INDEX_CHUNK):
        chunk = todo[start : start + INDEX_CHUNK]
        result = enqueue(
            "index_entities", entity, [i for i, _ in chunk], claimed=[k for _, k in chunk]
        )
        outcome["dropped" if result == "dropped" else "queued"] += len(chunk)
    return outcome
