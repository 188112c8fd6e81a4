"""The score and its reasons (pure logic: no model, no database)."""

import dataclasses
import inspect

import pytest

from jobmatch.matching import ranking
from jobmatch.matching.ranking import SeekerFacts, VacancyFacts, assess


def job(**fields) -> VacancyFacts:
    base = dict(
        id=1,
        essential={1: "prepare dishes", 2: "food hygiene"},
        optional={3: "bake"},
        region="baku",
        city="Baku",
        languages={"az"},
        salary_min=600,
        salary_max=900,
        education="vocational",
    )
    return VacancyFacts(**(base | fields))


def person(**fields) -> SeekerFacts:
    base = dict(
        id=7,
        skills={1, 2},
        region="baku",
        city="Baku",
        languages={"az", "ru"},
        salary=800,
        education="vocational",
    )
    return SeekerFacts(**(base | fields))


def test_a_perfect_fit_scores_high_and_says_so():
    fit = assess(0.92, person(skills={1, 2, 3}), job())
    assert fit.score == pytest.approx(1.0)
    assert fit.matched_essential == ["food hygiene", "prepare dishes"]
    assert fit.matched_optional == ["bake"]
    assert (fit.location, fit.salary, fit.education) == ("same_city", "within", "meets")


def test_essential_skills_weigh_more_than_optional():
    only_essential = assess(0.85, person(skills={1}), job())
    only_optional = assess(0.85, person(skills={3}), job())
    assert only_essential.components["skills"] == pytest.approx(2 / 5)
    assert only_optional.components["skills"] == pytest.approx(1 / 5)
    assert only_essential.score > only_optional.score
    assert only_essential.missing_essential == ["food hygiene"]


def test_each_gap_lowers_the_score():
    good = assess(0.85, person(), job()).score
    gaps = [
        person(region="nakhchivan", city="Nakhchivan"),
        person(languages={"ru"}),
        person(salary=2000),
        person(education="primary"),
        person(skills=set()),
    ]
    for other in gaps:
        assert assess(0.85, other, job()).score < good, other


def test_unknown_facts_are_left_out_not_counted_against():
    fit = assess(0.85, person(salary=None, education=None), job())
    assert "salary" not in fit.components and "education" not in fit.components
    complete = assess(0.85, person(), job())
    assert fit.score == pytest.approx(complete.score, abs=0.05)


def test_weights_come_from_configuration():
    heavy_location = {"semantic": 0.1, "skills": 0.1, "location": 5.0}
    near = assess(0.8, person(skills=set()), job(), heavy_location)
    far = assess(0.92, person(region="karabakh", city="Shusha"), job(), heavy_location)
    assert near.score > far.score


def test_protected_attributes_are_not_inputs():
    inputs = {f.name for f in dataclasses.fields(SeekerFacts)}
    assert not inputs & {"gender", "birth_year", "age", "sex", "disability"}
    assert set(inspect.signature(assess).parameters) == {
        "cosine",
        "seeker",
        "vacancy",
        "weights",
        "band",
        "title",
        "factors",
    }
    assert "gender" not in inspect.getsource(ranking)
    from jobmatch.matching import documents, facts

    for module in (ranking, facts, documents):  # nor do the facts or the embedded text read it
        assert "disability" not in inspect.getsource(module)


def test_free_text_skills_count_too():
    fit = assess(
        0.85,
        person(skills=set(), other_skills={"Python"}),
        job(essential={}, optional={}, other_skills={"python", "Django"}),
    )
    assert fit.matched_essential == ["python"] and fit.missing_essential == ["Django"]


def test_congestion_damps_linearly_from_its_start_to_its_full_strength():
    from jobmatch.matching.ranking import Fit, congestion_factor, damp

    rule = {"start": 8.0, "full": 24.0, "most": 0.1}
    assert congestion_factor(0, **rule) == 1.0
    assert congestion_factor(8, **rule) == 1.0
    assert congestion_factor(16, **rule) == pytest.approx(0.95)
    assert congestion_factor(24, **rule) == pytest.approx(0.9)
    assert congestion_factor(500, **rule) == pytest.approx(0.9)
    fits = [Fit(1, 10, 0.8, 0.9, {}), Fit(1, 11, 0.7, 0.9, {})]
    damp(fits, {10: 24.0}, rule)
    assert [round(f.score, 3) for f in fits] == [0.72, 0.7]
    assert (fits[0].crowding, fits[1].crowding, fits[1].damping) == (24.0, 0.0, 1.0)
