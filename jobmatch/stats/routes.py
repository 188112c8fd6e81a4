"""The labour-market dashboard: public (anonymised) and for staff; CSV for every table."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from jobmatch.access import STAFF, is_staff, public, roles
from jobmatch.exports import csv_response
from jobmatch.i18n import _
from jobmatch.reference import ISCO_MAJOR_GROUPS, REGIONS, label
from jobmatch.stats import services
from jobmatch.tasks.queue import enqueue

bp = Blueprint("stats", __name__, url_prefix="/statistics")

# table -> (columns, staff only)
TABLES = {
    "by_group": (["isco_major_group", "open_positions", "people_looking"], False),
    "by_region": (["region", "open_positions", "people_looking"], False),
    "by_month": (["month", "vacancies_published", "registrations", "contracts_begun",
                  "placements"], False),
    "skills": (["skill", "open_vacancies_needing_it", "people_looking_with_it",
                "gap_points"], False),
    "time_to_fill": (["isco_major_group", "hires", "median_days", "longest_days"], False),
    "placements_by_counsellor": (["counsellor_id", "counsellor", "placements"], True),
    "placements_by_vacancy": (["vacancy_id", "vacancy", "placements"], True),
}  # fmt: skip


def counted():
    """The stored figures. Before the first count the job is asked for (once) and None is
    returned: a page reads the figures, it never counts them (a GET writes nothing)."""
    snapshot = services.latest()
    if snapshot is None:
        enqueue("compute_statistics", key="statistics")
    return snapshot


@bp.route("/")
@public
def index():
    snapshot = counted()
    if snapshot is None:
        return render_template("stats/pending.html")
    return render_template(
        "stats/index.html",
        data=services.public(snapshot.data),
        snapshot=snapshot,
        full=False,
        region_names=_region_names(),
        group_names=_group_names(),
    )


@bp.route("/full")
@roles(*STAFF)
def full():
    snapshot = counted()
    if snapshot is None:
        return render_template("stats/pending.html")
    return render_template(
        "stats/index.html",
        data=snapshot.data,
        snapshot=snapshot,
        full=True,
        region_names=_region_names(),
        group_names=_group_names(),
    )


def _group_names() -> dict:

    return dict(ISCO_MAJOR_GROUPS) | {"?": _("Not given")}


def _region_names() -> dict:

    return {code: label(REGIONS, code) for code in REGIONS} | {"?": _("Not given")}


@bp.route("/<name>.csv")
@public
def table(name: str):
    """One table as CSV (the public tables anonymised, unless staff ask)."""
    if name not in TABLES:
        abort(404)
    columns, staff_only = TABLES[name]
    staff = is_staff(current_user)
    if staff_only and not staff:
        abort(404)
    snapshot = counted()
    if snapshot is None:
        abort(
            503, _("The figures are being counted for the first time. Try again in a few minutes.")
        )
    data = snapshot.data
    rows = (data if staff else services.public(data))[name]
    return csv_response(f"jobmatch-{name}.csv", columns, rows)


@bp.route("/refresh", methods=["POST"])
@roles("admin")
def refresh():
    """Count again now (the scheduled job does it every hour)."""

    enqueue("compute_statistics", key="statistics")
    flash(_("The figures are being counted again."), "success")
    return redirect(url_for("stats.full"))
