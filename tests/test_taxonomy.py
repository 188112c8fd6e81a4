import pytest
import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.taxonomy import services
from jobmatch.taxonomy.models import Occupation

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def test_load_is_idempotent_and_picks_up_changes(app, mini_esco):
    first = services.load(mini_esco)
    db.session.commit()
    assert first.added["occupations"] == 35
    assert first.added["skills"] > 300
    assert first.added["relations"] > 500
    counts = services.counts()

    again = services.load(mini_esco)
    db.session.commit()
    assert not again.changed()
    assert services.counts() == counts

    cook = db.session.scalar(sa.select(Occupation).where(Occupation.label_en == "cook"))
    cook.label_fr = "changed"
    db.session.commit()
    repaired = services.load(mini_esco)
    db.session.commit()
    assert repaired.updated["occupations"] == 1
    db.session.refresh(cook)
    assert cook.label_fr == "cuisinier/cuisinière"
    assert cook.label("ar") == "طاهي / طاهية"
    assert cook.label("az") == "cook"  # ESCO has no Azerbaijani labels: English is shown


def test_the_vendored_release_loads_whole(app):
    report = services.load()
    db.session.commit()
    assert report.added["occupations"] == 3007
    assert report.added["skills"] == 13896
    assert services.counts()["relations"] > 120_000
    cook = db.session.scalar(sa.select(Occupation).where(Occupation.label_en == "cook"))
    essential = [s.label_en for s, rel in services.occupation_skills(cook) if rel == "essential"]
    assert "prepare dishes" in " ".join(essential) or len(essential) > 5
