"""What the API reads and writes (marshmallow): the OpenAPI document is made from these."""

import marshmallow as ma
from marshmallow import validate
from sqlalchemy.orm import selectinload

from jobmatch.reference import (
    APPLICATION_STATUSES,
    CONTRACT_TYPES,
    EDUCATION_LEVELS,
    LANGUAGES,
    REGIONS,
    REJECTION_REASONS,
    WORKING_TIMES,
)
from jobmatch.vacancies.models import Vacancy, VacancySkill

REGION = validate.OneOf(list(REGIONS))
LANGUAGE = validate.OneOf(list(LANGUAGES))


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class NamedSchema(ma.Schema):
    id = ma.fields.Integer()
    label = ma.fields.String()


class SkillRefSchema(ma.Schema):
    label = ma.fields.String()
    relation = ma.fields.String()


class VacancySchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    description = ma.fields.String()
    employer = ma.fields.Function(lambda v: v.employer.name)
    region = ma.fields.String(allow_none=True)
    city = ma.fields.String(allow_none=True)
    contract_type = ma.fields.String()
    working_time = ma.fields.String()
    salary_min = ma.fields.Integer(allow_none=True)
    salary_max = ma.fields.Integer(allow_none=True)
    languages = ma.fields.List(ma.fields.String())
    positions = ma.fields.Integer()
    status = ma.fields.String()
    published_at = ma.fields.DateTime(allow_none=True)
    expires_on = ma.fields.Date(allow_none=True)
    occupation = ma.fields.Function(
        lambda v: {"id": v.occupation.id, "label": v.occupation.label_en} if v.occupation else None
    )
    skills = ma.fields.Function(
        lambda v: [{"label": s.skill.label_en, "relation": s.relation} for s in v.skills]
    )


def vacancy_relations() -> tuple:
    """What VacancySchema reads beyond the vacancy's own row, as loader options: loaded for a
    list of vacancies at once rather than one statement per vacancy and relation."""
    return (
        selectinload(Vacancy.employer),
        selectinload(Vacancy.occupation),
        selectinload(Vacancy.skills).selectinload(VacancySkill.skill),
    )


class VacancyQuerySchema(Strict):
    q = ma.fields.String(
        validate=validate.Length(max=200), metadata={"description": "Words, searched by meaning"}
    )
    region = ma.fields.String(validate=REGION)
    contract_type = ma.fields.String(validate=validate.OneOf(list(CONTRACT_TYPES)))
    language = ma.fields.String(validate=LANGUAGE)


class VacancyInputSchema(Strict):
    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = ma.fields.String(validate=validate.Length(max=20_000))
    region = ma.fields.String(allow_none=True, validate=REGION)
    city = ma.fields.String(allow_none=True, validate=validate.Length(max=80))
    contract_type = ma.fields.String(validate=validate.OneOf(list(CONTRACT_TYPES)))
    working_time = ma.fields.String(validate=validate.OneOf(list(WORKING_TIMES)))
    salary_min = ma.fields.Integer(allow_none=True, validate=validate.Range(0, 1_000_000))
    salary_max = ma.fields.Integer(allow_none=True, validate=validate.Range(0, 1_000_000))
    languages = ma.fields.List(ma.fields.String(validate=LANGUAGE), validate=validate.Length(max=8))
    education_level = ma.fields.String(
        allow_none=True, validate=validate.OneOf(list(EDUCATION_LEVELS))
    )
    positions = ma.fields.Integer(validate=validate.Range(1, 1000))
    expires_on = ma.fields.Date(allow_none=True)
    publish = ma.fields.Boolean(load_default=False, metadata={"description": "Publish at once"})


class VacancyPatchSchema(VacancyInputSchema):
    """The fields to change; the others stay as they are."""

    title = ma.fields.String(validate=validate.Length(min=1, max=200))


