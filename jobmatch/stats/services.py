"""Labour-market figures: vacancies and job seekers by ISCO major group, region and month;
skills demanded against skills offered; time to fill; placements from referrals.

`compute()` counts everything (a scheduled job stores the result); the pages read the
latest snapshot. Tables are lists of rows so that every one can be drawn and exported.
"""

import statistics
import time
from collections import Counter, defaultdict
from datetime import date, timedelta

import sqlalchemy as sa

from jobmatch.contracts.models import LabourContract, UnemploymentRegistration
from jobmatch.counselling.models import Referral
from jobmatch.counselling.services import placements
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.people.models import Person
from jobmatch.seekers.models import SeekerProfile, SeekerSkill, seeker_occupation
from jobmatch.stats.models import StatisticsSnapshot
from jobmatch.taxonomy.models import Occupation, Skill
from jobmatch.vacancies.models import Application, Vacancy, VacancySkill

MONTHS = 12
TOP_SKILLS = 15
SMALL = 5  # counts below this are shown as "<5" in the public figures
LOOKING = ("job_seeker", "registered_unemployed", "employed")


def _months(today: date) -> list[str]:
    first = today.replace(day=1)
    months = []
    for _ in range(MONTHS):
        months.append(first.strftime("%Y-%m"))
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


LOOKING_NOW = sa.and_(Person.employment_status.in_(LOOKING), Person.anonymised_at.is_(None))
CONFIRMED = LabourContract.status.in_(("active", "terminated"))


def _by_group_and_region(open_vacancy) -> tuple[dict, dict]:
    """Open positions and people looking, by ISCO major group and by region."""
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    regions: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for isco, region, positions in db.session.execute(
        sa.select(Occupation.isco_group, Vacancy.region, Vacancy.positions)
        .select_from(Vacancy)
        .outerjoin(Occupation, Occupation.id == Vacancy.occupation_id)
        .where(open_vacancy)
    ):
        groups[(isco or "?")[:1]][0] += positions
        regions[region or "?"][0] += positions
    first_occupation = (
        sa.select(
            seeker_occupation.c.seeker_id,
            sa.func.min(seeker_occupation.c.occupation_id).label("occupation_id"),
        )
        .group_by(seeker_occupation.c.seeker_id)
        .subquery()
    )
    for isco, region in db.session.execute(
        sa.select(Occupation.isco_group, Person.region)
        .select_from(SeekerProfile)
        .join(Person, Person.id == SeekerProfile.person_id)
        .outerjoin(first_occupation, first_occupation.c.seeker_id == SeekerProfile.id)
        .outerjoin(Occupation, Occupation.id == first_occupation.c.occupation_id)
        .where(LOOKING_NOW)
    ):
        groups[(isco or "?")[:1]][1] += 1
        regions[region or "?"][1] += 1
    return groups, regions


def _per_month(months: list[str], *columns_and_filters) -> list[Counter]:
    """For each (date column, condition): how many rows fall in each of `months`."""
    since = date.fromisoformat(months[0] + "-01")
    counts = []
    for column, condition in columns_and_filters:
        counter = Counter()
        for (day,) in db.session.execute(sa.select(column).where(condition, column >= since)):
            counter[day.strftime("%Y-%m")] += 1
        counts.append(counter)
    return counts


def _skill_gaps(open_vacancy, groups: dict) -> list[list]:
    """Essential skills of open vacancies against the skills of people looking."""
    demanded = dict(
        db.session.execute(
            sa.select(Skill.label_en, sa.func.count())
            .select_from(VacancySkill)
            .join(Vacancy, Vacancy.id == VacancySkill.vacancy_id)
            .join(Skill, Skill.id == VacancySkill.skill_id)
            .where(open_vacancy, VacancySkill.relation == "essential")
            .group_by(Skill.label_en)
        ).all()
    )
    offered = dict(
        db.session.execute(
            sa.select(Skill.label_en, sa.func.count())
            .select_from(SeekerSkill)
            .join(SeekerProfile, SeekerProfile.id == SeekerSkill.seeker_id)
            .join(Person, Person.id == SeekerProfile.person_id)
            .join(Skill, Skill.id == SeekerSkill.skill_id)
            .where(LOOKING_NOW)
            .group_by(Skill.label_en)
        ).all()
    )
    vacancies_total = max(1, sum(v for v, _s in groups.values()))
    seekers_total = max(1, sum(s for _v, s in groups.values()))
    skills = []
    for label, need in Counter(demanded).most_common(TOP_SKILLS):
        have = offered.get(label, 0)
        gap = need / vacancies_total - have / seekers_total
        skills.append([label, need, have, round(100 * gap, 1)])
    return skills


