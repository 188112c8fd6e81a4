"""Saved vacancy searches and their alerts. Flushes, never commits (the job commits each)."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from jobmatch.alerts.models import SavedSearch
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.matching.services import open_vacancy_ids, search_vacancies
from jobmatch.notifications.services import link_to, notify
from jobmatch.vacancies.models import Vacancy
from jobmatch.vacancies.search import Criteria
from jobmatch.validation import InvalidInput

# A vacancy published shortly before a check may not be indexed yet: it stays a candidate
# for this long, and the `announced` list keeps it from being announced twice.
GRACE = timedelta(hours=1)
ANNOUNCED_KEPT = 500


def searches_of(user) -> list[SavedSearch]:
    return db.session.scalars(
        sa.select(SavedSearch)
        .where(SavedSearch.user_id == user.id)
        .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())
    ).all()


def get_search(user, search_id: int) -> SavedSearch | None:
    """The user's own saved search (another's is not found)."""
    row = db.session.get(SavedSearch, search_id)
    return row if row is not None and row.user_id == user.id else None


def save_search(user, name: str, criteria, alerts: bool) -> SavedSearch:
    """Keep a search's words and filters under a name; with alerts, new vacancies that fit
    it are announced from now on."""
    args = {key: str(value) for key, value in criteria.args().items() if key != "sort"}
    if not args:
        raise InvalidInput(_("Search for something, or choose a filter, before saving."))
    name = (name or "").strip() or criteria.summary()[:120]
    if len(name) > 120:
        raise InvalidInput(_("The name is too long: at most %(n)d characters.", n=120), "name")
    limit = current_app.config["SAVED_SEARCHES_MAX"]
    if len(searches_of(user)) >= limit:
        raise InvalidInput(_("You can keep at most %(n)d searches. Delete one first.", n=limit))
    row = SavedSearch(user_id=user.id, name=name, criteria=args, alerts=bool(alerts))
    row.checked_at, row.announced = utcnow(), []
    db.session.add(row)
    db.session.flush()
    return row


def set_alerts(row: SavedSearch, on: bool) -> None:
    if on and not row.alerts:
        row.checked_at = utcnow()  # announce what is new from now, not since it was off
    row.alerts = on
    db.session.flush()


def delete_search(row: SavedSearch) -> None:
    db.session.delete(row)
    db.session.flush()


def new_matches(row: SavedSearch) -> list[int]:
    """Open vacancies published since the last check that the search would show first."""

    criteria = Criteria.from_args(row.criteria)
    flt = criteria.filter()
    flt.published_after = row.checked_at - GRACE
    fresh = set(open_vacancy_ids(flt).tolist()) - set(row.announced or [])
    if not fresh:
        return []
    if not criteria.text:
        return sorted(fresh)
    config = current_app.config
    ranked = search_vacancies(criteria.text, config["ALERT_RANK"], criteria.filter())
    floor = config["ALERT_MIN_SIMILARITY"]
    return [i for i, score in ranked if i in fresh and score >= floor]


def check(row: SavedSearch) -> int:
    """Announce the search's new vacancies (in the app and by e-mail); returns how many."""

    started = utcnow()
    found = new_matches(row)
    if found:
        titles = db.session.scalars(sa.select(Vacancy.title).where(Vacancy.id.in_(found[:3]))).all()
        data = {"name": row.name, "count": len(found), "titles": titles}
        notify(row.user, "saved_search", data, link_to("vacancies.index", **row.criteria))
        row.announced = ([*(row.announced or []), *found])[-ANNOUNCED_KEPT:]
    row.checked_at = started
    db.session.flush()
    return len(found)
