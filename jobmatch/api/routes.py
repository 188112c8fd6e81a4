"""/api/v1: vacancies, my profile, matches both ways, applications, contract notifications,
statistics."""

from datetime import UTC

import sqlalchemy as sa
from flask import g
from flask.views import MethodView
from flask_smorest import Page

from jobmatch.access import can_manage_vacancy
from jobmatch.api.core import (
    PUBLIC,
    documented,
    explained,
    make_blueprint,
    refuse,
    scope,
    token_scopes,
    token_user,
)
from jobmatch.api.oversight import oversight
from jobmatch.api.schemas import (
    ApplicationSchema,
    ApplicationStepSchema,
    CandidateSchema,
    ContractInputSchema,
    ContractSchema,
    MatchSchema,
    ProfileSchema,
    StatisticsSchema,
    VacancyInputSchema,
    VacancyPatchSchema,
    VacancyQuerySchema,
    VacancySchema,
    vacancy_relations,
)
from jobmatch.contracts.services import notify_hire, person_for_hire
from jobmatch.counselling.matches import candidates_for
from jobmatch.extensions import db
from jobmatch.seekers.recommend import recommendations
from jobmatch.stats.routes import counted
from jobmatch.stats.services import public
from jobmatch.vacancies.models import Application, Vacancy
from jobmatch.vacancies.search import Criteria, ordered_ids
from jobmatch.vacancies.services import (
    applications_for,
    change_status,
    move_application,
    new_vacancy,
    save_vacancy,
)

vacancies = make_blueprint("vacancies_api", "Vacancies: the open ones for everyone; "
                           "an organisation's own with its token.")  # fmt: skip
people = make_blueprint("people_api", "A job seeker's own profile and matches.")
hiring = make_blueprint("hiring_api", "Candidates, applications and labour contracts.")
figures = make_blueprint("statistics_api", "Labour-market figures (anonymised).")


class ListPage(Page):
    """Paginates a list already in memory."""

    @property
    def item_count(self):
        return len(self.collection)


def _employer():
    user = token_user()
    employer = user.employer if user is not None else None
    if employer is None:
        refuse(403, "The token does not act for an organisation.")
    return employer


def _manages(vacancy) -> bool:
    """The token may read the vacancy as its organisation (or as staff) does."""

    user = token_user()
    return (
        user is not None
        and "vacancies:read" in token_scopes()
        and can_manage_vacancy(user, vacancy)
    )


def _own_vacancy(vacancy_id: int):

    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None:
        refuse(404, "There is no such vacancy.")
    user = token_user()
    if user is not None and user.role in ("counsellor", "admin"):
        return vacancy
    if vacancy.employer_id != _employer().id:
        refuse(404, "There is no such vacancy.")
    return vacancy


@vacancies.route("/vacancies")
class Vacancies(MethodView):
    @scope(PUBLIC)
    @vacancies.arguments(VacancyQuerySchema, location="query")
    @vacancies.response(200, VacancySchema(many=True))
    @vacancies.paginate(page_size=20, max_page_size=100)
    @documented(vacancies, 401, 422, 429)
    def get(self, query, pagination_parameters):
        """Open vacancies: by meaning when `q` is given, newest first otherwise."""

        ids = ordered_ids(Criteria.from_args(query))
        pagination_parameters.item_count = len(ids)
        first = pagination_parameters.first_item
        chunk = ids[first : first + pagination_parameters.page_size]
        rows = {
            v.id: v
            for v in db.session.scalars(
                sa.select(Vacancy).where(Vacancy.id.in_(chunk)).options(*vacancy_relations())
            )
        }
        return [rows[i] for i in chunk if i in rows]

    @scope("vacancies:write")
    @vacancies.arguments(VacancyInputSchema)
    @vacancies.response(201, VacancySchema)
    @documented(vacancies, 401, 403, 422, 429)
    @explained
    def post(self, data):
        """Create a vacancy for the token's organisation: a draft, or published at once."""

        publish = data.pop("publish", False)
        vacancy = new_vacancy(_employer())
        save_vacancy(vacancy, {**_defaults(vacancy), **data}, None, {}, publish=publish)
        return vacancy


def _defaults(vacancy) -> dict:
    keys = ("title", "description", "text_language", "region", "city", "contract_type",
            "working_time", "salary_min", "salary_max", "languages", "education_level",
            "positions", "expires_on")  # fmt: skip
    return {key: getattr(vacancy, key) for key in keys}


@vacancies.route("/vacancies/<int:vacancy_id>")
class OneVacancy(MethodView):
    @scope(PUBLIC)
    @vacancies.response(200, VacancySchema)
    @documented(vacancies, 401, 404, 429)
    def get(self, vacancy_id):
        """A vacancy: open ones for everyone, drafts and closed ones for their organisation."""

        vacancy = db.session.get(Vacancy, vacancy_id)
        if vacancy is None:
            refuse(404, "There is no such vacancy.")
        if not vacancy.is_open() and not _manages(vacancy):
            # a draft or a closed one is for its organisation only; to anyone else it is
            # not there, exactly as a vacancy that never existed
            refuse(404, "There is no such vacancy.")
        return vacancy

    @scope("vacancies:write")
    @vacancies.arguments(VacancyPatchSchema)
    @vacancies.response(200, VacancySchema)
    @documented(vacancies, 401, 403, 404, 422, 429)
    @explained
    def patch(self, data, vacancy_id):
        """Change some of a vacancy's fields; a published one stays published."""

        vacancy = _own_vacancy(vacancy_id)
        publish = data.pop("publish", False)
        skills = {s.skill_id: s.relation for s in vacancy.skills}
        save_vacancy(
            vacancy, {**_defaults(vacancy), **data}, vacancy.occupation_id, skills, publish=publish
        )
        return vacancy


