"""One transaction boundary: requests, jobs and commands commit through `changes()`, batch
work through `commit_chunk()`, and nothing else in jobmatch/ commits or rolls back."""

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.database import changes
from jobmatch.extensions import db
from jobmatch.tasks.registry import JOBS, job
from jobmatch.validation import InvalidInput
from tests import factories

PACKAGE = Path(__file__).resolve().parent.parent / "jobmatch"
# The only module that calls session.commit() or session.rollback().
BOUNDARY = "database.py"
# Batch work that commits chunk by chunk, each under its lock or on its own.
BATCHES = {
    "imports/services.py",
    "matching/reconcile.py",
    "matching/services.py",
    "matching/tasks.py",
    "notifications/delivery.py",
}


def _calls(name: str) -> dict[str, list[int]]:
    """Where jobmatch/ calls `name`: a plain function, or a method of a session (a lock's
    own connection may commit its lock)."""
    found: dict[str, list[int]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute):
                    on_session = ast.unparse(func.value).endswith("session")
                    called = func.attr if on_session else ""
                else:
                    called = getattr(func, "id", "")
                if called == name:
                    found.setdefault(str(path.relative_to(PACKAGE)), []).append(node.lineno)
    return found


def test_the_scan_sees_calls():
    assert BOUNDARY in _calls("commit")
    assert set(_calls("commit_chunk")) == BATCHES


def test_only_the_boundary_commits():
    outside = {path: lines for path, lines in _calls("commit").items() if path != BOUNDARY}
    assert outside == {}, f"commit outside jobmatch/{BOUNDARY}: use changes() or commit_chunk()"


def test_only_the_boundary_rolls_back():
    # the index status page: a failed read leaves a broken transaction to end
    allowed = {BOUNDARY, "matching/status.py"}
    outside = {path: lines for path, lines in _calls("rollback").items() if path not in allowed}
    assert outside == {}, f"rollback outside jobmatch/{BOUNDARY}: let changes() do it"


def _emails() -> set[str]:
    db.session.rollback()
    return set(db.session.scalars(sa.select(User.email)))


def test_changes_commits_at_the_end(app):
    with changes():
        factories.user(email="kept@example.org")
    assert "kept@example.org" in _emails()


def test_changes_rolls_back_everything_on_a_refusal(app):
    with pytest.raises(InvalidInput), changes():
        factories.user(email="half@example.org")
        db.session.flush()
        raise InvalidInput("no")
    assert "half@example.org" not in _emails()


def test_changes_keeps_what_a_named_refusal_needs(app):
    class Told(Exception):
        pass

    with pytest.raises(Told), changes(keep=(Told,)):
        factories.user(email="told@example.org")
        raise Told
    assert "told@example.org" in _emails()


@job()
def _writes(email: str, fail: bool = False) -> str:
    factories.user(email=email)
    db.session.flush()
    if fail:
        raise RuntimeError("the job failed half-way")
    return email


JOBS.pop("_writes")  # a job of this test only: not on the admin page or in the docs


def test_a_job_commits_once_when_it_returns(app):
    assert _writes("job@example.org") == "job@example.org"
    assert "job@example.org" in _emails()


def test_a_failed_job_leaves_nothing(app):
    with pytest.raises(RuntimeError):
        _writes("failed@example.org", fail=True)
    assert "failed@example.org" not in _emails()
