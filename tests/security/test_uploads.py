"""Hostile CV uploads: each is refused with a clear message, in bounded time, and the
server process neither parses it nor grows."""

import io
import resource
import time

import pytest
import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.seekers import cv
from jobmatch.seekers.models import SeekerProfile
from tests import factories
from tests.conftest import as_user
from tests.security import hostile_files

CASES = {
    "nested-forms.pdf": (hostile_files.nested_forms_pdf, "too complex"),
    "expanding.docx": (hostile_files.expanding_docx, "too large once unpacked"),
    "entity-bomb.docx": (hostile_files.entity_bomb_docx, "cannot be read"),
    "malformed.docx": (hostile_files.malformed_docx, "cannot be read"),
}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("name", CASES)
def test_a_hostile_cv_is_refused_in_bounded_time_and_memory(app, client, name):
    make, message = CASES[name]
    data = make()
    assert len(data) < 200_000  # small on the wire, as an attacker would send it
    seeker = factories.user("job_seeker")
    db.session.commit()
    as_user(client, seeker.email)
    peak_before = _peak_rss_mb()
    started = time.monotonic()
    response = client.post(
        "/seeker/cv", data={"cv_file": (io.BytesIO(data), name)}, follow_redirects=True
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    # the child is stopped at its CPU limit, or at the wall-clock limit on a busy machine
    bound = cv.WALL_SECONDS + 3
    assert elapsed < bound, f"{name} held the request for {elapsed:.1f} s"
    assert _peak_rss_mb() - peak_before < 50, "the web process grew: it parsed the file itself"
    assert db.session.scalar(sa.select(SeekerProfile.cv_text)) == ""  # nothing half-saved


def test_a_cp1251_text_cv_with_an_undefined_byte_is_read(app, client):
    """0x98 has no character in cp1251: it used to raise inside the request (a 500)."""
    seeker = factories.user("job_seeker")
    db.session.commit()
    as_user(client, seeker.email)
    data = "Повар, стаж 6 лет".encode("cp1251") + b" \x98 HACCP"
    response = client.post("/seeker/cv", data={"cv_file": (io.BytesIO(data), "cv.txt")})
    assert response.status_code == 302
    assert "Повар, стаж 6 лет" in db.session.scalar(sa.select(SeekerProfile.cv_text))
