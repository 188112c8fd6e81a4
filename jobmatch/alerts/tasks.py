"""The saved searches' job."""

import logging

import sqlalchemy as sa

from jobmatch.alerts.models import SavedSearch
from jobmatch.alerts.services import check
from jobmatch.database import changes
from jobmatch.extensions import db
from jobmatch.i18n import _l
from jobmatch.tasks.registry import job

log = logging.getLogger(__name__)


@job(
    schedule=900,
    label=_l(
        "Tells job seekers of new vacancies that fit their saved searches, in the app and "
        "by e-mail."
    ),
)
def alert_saved_searches(limit: int = 5000) -> dict:
    """Announce new vacancies to the people whose saved searches they fit. Each search is
    checked and committed on its own: one that fails is logged and tried again next time."""
    ids = db.session.scalars(
        sa.select(SavedSearch.id)
        .where(SavedSearch.alerts.is_(True))
        .order_by(SavedSearch.checked_at)
        .limit(limit)
    ).all()
    outcome = {"checked": 0, "announced": 0, "failed": 0}
    for search_id in ids:
        try:
            with changes():
                row = db.session.get(SavedSearch, search_id)
                if row is None:
                    continue
                outcome["announced"] += check(row)
            outcome["checked"] += 1
        except Exception:
            log.exception("saved search %s could not be checked", search_id)
            outcome["failed"] += 1
    return outcome