def _time_to_fill() -> list[list]:
    """Days from publication to the start of the contract of the person hired."""
    days_by_group: dict[str, list[int]] = defaultdict(list)
    hires = db.session.execute(
        sa.select(Vacancy.published_at, LabourContract.start_date, Occupation.isco_group)
        .select_from(LabourContract)
        .outerjoin(Application, Application.id == LabourContract.application_id)
        .outerjoin(Referral, Referral.id == LabourContract.referral_id)
        .join(Vacancy, Vacancy.id == sa.func.coalesce(Application.vacancy_id, Referral.vacancy_id))
        .outerjoin(Occupation, Occupation.id == Vacancy.occupation_id)
        .where(CONFIRMED, Vacancy.published_at.is_not(None))
    ).all()
    for published, start, isco in hires:
        days = max(0, (start - published.date()).days)
        days_by_group[(isco or "?")[:1]].append(days)
        days_by_group["all"].append(days)
    return [
        [code, len(days), round(statistics.median(days)), max(days)]
        for code, days in sorted(days_by_group.items())
    ]


def compute(today: date | None = None) -> dict:
    """Every figure, from the database as it stands."""
    today = today or utcnow().date()
    open_vacancy = Vacancy.open_on(today)
    groups, regions = _by_group_and_region(open_vacancy)
    months = _months(today)
    # by month: vacancies published, registrations opened, contracts begun, placements
    monthly = _per_month(
        months,
        (Vacancy.published_at, sa.true()),
        (UnemploymentRegistration.registered_on, sa.true()),
        (LabourContract.start_date, CONFIRMED),
        (LabourContract.start_date, sa.and_(CONFIRMED, LabourContract.referral_id.is_not(None))),
    )
    by_counsellor = placements("counsellor")
    return {
        "today": today.isoformat(),
        "totals": {
            "open_positions": sum(v for v, _s in groups.values()),
            "people_looking": sum(s for _v, s in groups.values()),
            "registered_unemployed": db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Person)
                .where(Person.employment_status == "registered_unemployed")
            ),
            "referrals": db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) or 0,
            "placements": sum(n for _i, _name, n in by_counsellor),
        },
        "by_group": sorted([[k, v, s] for k, (v, s) in groups.items()], key=lambda r: r[0]),
        "by_region": sorted([[k, v, s] for k, (v, s) in regions.items()], key=lambda r: -r[1]),
        "by_month": [[m, *(counter.get(m, 0) for counter in monthly)] for m in months],
        "skills": _skill_gaps(open_vacancy, groups),
        "time_to_fill": _time_to_fill(),
        "placements_by_counsellor": [list(r) for r in by_counsellor],
        "placements_by_vacancy": [list(r) for r in placements("vacancy")[:20]],
    }


def refresh() -> StatisticsSnapshot:
    """Compute and store the figures (the scheduled job); older snapshots are dropped."""
    started = time.perf_counter()
    data = compute()
    row = StatisticsSnapshot(data=data, seconds=round(time.perf_counter() - started, 3))
    db.session.add(row)
    db.session.flush()
    db.session.execute(sa.delete(StatisticsSnapshot).where(StatisticsSnapshot.id < row.id))
    return row


def latest() -> StatisticsSnapshot | None:
    """The stored figures, or None before the job has counted them once (a new site)."""
    return db.session.scalar(
        sa.select(StatisticsSnapshot).order_by(StatisticsSnapshot.id.desc()).limit(1)
    )


def public(data: dict) -> dict:
    """The anonymised figures: every count from 1 to SMALL-1 hidden, in every table, series
    and total; nothing per counsellor or per vacancy. A skill whose need or supply is small
    is left out, since its gap and the totals would give the count back."""

    def small(value) -> bool:
        return isinstance(value, int) and 0 < value < SMALL

    def mask(value):
        return f"<{SMALL}" if small(value) else value

    def masked_rows(rows):
        return [[key, *(mask(v) for v in values)] for key, *values in rows]

    return {
        "today": data["today"],
        "totals": {key: mask(value) for key, value in data["totals"].items()},
        "by_group": masked_rows(data["by_group"]),
        "by_region": masked_rows(data["by_region"]),
        "by_month": masked_rows(data["by_month"]),
        "skills": [row for row in data["skills"] if not (small(row[1]) or small(row[2]))],
        "time_to_fill": [row for row in data["time_to_fill"] if row[1] >= SMALL],
    }
