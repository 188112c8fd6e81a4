"""No request waits for the sentence model: while a process loads it (in the background,
from its first request or its start), searches answer by words and say so; then by meaning."""

import gc
import time

import pytest

from jobmatch.extensions import db
from jobmatch.matching.channels import title_index
from jobmatch.matching.engine import engine
from tests import factories


@pytest.fixture
def cold_model(app, model_folder, tmp_path):
    """The bundled model under a path no other test has loaded it from: cold in this process."""
    cold = tmp_path / "cold-model"
    cold.symlink_to(model_folder, target_is_directory=True)
    app.config.update(JOBMATCH_MODEL=str(cold), LOAD_MODEL_IN_REQUEST=False)
    app.extensions.pop("jobmatch.engine", None)
    return cold


def test_a_search_before_the_model_is_loaded_answers_by_words_at_once(app, client, cold_model):
    factories.vacancy(factories.employer(), title="Cook", description="Hot dishes")
    db.session.commit()
    assert not engine().embedder.is_loaded
    started = time.monotonic()
    page = client.get("/vacancies/?q=Cook").get_data(as_text=True)
    assert time.monotonic() - started < 2  # the model takes seconds: it was not loaded here
    assert "Search by meaning is starting up" in page and "Cook" in page
    warm = app.extensions["jobmatch.warm"]  # the request started the warm-up
    warm.join(120)
    assert engine().embedder.is_loaded
    assert "jobmatch.labels" in app.extensions  # the recognisers' tables are built too
    again = client.get("/vacancies/?q=Cook").get_data(as_text=True)
    assert "Search by meaning is starting up" not in again


def test_long_lived_structures_are_kept_out_of_the_collectors_way(app):
    """A title index, once built, is frozen out of the garbage collector's walks (when
    FREEZE_LONG_LIVED is on), so a full collection does not stall a match."""
    factories.vacancy(factories.employer(), title="Cook", description="Hot dishes")
    db.session.commit()
    gc.unfreeze()
    try:
        assert not app.config["FREEZE_LONG_LIVED"]  # the suite's setting: nothing frozen
        title_index("vacancy")
        assert gc.get_freeze_count() == 0
        app.extensions.pop("jobmatch.titles")
        app.config["FREEZE_LONG_LIVED"] = True
        title_index("vacancy")
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
