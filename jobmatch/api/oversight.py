"""/api/v1 for staff who automate oversight: the moderation queue (read, publish, send
back), the fairness rates and the outcomes that grade the ranking."""

import marshmallow as ma
from flask.views import MethodView
from marshmallow import validate

from jobmatch.api.core import documented, explained, make_blueprint, refuse, scope, token_user
from jobmatch.api.schemas import Strict, VacancySchema
from jobmatch.extensions import db
from jobmatch.monitoring import groups, outcomes
from jobmatch.monitoring.routes import PERIODS
from jobmatch.trust.moderation import approve, send_back
from jobmatch.trust.moderation import queue as moderation_queue
from jobmatch.trust.score import assess
from jobmatch.vacancies.models import Vacancy

oversight = make_blueprint(
    "oversight_api", "For staff: the moderation queue, fairness across groups, outcomes."
)


class SignalSchema(ma.Schema):
    code = ma.fields.String()
    weight = ma.fields.Integer(metadata={"description": "Taken from the score (negative: added)"})
    reason = ma.fields.String()
    evidence = ma.fields.List(ma.fields.String())


class ReviewSchema(ma.Schema):
    vacancy = ma.fields.Nested(VacancySchema)
    score = ma.fields.Integer()
    signals = ma.fields.List(ma.fields.Nested(SignalSchema))


class DecisionSchema(Strict):
    decision = ma.fields.String(required=True, validate=validate.OneOf(["publish", "send_back"]))
    reason = ma.fields.String(load_default="", validate=validate.Length(max=2000))


class PeriodSchema(Strict):
    days = ma.fields.Integer(load_default=90, validate=validate.OneOf(PERIODS))


class RateSchema(ma.Schema):
    stage = ma.fields.String()
    dimension = ma.fields.String()
    group = ma.fields.List(ma.fields.String())
    pool = ma.fields.Integer()
    share_of_pool = ma.fields.Float()
    reached = ma.fields.Integer()
    share_of_reached = ma.fields.Float(allow_none=True)
    rate = ma.fields.Float()
    ratio = ma.fields.Float(allow_none=True)
    flagged = ma.fields.Boolean(metadata={"description": "Under four fifths of the best rate"})


class FairnessSchema(ma.Schema):
    start = ma.fields.Date()
    end = ma.fields.Date()
    pool = ma.fields.Integer()
    hidden = ma.fields.Integer(metadata={"description": "Groups under 10 people, left out"})
    rates = ma.fields.List(ma.fields.Nested(RateSchema))
    trend = ma.fields.Function(
        lambda r: [
            {"month": m, "stage": s, "dimension": d, "lowest_ratio": v, "group": list(g)}
            for m, s, d, v, g in r.trend
        ]  # fmt: skip
    )


class OutcomesSchema(ma.Schema):
    kinds = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Raw())
    months = ma.fields.List(ma.fields.List(ma.fields.Raw()))
    groups = ma.fields.List(ma.fields.List(ma.fields.Raw()))


def _review(vacancy: Vacancy) -> dict:
    trust = assess(vacancy)
    return {
        "vacancy": vacancy,
        "score": trust.score,
        "signals": trust.signals,
    }


@oversight.route("/moderation")
class Queue(MethodView):
    @scope("moderation:write")
    @oversight.response(200, ReviewSchema(many=True))
    @documented(oversight, 401, 403, 429)
    def get(self):
        """The vacancies waiting for review, the longest waiting first, with their trust
        score and each signal's reason."""
        return [_review(v) for v in moderation_queue()]


@oversight.route("/moderation/<int:vacancy_id>")
class Decision(MethodView):
    @scope("moderation:write")
    @oversight.arguments(DecisionSchema)
    @oversight.response(200, VacancySchema)
    @documented(oversight, 401, 403, 404, 422, 429)
    @explained
    def post(self, data, vacancy_id):
        """Publish a vacancy from the queue, or send it back with what to correct (at least
        10 characters); the employer is told, the decision audited."""
        vacancy = db.session.get(Vacancy, vacancy_id)
        if vacancy is None:
            refuse(404, "There is no such vacancy.")
        if data["decision"] == "publish":
            approve(token_user(), vacancy)
        else:
            send_back(token_user(), vacancy, data["reason"])
        return vacancy


@oversight.route("/fairness")
class Fairness(MethodView):
    @scope("monitoring:read")
    @oversight.arguments(PeriodSchema, location="query")
    @oversight.response(200, FairnessSchema)
    @documented(oversight, 401, 403, 422, 429)
    def get(self, args):
        """Each group's rate of being shown in the first ten, referred, shortlisted and
        hired, against the best-served group (four-fifths rule), and the monthly trend."""
        return groups.fairness(args["days"])


@oversight.route("/outcomes")
class Outcomes(MethodView):
    @scope("monitoring:read")
    @oversight.arguments(PeriodSchema, location="query")
    @oversight.response(200, OutcomesSchema)
    @documented(oversight, 401, 403, 422, 429)
    def get(self, args):
        """How matching did: the ranks that shortlists, hires and placements had been shown
        at, by month and by group."""
        return outcomes.report(args["days"])