@vacancies.route("/vacancies/<int:vacancy_id>/close")
class CloseVacancy(MethodView):
    @scope("vacancies:write")
    @vacancies.response(200, VacancySchema)
    @documented(vacancies, 401, 403, 404, 422, 429)
    @explained
    def post(self, vacancy_id):
        """Close a published vacancy."""

        vacancy = _own_vacancy(vacancy_id)
        change_status(vacancy, "close")
        return vacancy


@people.route("/me/profile")
class MyProfile(MethodView):
    @scope("profile:read")
    @people.response(200, ProfileSchema)
    @documented(people, 401, 403, 429)
    def get(self):
        """The token holder's job-seeker profile."""
        user = token_user()
        if user.person is None or user.person.seeker_profile is None:
            refuse(403, "The token does not act for a job seeker.")
        return user.person.seeker_profile


@people.route("/me/matches")
class MyMatches(MethodView):
    @scope("matches:read")
    @people.response(200, MatchSchema(many=True))
    @documented(people, 401, 403, 429)
    def get(self):
        """Open vacancies that fit the token holder's profile, best first, with reasons."""

        user = token_user()
        if user.person is None or user.person.seeker_profile is None:
            refuse(403, "The token does not act for a job seeker.")
        result = recommendations(
            user.person.seeker_profile, k=20, load=vacancy_relations(), shown_to=user
        )
        return [{"vacancy": v, "score": round(f.score, 4), "reasons": why}
                for v, f, why in result.items]  # fmt: skip


@hiring.route("/vacancies/<int:vacancy_id>/candidates")
class Candidates(MethodView):
    @scope("candidates:read")
    @hiring.response(200, CandidateSchema(many=True))
    @documented(hiring, 401, 403, 404, 429)
    def get(self, vacancy_id):
        """Job seekers who fit the vacancy, best first; named only where they may be."""

        vacancy = _own_vacancy(vacancy_id)
        result = candidates_for(token_user(), vacancy)
        return [{"reference": c.reference, "seeker_id": c.profile.id if c.name else None,
                 "name": c.name, "score": round(c.fit.score, 4), "reasons": c.reasons}
                for c in result.items]  # fmt: skip


@hiring.route("/vacancies/<int:vacancy_id>/applications")
class Applications(MethodView):
    @scope("candidates:read")
    @hiring.response(200, ApplicationSchema(many=True))
    @hiring.paginate(ListPage, page_size=50, max_page_size=200)
    @documented(hiring, 401, 403, 404, 429)
    def get(self, vacancy_id):
        """The vacancy's applications, newest first."""

        return list(applications_for(_own_vacancy(vacancy_id)))


@hiring.route("/applications/<int:application_id>")
class OneApplication(MethodView):
    @scope("applications:write")
    @hiring.arguments(ApplicationStepSchema)
    @hiring.response(200, ApplicationSchema)
    @documented(hiring, 401, 403, 404, 422, 429)
    @explained
    def patch(self, data, application_id):
        """Move an application one step along the pipeline; the job seeker is told."""

        application = db.session.get(Application, application_id)
        if application is None:
            refuse(404, "There is no such application.")
        _own_vacancy(application.vacancy_id)
        when = data.get("interview_at")
        if when is not None and when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
        move_application(
            application,
            data["status"],
            g.api_token.user,
            message=data.get("message", ""),
            reason=data.get("reason"),
            interview_at=when,
            interview_place=data.get("interview_place", ""),
        )
        return application


@hiring.route("/contracts")
class Contracts(MethodView):
    @scope("contracts:write")
    @hiring.arguments(ContractInputSchema)
    @hiring.response(201, ContractSchema)
    @documented(hiring, 401, 403, 422, 429)
    @explained
    def post(self, data):
        """Notify a hire: the person by FIN or account e-mail, and the contract's terms."""

        employer = _employer()
        person = person_for_hire(
            data["person"], data.get("first_name", ""), data.get("last_name", ""), employer
        )
        terms = {k: data.get(k) for k in ("position", "contract_type", "working_time",
                                          "salary", "start_date", "end_date")}  # fmt: skip
        return notify_hire(token_user(), employer, person, terms)


@figures.route("/statistics")
class Statistics(MethodView):
    @scope(PUBLIC)
    @figures.response(200, StatisticsSchema)
    @documented(figures, 401, 429, 503)
    def get(self):
        """The labour-market figures, anonymised (small counts hidden); 503 with Retry-After
        until they are counted for the first time."""

        snapshot = counted()
        if snapshot is None:
            refuse(
                503,
                "The figures are being counted for the first time; try again in a minute.",
                headers={"Retry-After": "60"},
            )
        return public(snapshot.data)


BLUEPRINTS = (vacancies, people, hiring, figures, oversight)
