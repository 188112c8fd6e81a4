"""Outcomes grade the ranking: each shortlist, hire and confirmed placement is recorded
with where the ranking had put the pair before it, and read back as "How matching did"."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from jobmatch.counselling.models import MatchDecision, Referral
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.monitoring.exposure import TOP, shown
from jobmatch.monitoring.groups import MIN_GROUP, attributes_of
from jobmatch.monitoring.models import MatchOutcome

# Rank bands of the distribution, and their labels' order.
BANDS = ((1, 1, "1"), (2, 3, "2–3"), (4, 10, "4–10"), (11, 20, "11–20"), (21, 10_000, "21+"))
NOT_SHOWN = "not shown"


def record_outcome(kind: str, seeker_id: int, vacancy_id: int) -> MatchOutcome | None:
    """Record a shortlist, hire or placement once per pair and kind, with the best rank the
    pair was shown at until now, to whom, and the counsellors' decisions on it. Flushes."""
    found = db.session.scalar(
        sa.select(MatchOutcome).where(
            MatchOutcome.kind == kind,
            MatchOutcome.seeker_id == seeker_id,
            MatchOutcome.vacancy_id == vacancy_id,
        )
    )
    if found is not None:
        return found
    db.session.flush()
    rank, roles = shown(seeker_id, vacancy_id)
    decision = db.session.scalar(
        sa.select(MatchDecision.decision).where(
            MatchDecision.seeker_id == seeker_id, MatchDecision.vacancy_id == vacancy_id
        )
    )
    referred = db.session.scalar(
        sa.select(sa.func.count()).where(
            Referral.seeker_id == seeker_id, Referral.vacancy_id == vacancy_id
        )
    )
    outcome = MatchOutcome(
        kind=kind, seeker_id=seeker_id, vacancy_id=vacancy_id, at=utcnow(), rank=rank,
        shown_to=",".join(roles), decision=decision, referred=bool(referred),
    )  # fmt: skip
    db.session.add(outcome)
    db.session.flush()
    return outcome


def take_back(kind: str, seeker_id: int, vacancy_id: int) -> None:
    """An employer undid the step: its outcome goes."""
    db.session.execute(
        sa.delete(MatchOutcome).where(
            MatchOutcome.kind == kind,
            MatchOutcome.seeker_id == seeker_id,
            MatchOutcome.vacancy_id == vacancy_id,
        )
    )


def band(rank: int | None) -> str:
    if rank is None:
        return NOT_SHOWN
    return next(name for low, high, name in BANDS if low <= rank <= high)


@dataclass
class Report:
    """The rank distribution of each kind of outcome, the share found in the top 10, by
    month and by group."""

    kinds: dict = field(default_factory=dict)  # kind -> {"n", "top", "share", "bands": {}}
    months: list = field(default_factory=list)  # [month, kind, n, in top 10, share]
    groups: list = field(default_factory=list)  # [dimension, group, kind, n, top, share]
    rows: list = field(default_factory=list)  # one a outcome, for the CSV


def _summary(ranks: list) -> dict:
    n = len(ranks)
    top = sum(1 for r in ranks if r is not None and r <= TOP)
    bands = Counter(band(r) for r in ranks)
    return {
        "n": n,
        "top": top,
        "share": top / n if n else None,
        "bands": [(name, bands.get(name, 0)) for *_r, name in BANDS]
        + [(NOT_SHOWN, bands.get(NOT_SHOWN, 0))],
    }


def report(days: int | None = None) -> Report:
    """How matching did: from the outcomes recorded in the last `days` (all, if None)."""
    query = sa.select(MatchOutcome).order_by(MatchOutcome.at)
    if days is not None:
        query = query.where(MatchOutcome.at >= utcnow() - timedelta(days=days))
    outcomes = db.session.scalars(query).all()
    result = Report()
    by_kind: dict[str, list] = {}
    by_month: dict[tuple, list] = {}
    for o in outcomes:
        by_kind.setdefault(o.kind, []).append(o.rank)
        by_month.setdefault((o.at.strftime("%Y-%m"), o.kind), []).append(o.rank)
    result.kinds = {kind: _summary(ranks) for kind, ranks in by_kind.items()}
    for (month, kind), ranks in sorted(by_month.items()):
        s = _summary(ranks)
        result.months.append([month, kind, s["n"], s["top"], s["share"]])
    people = attributes_of({o.seeker_id for o in outcomes})
    by_group: dict[tuple, list] = {}
    for o in outcomes:
        for dimension, group in people.get(o.seeker_id, {}).items():
            by_group.setdefault((dimension, group, o.kind), []).append(o.rank)
    for (dimension, group, kind), ranks in sorted(by_group.items()):
        if len(ranks) >= MIN_GROUP:
            s = _summary(ranks)
            result.groups.append([dimension, group, kind, s["n"], s["top"], s["share"]])
    result.rows = [
        [o.at.date().isoformat(), o.kind, o.vacancy_id, o.rank, o.shown_to, o.decision or "",
         o.referred]
        for o in outcomes
    ]  # fmt: skip
    return result
