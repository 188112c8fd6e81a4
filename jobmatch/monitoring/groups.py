"""Fairness: how often each group of job seekers reaches each step (shown in the first ten
of the candidate lists employers and counsellors see, referred, shortlisted, hired),
against its share of the pool. Gender, age band (from the birth year), disability (told
with consent) and region, and every combination of two. Read only here: none of them is
an input to ranking."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import combinations

import sqlalchemy as sa

from jobmatch.contracts.models import LabourContract
from jobmatch.counselling.models import Referral
from jobmatch.database import among, utcnow
from jobmatch.extensions import db
from jobmatch.monitoring.exposure import TOP
from jobmatch.monitoring.models import Exposure
from jobmatch.people.models import Person
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Application, ApplicationEvent

DIMENSIONS = ("gender", "age", "disability", "region")
PAIRS = tuple(combinations(DIMENSIONS, 2))
STAGES = ("shown", "referred", "shortlisted", "hired")
# Age bands: (code, lowest age, highest age)
AGE_BANDS = (("under_25", 0, 24), ("25_34", 25, 34), ("35_44", 35, 44), ("45_54", 45, 54),
             ("55_plus", 55, 200))  # fmt: skip
NOT_TOLD = "not_told"
FOUR_FIFTHS = 0.8
MIN_GROUP = 10  # groups with fewer people in the pool are not shown
MIN_EVIDENCE = 5  # the four-fifths rule is applied once the best-served group has this many


def _age(year: int):
    age = year - Person.birth_year
    return sa.case(
        *((age.between(low, high), code) for code, low, high in AGE_BANDS), else_=NOT_TOLD
    )


def _columns(year: int) -> dict:
    return {
        "gender": sa.func.coalesce(sa.type_coerce(Person.gender, sa.String), NOT_TOLD),
        "age": _age(year),
        "disability": sa.case(
            (Person.disability.is_(True), "yes"),
            (Person.disability.is_(False), "no"),
            else_=NOT_TOLD,
        ),  # fmt: skip
        "region": sa.func.coalesce(Person.region, NOT_TOLD),
    }


def _month(column):
    if db.engine.dialect.name == "postgresql":
        return sa.func.to_char(column, "YYYY-MM")
    return sa.func.strftime("%Y-%m", column)


def _reached(stage: str, start: datetime, end: datetime, by_month: bool = False):
    """(seeker id[, month]) of those who reached `stage` between `start` and `end`."""
    if stage == "shown":
        when = Exposure.day
        query = sa.select(Exposure.seeker_id.label("seeker_id"), when.label("at")).where(
            Exposure.surface.in_(("candidates", "case")),
            Exposure.rank <= TOP,
            Exposure.day >= start.date(),
            Exposure.day < end.date() + timedelta(days=1),
        )
    elif stage == "referred":
        when = Referral.created_at
        query = sa.select(Referral.seeker_id.label("seeker_id"), when.label("at")).where(
            when >= start, when < end
        )
    else:
        when = ApplicationEvent.created_at
        query = (
            sa.select(Application.seeker_id.label("seeker_id"), when.label("at"))
            .join(Application, Application.id == ApplicationEvent.application_id)
            .where(ApplicationEvent.status == stage, when >= start, when < end)
        )
        if stage == "hired":  # placements by referral, confirmed by a labour contract
            placed = (
                sa.select(
                    Referral.seeker_id.label("seeker_id"),
                    sa.cast(LabourContract.start_date, sa.DateTime).label("at"),
                )
                .join(LabourContract, LabourContract.referral_id == Referral.id)
                .where(
                    LabourContract.status.in_(("active", "terminated")),
                    LabourContract.start_date >= start.date(),
                    LabourContract.start_date <= end.date(),
                )
            )
            query = sa.union_all(query, placed)
    sub = query.subquery()
    columns = [sub.c.seeker_id] + ([_month(sub.c.at).label("month")] if by_month else [])
    return sa.select(*columns).distinct().subquery()


def _counted(year: int, by=(), reached=None):
    """People of the pool (job seekers who let employers find them), or those of them who
    reached a step (`reached`), counted by the four attributes and `by` at once."""
    cols = _columns(year)
    query = (
        sa.select(*(c.label(n) for n, c in cols.items()), *by, sa.func.count().label("n"))
        .select_from(SeekerProfile)
        .join(Person, Person.id == SeekerProfile.person_id)
        .where(Person.anonymised_at.is_(None))
    )
    if reached is not None:
        query = query.join(reached, reached.c.seeker_id == SeekerProfile.id)
    else:
        query = query.where(SeekerProfile.visible.is_(True))
    return db.session.execute(query.group_by(*cols.values(), *by)).all()


def _pools_by_month(year: int, months: list[str]) -> dict[str, list]:
    """The pool at the end of each month (profiles made by then), from one query that counts
    the profiles by the month they were made."""
    rows = _counted(year, [_month(SeekerProfile.created_at).label("month")])
    return {month: [r for r in rows if r.month <= month] for month in months}


def _tally(rows, dims: tuple[str, ...]) -> dict[tuple, int]:
    out: dict[tuple, int] = {}
    for row in rows:
        key = tuple(getattr(row, d) for d in dims)
        out[key] = out.get(key, 0) + row.n
    return out


@dataclass
class GroupRate:
    dimension: str  # "gender", or "gender+age"
    group: tuple  # ("female",) or ("female", "25_34")
    stage: str
    pool: int
    reached: int
    share_of_pool: float
    share_of_reached: float | None
    rate: float
    ratio: float | None = None  # to the best-served group of the dimension
    flagged: bool = False  # under four fifths


@dataclass
class Fairness:
    start: date
    end: date
    pool: int
    rates: list[GroupRate] = field(default_factory=list)
    trend: list = field(default_factory=list)  # [month, stage, dimension, lowest ratio, group]
    hidden: int = 0  # groups left out for being under MIN_GROUP


def _rates(pool_rows, reached_rows, stage: str, min_group: int) -> tuple[list[GroupRate], int]:
    out, hidden = [], 0
    total_pool = sum(r.n for r in pool_rows) or 1
    total_reached = sum(r.n for r in reached_rows)
    for dims in [(d,) for d in DIMENSIONS] + list(PAIRS):
        pools, reached = _tally(pool_rows, dims), _tally(reached_rows, dims)
        rows = []
        for key, n in sorted(pools.items()):
            if n < min_group:
                hidden += 1
                continue
            got = min(reached.get(key, 0), n)
            rows.append(
                GroupRate("+".join(dims), key, stage, n, got, n / total_pool,
                          got / total_reached if total_reached else None, got / n)
            )  # fmt: skip
        best = max(rows, key=lambda r: r.rate, default=None)
        for r in rows:
            r.ratio = r.rate / best.rate if best and best.rate else None
            r.flagged = (
                r.ratio is not None and r.ratio < FOUR_FIFTHS and best.reached >= MIN_EVIDENCE
            )
        out += rows
    return out, hidden


def _months_back(today: date, n: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _i in range(n):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return months[::-1]


def fairness(days: int = 90, months: int = 12, min_group: int = MIN_GROUP) -> Fairness:
    """The rates of the last `days`, and the monthly trend of the last `months`."""
    now = utcnow()
    year = now.year
    start = datetime.combine(now.date() - timedelta(days=days), time())
    pool_rows = _counted(year)
    result = Fairness(start.date(), now.date(), sum(r.n for r in pool_rows))
    for stage in STAGES:
        reached_rows = _counted(year, reached=_reached(stage, start, now))
        rates, hidden = _rates(pool_rows, reached_rows, stage, min_group)
        result.rates += rates
        result.hidden += hidden
    # The trend: each month, the lowest ratio of each single dimension and stage.
    first = _months_back(now.date(), months)
    since = datetime.combine(first[0], time())
    pools = _pools_by_month(year, [m.strftime("%Y-%m") for m in first])
    for stage in STAGES:
        monthly = _reached(stage, since, now, by_month=True)
        rows = _counted(year, [monthly.c.month], monthly)
        for label, pool in pools.items():
            rates, _h = _rates(pool, [r for r in rows if r.month == label], stage, min_group)
            for dimension in DIMENSIONS:
                mine = [r for r in rates if r.dimension == dimension and r.ratio is not None]
                if mine and any(r.reached for r in mine):
                    worst = min(mine, key=lambda r: r.ratio)
                    result.trend.append([label, stage, dimension, worst.ratio, worst.group])
    return result


def attributes_of(seeker_ids) -> dict[int, dict[str, str]]:
    """The four attributes of each seeker (for the outcomes by group)."""
    ids = list(seeker_ids)
    if not ids:
        return {}
    cols = _columns(utcnow().year)
    rows = db.session.execute(
        sa.select(SeekerProfile.id, *(c.label(n) for n, c in cols.items()))
        .join(Person, Person.id == SeekerProfile.person_id)
        .where(among(SeekerProfile.id, ids))
    ).all()
    return {r.id: {d: getattr(r, d) for d in DIMENSIONS} for r in rows}
