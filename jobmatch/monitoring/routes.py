"""Staff pages on what the ranking does: fairness across groups, and how matching did
against the outcomes; a CSV beside each table."""

from flask import Blueprint, render_template, request

from jobmatch.access import STAFF, roles
from jobmatch.exports import csv_response
from jobmatch.monitoring import groups, outcomes
from jobmatch.monitoring.labels import (
    DIMENSION_NAMES,
    OUTCOME_NAMES,
    STAGE_NAMES,
    dimension_name,
    group_name,
)

bp = Blueprint("monitoring", __name__, url_prefix="/statistics")
PERIODS = (30, 90, 365)
FAIRNESS_COLUMNS = ["period_start", "period_end", "stage", "dimension", "group", "pool",
                    "share_of_pool", "reached", "share_of_reached", "rate",
                    "ratio_to_best", "under_four_fifths"]  # fmt: skip
TREND_COLUMNS = ["month", "stage", "dimension", "lowest_ratio", "group"]
OUTCOME_COLUMNS = ["date", "kind", "vacancy_id", "best_rank_shown", "shown_to",
                   "counsellor_decision", "referred"]  # fmt: skip


def _days() -> int:
    days = request.args.get("days", type=int)
    return days if days in PERIODS else 90


def fairness_rows(report) -> list[list]:
    return [
        [report.start.isoformat(), report.end.isoformat(), r.stage, r.dimension,
         "+".join(r.group), r.pool, round(r.share_of_pool, 4), r.reached,
         None if r.share_of_reached is None else round(r.share_of_reached, 4),
         round(r.rate, 4), None if r.ratio is None else round(r.ratio, 4), r.flagged]
        for r in report.rates
    ]  # fmt: skip


@bp.route("/fairness")
@roles(*STAFF)
def fairness():
    """Each group's rate of being shown, referred, shortlisted and hired, against the
    best-served group; the four-fifths rule flagged; the monthly trend."""
    days = _days()
    return render_template(
        "monitoring/fairness.html",
        report=groups.fairness(days),
        days=days,
        periods=PERIODS,
        stages=groups.STAGES,
        dimensions=groups.DIMENSIONS,
        group_name=group_name,
        dimension_name=dimension_name,
        dimension_names=DIMENSION_NAMES,
        stage_names=STAGE_NAMES,
        threshold=groups.FOUR_FIFTHS,
        smallest=groups.MIN_GROUP,
        evidence=groups.MIN_EVIDENCE,
    )


@bp.route("/fairness.csv")
@roles(*STAFF)
def fairness_csv():
    report = groups.fairness(_days())
    if request.args.get("table") == "trend":
        rows = [[m, s, d, round(v, 4), "+".join(g)] for m, s, d, v, g in report.trend]
        return csv_response("jobmatch-fairness-trend.csv", TREND_COLUMNS, rows)
    return csv_response("jobmatch-fairness.csv", FAIRNESS_COLUMNS, fairness_rows(report))


@bp.route("/matching")
@roles(*STAFF)
def matching():
    """How matching did: at which rank the pairs that were shortlisted, hired or placed
    had been shown, over time and by group."""
    days = _days()
    return render_template(
        "monitoring/matching.html",
        report=outcomes.report(days),
        days=days,
        periods=PERIODS,
        top=outcomes.TOP,
        group_name=group_name,
        outcome_names=OUTCOME_NAMES,
    )


@bp.route("/matching.csv")
@roles(*STAFF)
def matching_csv():
    return csv_response("jobmatch-outcomes.csv", OUTCOME_COLUMNS, outcomes.report(_days()).rows)
