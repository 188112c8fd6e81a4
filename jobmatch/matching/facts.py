"""The facts ranking needs, loaded in bulk for many seekers or vacancies."""

from collections import defaultdict

import sqlalchemy as sa

from jobmatch.database import among
from jobmatch.extensions import db
from jobmatch.matching.channels import occupations_of
from jobmatch.matching.ranking import SeekerFacts, VacancyFacts
from jobmatch.people.models import Person
from jobmatch.seekers.models import SeekerProfile, SeekerSkill
from jobmatch.taxonomy.models import Skill
from jobmatch.vacancies.models import Vacancy, VacancySkill


def vacancies(ids, occupations=None) -> dict[int, VacancyFacts]:
    """`occupations`: each vacancy's held occupations, where the caller has read them."""
    ids = list(ids)
    rows = db.session.execute(
        sa.select(
            Vacancy.id,
            Vacancy.region,
            Vacancy.city,
            Vacancy.languages,
            Vacancy.salary_min,
            Vacancy.salary_max,
            Vacancy.education_level,
            Vacancy.other_skills,
        ).where(among(Vacancy.id, ids))
    ).all()
    facts = {
        r.id: VacancyFacts(
            id=r.id,
            region=r.region,
            city=r.city,
            languages=set(r.languages or []),
            salary_min=r.salary_min,
            salary_max=r.salary_max,
            education=r.education_level,
            other_skills=set(r.other_skills or []),
        )
        for r in rows
    }
    skills = db.session.execute(
        sa.select(VacancySkill.vacancy_id, VacancySkill.relation, Skill.id, Skill.label_en)
        .join(Skill, Skill.id == VacancySkill.skill_id)
        .where(among(VacancySkill.vacancy_id, ids))
    ).all()
    for vacancy_id, relation, skill_id, skill_label in skills:
        target = (
            facts[vacancy_id].essential if relation == "essential" else facts[vacancy_id].optional
        )
        target[skill_id] = skill_label
    held_by = occupations_of("vacancy", ids) if occupations is None else occupations
    for vacancy_id, held in held_by.items():
        if vacancy_id in facts:
            facts[vacancy_id].occupations = held
    return facts


def seekers(ids, occupations=None) -> dict[int, SeekerFacts]:
    """`occupations`: each seeker's held occupations, where the caller has read them."""
    ids = list(ids)
    rows = db.session.execute(
        sa.select(
            SeekerProfile.id,
            SeekerProfile.salary_expectation,
            SeekerProfile.other_skills,
            Person.region,
            Person.city,
            Person.languages,
            Person.education_level,
        )
        .join(Person, Person.id == SeekerProfile.person_id)
        .where(among(SeekerProfile.id, ids))
    ).all()
    skills = defaultdict(set)
    for seeker_id, skill_id in db.session.execute(
        sa.select(SeekerSkill.seeker_id, SeekerSkill.skill_id).where(
            among(SeekerSkill.seeker_id, ids)
        )
    ):
        skills[seeker_id].add(skill_id)
    held = occupations_of("seeker", ids) if occupations is None else occupations
    return {
        r.id: SeekerFacts(
            id=r.id,
            occupations=held.get(r.id, []),
            skills=skills[r.id],
            other_skills=set(r.other_skills or []),
            region=r.region,
            city=r.city,
            languages=set(r.languages or []),
            salary=r.salary_expectation,
            education=r.education_level,
        )
        for r in rows
    }
