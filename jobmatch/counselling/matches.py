"""The ranked lists a counsellor works from, with the counsellors' decisions applied:
matches put forward come first (even from beyond the top of the list), hidden ones apart."""

from dataclasses import dataclass, field

from jobmatch.counselling.services import arrange, decisions
from jobmatch.employers.candidates import SHOWN, ranked_candidates
from jobmatch.matching.services import SeekerFilter, VacancyFilter
from jobmatch.monitoring.exposure import record_shown
from jobmatch.seekers.recommend import recommendations


@dataclass
class Arranged:
    items: list = field(default_factory=list)
    hidden: list = field(default_factory=list)
    decided: dict = field(default_factory=dict)  # (seeker id, vacancy id) -> MatchDecision
    state: str = "ready"


def _promoted_elsewhere(decided: dict, side: int, shown: set[int]) -> tuple[int, ...]:
    """Ids (side 0: seekers, 1: vacancies) put first by a counsellor but not in the list."""
    return tuple(
        pair[side]
        for pair, d in decided.items()
        if d.decision == "promoted" and pair[side] not in shown
    )


def vacancies_for(profile, k: int = 15, viewer=None) -> Arranged:
    """Open vacancies for a job seeker: (vacancy, fit, reasons), best first; logged as
    shown to `viewer` (a counsellor) when given."""

    result = recommendations(profile, k)
    decided = decisions(seeker_ids=[profile.id])
    missing = _promoted_elsewhere(decided, 1, {vacancy.id for vacancy, _f, _w in result.items})
    items = list(result.items)
    if missing and result.state == "ready":
        items = recommendations(profile, len(missing), VacancyFilter(ids=missing)).items + items
    items, hidden = arrange(items, decided, key=lambda item: (profile.id, item[0].id))
    record_shown(viewer, "case", [(profile.id, item[0].id) for item in items])
    return Arranged(items, hidden, decided, result.state)


def candidates_for(user, vacancy, k: int = SHOWN) -> Arranged:
    """Job seekers for a vacancy (Candidate rows), best first, as shown to `user` (logged)."""

    result = ranked_candidates(user, vacancy, k)
    decided = decisions(vacancy_ids=[vacancy.id])
    missing = _promoted_elsewhere(decided, 0, {c.profile.id for c in result.items})
    items = list(result.items)
    if missing and result.state == "ready":
        more = ranked_candidates(user, vacancy, len(missing), SeekerFilter(ids=missing))
        items = more.items + items
    items, hidden = arrange(items, decided, key=lambda c: (c.profile.id, vacancy.id))
    record_shown(user, "candidates", [(c.profile.id, vacancy.id) for c in items])
    return Arranged(items, hidden, decided, result.state)
