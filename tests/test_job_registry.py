"""Jobs belong to their features: each is declared once, with its queue, timeout, retries,
schedule and label, and everything that runs or shows jobs reads that one registry."""

from pathlib import Path

from jobmatch.tasks import jobs as old_paths
from jobmatch.tasks.queue import resolve
from jobmatch.tasks.registry import FEATURES, JOBS, docs_table, scheduled
from jobmatch.tasks.schedule import InProcessSchedule

ROOT = Path(__file__).resolve().parent.parent


def test_every_job_lives_in_its_feature_and_declares_how_it_runs(app):
    assert len(JOBS) >= 10
    for name, entry in JOBS.items():
        feature = entry.func.__module__.split(".")[1]
        assert entry.func.__module__ == f"jobmatch.{feature}.tasks" and feature in FEATURES, name
        assert entry.spec.timeout > 0 and entry.func.spec is entry.spec
    for entry in scheduled():
        assert str(entry.label), f"{entry.name} runs on a schedule but says nothing of it"


def test_jobs_queued_under_their_old_paths_still_run(app):
    for name in ("reconcile", "index_entities", "deliver_outbox", "compute_statistics"):
        assert resolve(f"jobmatch.tasks.jobs.{name}") is JOBS[name].func
        assert getattr(old_paths, name) is JOBS[name].func
        assert resolve(name) is JOBS[name].func


def test_the_schedule_the_admin_page_and_the_docs_read_the_registry(app, client):
    from tests import factories
    from tests.conftest import as_user

    names = {entry.name for entry in scheduled()}
    schedule = InProcessSchedule(app, first_delay=3600)
    try:
        assert {func.__name__ for func in schedule.due} == names
    finally:
        schedule.stop()
    admin = factories.user("admin")
    from jobmatch.extensions import db

    db.session.commit()
    as_user(client, admin.email)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert all(name in page for name in names)
    assert docs_table() in (ROOT / "docs" / "ARCHITECTURE.md").read_text(), (
        "docs/ARCHITECTURE.md's table of scheduled jobs differs from the registry: paste "
        "jobmatch.tasks.registry.docs_table() there"
    )
