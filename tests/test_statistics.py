"""The labour-market figures: counted right, cached by a job, anonymised for the public,
drawn as SVG and exported as CSV."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobmatch.contracts import services as contracts
from jobmatch.database import utcnow
from jobmatch.demo.build import DEMO_DOMAIN, DEMO_PASSWORD
from jobmatch.extensions import db
from jobmatch.people.models import Person
from jobmatch.stats import services
from jobmatch.stats.models import StatisticsSnapshot
from jobmatch.stats.tasks import compute_statistics
from jobmatch.vacancies.models import Vacancy
from tests.conftest import as_user


@pytest.fixture
def world(demo_world):
    return demo_world(seed=8, employers=4, vacancies=40, seekers=40, index=False)


def test_the_figures_add_up(world):
    data = services.compute()
    today = utcnow().date()
    open_positions = db.session.scalar(
        sa.select(sa.func.sum(Vacancy.positions)).where(
            Vacancy.status == "published",
            sa.or_(Vacancy.expires_on.is_(None), Vacancy.expires_on >= today),
        )
    )
    looking = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Person)
        .where(Person.employment_status.in_(services.LOOKING))
    )
    assert data["totals"]["open_positions"] == open_positions == sum(r[1] for r in data["by_group"])
    assert data["totals"]["people_looking"] == looking == sum(r[2] for r in data["by_region"])
    assert len(data["by_month"]) == 12 and data["by_month"][-1][0] == today.strftime("%Y-%m")
    assert sum(r[1] for r in data["by_month"]) >= 1
    assert data["skills"] and all(len(row) == 4 for row in data["skills"])
    needs = [row[1] for row in data["skills"]]
    assert needs == sorted(needs, reverse=True)
    # the demo's placements (referrals with a confirmed contract)
    assert data["totals"]["placements"] == sum(r[2] for r in data["placements_by_counsellor"])


def test_time_to_fill_counts_from_publication_to_the_contract(world):
    from jobmatch.vacancies.models import Application

    application = db.session.scalars(sa.select(Application).order_by(Application.id)).first()
    vacancy = application.vacancy
    vacancy.published_at = utcnow() - timedelta(days=30)
    person = application.seeker.person
    person.employment_status = "job_seeker"
    draft = contracts.draft_from(vacancy, person, application=application)
    contracts.confirm(
        None,
        draft,
        {"position": "Cook", "contract_type": "permanent", "working_time": "part_time",
         "salary": 900, "start_date": utcnow().date() + timedelta(days=12), "end_date": None},
    )  # fmt: skip
    db.session.commit()
    rows = {row[0]: row for row in services.compute()["time_to_fill"]}
    assert rows["all"][1] >= 1 and 42 in [rows["all"][2], rows["all"][3]]


def test_the_job_caches_the_figures_and_the_pages_read_them(client, world):
    compute_statistics()
    [snapshot] = db.session.scalars(sa.select(StatisticsSnapshot)).all()
    assert snapshot.data["totals"]["open_positions"] > 0
    page = client.get("/statistics/").get_data(as_text=True)
    assert '<svg class="columns"' in page and 'class="chart paired"' in page
    import re

    chart = page[
        page.index('<svg class="columns"') : page.index(
            "</svg>", page.index('<svg class="columns"')
        )
    ]
    ticks = [int(t.replace(",", "")) for t in re.findall(r'class="tick">([\d,]+)</text>', chart)]
    gridlines = chart.count('class="grid"')
    assert ticks[0] == 0 and len(ticks) >= 3 and gridlines == len(ticks) - 1, (ticks, gridlines)
    heights = [int(h) for h in re.findall(r'class="col col-\d" [^>]*height="(\d+)"', chart)]
    assert max(heights) <= 160  # every column stays inside the axis
    assert "Placements per counsellor" not in page  # not in the public version
    compute_statistics()  # a new count replaces the old one
    assert len(db.session.scalars(sa.select(StatisticsSnapshot)).all()) == 1


def _counts(shown: dict):
    """Every number the public figures show, wherever it stands."""
    for key, value in shown.items():
        if key == "totals":
            yield from value.values()
        elif isinstance(value, list) and key != "time_to_fill":  # days, not people
            for row in value:
                yield from (v for v in row[1:] if not isinstance(v, float))


def test_public_figures_hide_small_counts(world):
    data = services.compute()
    shown = services.public(data)
    assert "placements_by_counsellor" not in shown and "placements_by_vacancy" not in shown
    hidden = f"<{services.SMALL}"
    numbers = list(_counts(shown))
    assert hidden in numbers  # the data set has small counts: the check below checks something
    assert not [n for n in numbers if isinstance(n, int) and 0 < n < services.SMALL]
    assert all(r[1] >= services.SMALL for r in shown["time_to_fill"])


def test_every_table_downloads_as_csv_and_staff_tables_stay_private(client, world):
    from jobmatch.stats.routes import TABLES

    compute_statistics()
    for name, (columns, staff_only) in TABLES.items():
        response = client.get(f"/statistics/{name}.csv")
        if staff_only:
            assert response.status_code == 404
            continue
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0] == columns and response.mimetype == "text/csv"
    as_user(client, f"counsellor@{DEMO_DOMAIN}", DEMO_PASSWORD)
    assert "Placements per counsellor" in client.get("/statistics/full").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(
        client.get("/statistics/placements_by_counsellor.csv").get_data(as_text=True)
    )))  # fmt: skip
    assert rows[0] == ["counsellor_id", "counsellor", "placements"]
    assert client.get("/statistics/nothing.csv").status_code == 404


def test_a_get_on_a_new_site_counts_nothing_and_says_so(app, client, redis_url):
    """Before the first count the pages say the figures are coming, and the request writes
    nothing: the job is queued (in Redis, with no worker here), once."""
    from redis import Redis
    from rq import Queue

    app.config.update(JOBS_INLINE=False, REDIS_URL=redis_url)
    page = client.get("/statistics/")
    api = client.get("/api/v1/statistics")
    assert page.status_code == 200 and "counted for the first time" in page.get_data(as_text=True)
    assert api.status_code == 503 and api.headers["Retry-After"] == "60"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatisticsSnapshot)) == 0
    queue = Queue(compute_statistics.spec.queue, connection=Redis.from_url(redis_url))
    assert len(queue) == 1  # asked for once, not at every visit


@pytest.mark.parametrize(
    "largest, ticks",
    [(0, [0, 1]), (1, [0, 1]), (7, [0, 2, 4, 6, 8]), (140, [0, 50, 100, 150]),
     (1000, [0, 200, 400, 600, 800, 1000]), (23_456, [0, 5000, 10000, 15000, 20000, 25000])],
)  # fmt: skip
def test_chart_axes_take_round_steps_that_reach_the_largest_value(largest, ticks):
    from jobmatch.templating import axis_ticks

    assert axis_ticks(largest) == ticks