class ProfileSchema(ma.Schema):
    id = ma.fields.Integer()
    first_name = ma.fields.Function(lambda p: p.person.first_name)
    last_name = ma.fields.Function(lambda p: p.person.last_name)
    employment_status = ma.fields.Function(lambda p: p.person.employment_status)
    desired_title = ma.fields.String()
    summary = ma.fields.String()
    region = ma.fields.Function(lambda p: p.person.region)
    languages = ma.fields.Function(lambda p: p.person.languages)
    availability = ma.fields.String()
    salary_expectation = ma.fields.Integer(allow_none=True)
    visible = ma.fields.Boolean()
    skills = ma.fields.Function(lambda p: [s.skill.label_en for s in p.skills])
    occupations = ma.fields.Function(lambda p: [o.label_en for o in p.occupations])


class ReasonSchema(ma.Schema):
    kind = ma.fields.String()
    text = ma.fields.String()


class MatchSchema(ma.Schema):
    vacancy = ma.fields.Nested(VacancySchema)
    score = ma.fields.Float()
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema))


class CandidateSchema(ma.Schema):
    reference = ma.fields.String(metadata={"description": "A pseudonym, stable for the vacancy"})
    seeker_id = ma.fields.Integer(allow_none=True)
    name = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Only once the person applied, was referred or agreed to be contacted"
        },
    )
    score = ma.fields.Float()
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema))


class ApplicationSchema(ma.Schema):
    id = ma.fields.Integer()
    vacancy_id = ma.fields.Integer()
    seeker_id = ma.fields.Integer()
    applicant = ma.fields.Function(lambda a: a.seeker.person.full_name)
    status = ma.fields.String()
    message = ma.fields.String()
    created_at = ma.fields.DateTime()


class ApplicationStepSchema(Strict):
    status = ma.fields.String(required=True, validate=validate.OneOf(list(APPLICATION_STATUSES)))
    message = ma.fields.String(
        validate=validate.Length(max=2000), metadata={"description": "to the applicant"}
    )
    reason = ma.fields.String(
        validate=validate.OneOf(list(REJECTION_REASONS)),
        metadata={"description": "required for a rejection; the applicant is told it"},
    )
    interview_at = ma.fields.DateTime(
        metadata={"description": "required for an interview (UTC, or with its offset)"}
    )
    interview_place = ma.fields.String(validate=validate.Length(max=200))


class ContractInputSchema(Strict):
    person = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=254),
        metadata={"description": "FIN, or the e-mail of the person's account"},
    )
    first_name = ma.fields.String(validate=validate.Length(max=100))
    last_name = ma.fields.String(validate=validate.Length(max=100))
    position = ma.fields.String(required=True, validate=validate.Length(min=1, max=200))
    contract_type = ma.fields.String(required=True, validate=validate.OneOf(list(CONTRACT_TYPES)))
    working_time = ma.fields.String(required=True, validate=validate.OneOf(list(WORKING_TIMES)))
    salary = ma.fields.Integer(allow_none=True, validate=validate.Range(0, 1_000_000))
    start_date = ma.fields.Date(required=True)
    end_date = ma.fields.Date(allow_none=True)


class ContractSchema(ma.Schema):
    id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    position = ma.fields.String()
    contract_type = ma.fields.String()
    working_time = ma.fields.String()
    salary = ma.fields.Integer(allow_none=True)
    start_date = ma.fields.Date()
    end_date = ma.fields.Date(allow_none=True)
    status = ma.fields.String()
    began = ma.fields.Boolean()


class StatisticsSchema(ma.Schema):
    today = ma.fields.String()
    totals = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Raw())
    by_group = ma.fields.List(ma.fields.List(ma.fields.Raw()))
    by_region = ma.fields.List(ma.fields.List(ma.fields.Raw()))
    by_month = ma.fields.List(ma.fields.List(ma.fields.Raw()))
    skills = ma.fields.List(ma.fields.List(ma.fields.Raw()))
    time_to_fill = ma.fields.List(ma.fields.List(ma.fields.Raw()))
