"""Recommended vacancies for a job seeker, with their reasons, ready for a page."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from jobmatch.database import among
from jobmatch.extensions import db
from jobmatch.matching.explain import reasons_for
from jobmatch.matching.services import is_indexed, vacancies_for_seeker
from jobmatch.monitoring.exposure import record_shown
from jobmatch.vacancies.models import Vacancy


@dataclass
class Recommendations:
    items: list[tuple] = field(default_factory=list)  # (vacancy, fit, reasons)
    state: str = "ready"  # ready, pending (the profile is being indexed), unavailable


def recommendations(profile, k: int = 10, flt=None, load=None, shown_to=None) -> Recommendations:
    """The best `k` open vacancies for the profile, each loaded with the relations `load`
    names (all in one statement each), with its reasons. `shown_to`: the user the list is
    shown to, as the person's own matches (the exposure log)."""
    try:
        fits = vacancies_for_seeker(profile.id, k, flt)
        if not fits and not is_indexed("seeker", profile.id):
            return Recommendations(state="pending")
    except (OSError, RuntimeError, ValueError):
        current_app.logger.exception("recommendations for seeker %s failed", profile.id)
        return Recommendations(state="unavailable")
    rows = {
        v.id: v
        for v in db.session.scalars(
            sa.select(Vacancy)
            .where(among(Vacancy.id, [f.vacancy_id for f in fits]))
            .options(*(load or (selectinload(Vacancy.employer),)))
        )
    }
    fits = [f for f in fits if f.vacancy_id in rows]
    record_shown(shown_to, "matches", [(profile.id, f.vacancy_id) for f in fits])
    return Recommendations(
        items=[(rows[f.vacancy_id], f, why) for f, why in zip(fits, reasons_for(fits), strict=True)]
    )
