"""`flask jobmatch weights fit`: ranking weights fitted on recorded outcomes, reported
against the current ones on held-out lists, proposed and never applied by itself."""

import json

import numpy as np
import pytest
import sqlalchemy as sa

from jobmatch.counselling.matches import candidates_for
from jobmatch.extensions import db
from jobmatch.matching.ranking import DEFAULT_WEIGHTS, SeekerFacts, VacancyFacts, assess
from jobmatch.monitoring import weights
from jobmatch.monitoring.outcomes import record_outcome
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Vacancy
from tests import factories


def test_scores_renormalise_over_the_judged_components_as_the_ranking_does():
    seeker = SeekerFacts(1, region="baku", languages={"az"}, salary=900)
    vacancy = VacancyFacts(2, region="ganja", languages={"az", "ru"}, salary_max=800)
    fit = assess(0.85, seeker, vacancy, DEFAULT_WEIGHTS, title=0.5)
    row = np.asarray([[fit.components.get(n, np.nan) for n in weights.COMPONENTS]])
    assert weights.scores(row, DEFAULT_WEIGHTS)[0] == pytest.approx(fit.score)


def test_the_regression_finds_the_component_that_tells_outcomes_apart():
    rng = np.random.default_rng(3)
    n = 4000
    x = rng.uniform(size=(n, len(weights.COMPONENTS)))
    x[rng.uniform(size=n) < 0.3, weights.COMPONENTS.index("salary")] = np.nan
    location = weights.COMPONENTS.index("location")
    p = 1 / (1 + np.exp(-(-4 + 6 * x[:, location])))
    y = (rng.uniform(size=n) < p).astype(float)
    sample = weights.Sample([(i, i // 20) for i in range(n)], x, y, np.arange(n) // 20)
    beta = weights.logistic(x, y)
    assert np.argmax(beta[1:]) == location and beta[1 + location] == pytest.approx(6, abs=1)
    proposed = weights.proposal(beta)
    assert max(proposed, key=proposed.get) == "location"
    assert sum(proposed.values()) == pytest.approx(1, abs=0.01)
    test = weights.held_out(sample.lists, 0.3, 0)
    assert 0.2 < test.mean() < 0.4
    better = weights.ranking_quality(sample, test, proposed)
    worse = weights.ranking_quality(sample, test, DEFAULT_WEIGHTS)
    assert better["mrr"] > worse["mrr"] and better["auc"] > worse["auc"]


def test_fit_on_outcomes_simulated_from_the_demo_proposes_and_changes_nothing(
    app, demo_world, runner, tmp_path
):
    """Counsellors look at every vacancy's candidates; employers hire, among those shown,
    the people nearest to the job (a preference the current weights hardly hold)."""
    demo_world(seed=11, employers=2, vacancies=30, seekers=40)
    for profile in db.session.scalars(sa.select(SeekerProfile)):
        profile.visible = True
    counsellor = factories.user("counsellor")
    db.session.commit()
    before = dict(app.config["MATCH_WEIGHTS"])
    hires = 0
    for vacancy in db.session.scalars(sa.select(Vacancy).order_by(Vacancy.id)).all():
        shown = candidates_for(counsellor, vacancy).items
        nearest = sorted(shown, key=lambda c: -c.fit.components.get("location", 0))[:2]
        for candidate in nearest:
            if candidate.fit.components.get("location"):
                record_outcome("hired", candidate.profile.id, vacancy.id)
                hires += 1
    db.session.commit()
    assert hires >= 20
    app.config["INSTANCE_PATH"] = str(tmp_path)
    result = runner.invoke(args=["jobmatch", "weights", "fit"])
    out = tmp_path / "weights-proposal.json"  # beside the instance's database
    assert result.exit_code == 0, result.output
    assert "| weights, on the held-out lists |" in result.output
    proposal = json.loads(out.read_text())
    assert proposal["proposed_weights"]["location"] > before["location"]
    assert proposal["held_out"]["proposed"]["mrr"] >= proposal["held_out"]["current"]["mrr"]
    assert proposal["apply_with"].startswith("JOBMATCH_MATCH_WEIGHTS=")
    assert app.config["MATCH_WEIGHTS"] == before  # a proposal, never applied by itself


def test_too_few_outcomes_are_refused_with_a_clear_message(app, runner, tmp_path):
    result = runner.invoke(args=["jobmatch", "weights", "fit", "--out", str(tmp_path / "p.json")])
    assert result.exit_code != 0 and "Not enough outcomes to fit" in result.output
    assert not (tmp_path / "p.json").exists()
