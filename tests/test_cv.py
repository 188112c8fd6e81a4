"""CV files to text: PDF, DOCX and TXT in the five languages; scans and bad files refused."""

import io

import pytest
import sqlalchemy as sa

from jobmatch.extensions import db
from jobmatch.seekers.cv import extract_text
from jobmatch.seekers.models import SeekerProfile
from jobmatch.validation import InvalidInput
from tests import factories
from tests.conftest import login
from tests.documents import docx_file, scanned_pdf, text_pdf

CV_LINES = [
    "Elvin Mammadov - Welder",
    "Experience: 2019-2025 Sumqayit Metal Konstruksiya, welder (MIG, TIG)",
    "Skills: read technical drawings, weld steel structures, follow safety rules",
]


def refused(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(InvalidInput) as error:
        extract_text(data, name, **kwargs)
    return error.value.message


def test_a_pdf_with_text_is_read():
    text = extract_text(text_pdf(CV_LINES), "cv.pdf")
    assert "Sumqayit Metal Konstruksiya" in text and "read technical drawings" in text


def test_a_scanned_pdf_is_refused_with_a_clear_message_not_an_invented_profile():
    message = refused(scanned_pdf(), "scan.pdf")
    assert "looks like a scan" in message


def test_a_docx_is_read_with_its_tables_in_any_language():
    data = docx_file(
        ["Qaynaqçı, 6 il təcrübə", "Сварщик, опыт 6 лет", "لحّام، خبرة ست سنوات"],
        [["2019-2025", "Sumqayıt Metal Konstruksiya"]],
    )
    text = extract_text(data, "cv.docx")
    assert "Qaynaqçı" in text and "Сварщик" in text and "لحّام" in text
    assert "2019-2025 | Sumqayıt Metal Konstruksiya" in text


@pytest.mark.parametrize(
    "data",
    [
        "Soudeur, six ans d'expérience".encode(),
        "\ufeffSoudeur, six ans d'expérience".encode(),
        "Soudeur, six ans d'expérience".encode("utf-16"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16"],
)
def test_text_files_in_the_usual_encodings(data):
    assert extract_text(data, "cv.txt") == "Soudeur, six ans d'expérience"


def test_a_russian_windows_text_file_is_read():
    assert extract_text("Сварщик, опыт 6 лет".encode("cp1251"), "cv.txt") == ("Сварщик, опыт 6 лет")


def test_bad_files_are_refused_with_a_reason():
    assert "Old Word documents" in refused(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "cv.doc")
    assert "PDF, DOCX or TXT" in refused(b"MZ\x90\x00 a program", "cv.exe")
    assert "PDF, DOCX or TXT" in refused(b"GIF89a....", "photo.gif")
    assert "damaged" in refused(b"%PDF-1.4 nothing else", "cv.pdf")
    assert "damaged" in refused(b"PK\x03\x04 not really a zip", "cv.docx")
    assert "empty" in refused(b"", "cv.txt")
    assert "too large" in refused(b"x" * 2048, "cv.txt", max_bytes=1024)


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(CV_LINES))))
    writer.encrypt("secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert "password" in refused(out.getvalue(), "cv.pdf")


@pytest.fixture
def seeker(app, client):
    user = factories.user("job_seeker", email="elvin@example.org")
    db.session.commit()
    login(client, "elvin@example.org", factories.PASSWORD)
    return user.person.seeker_profile.id


def _profile(profile_id: int) -> SeekerProfile:
    db.session.expire_all()
    return db.session.get(SeekerProfile, profile_id)


def test_an_uploaded_cv_becomes_the_profile_text(client, seeker):
    response = client.post(
        "/seeker/cv",
        data={"cv_file": (io.BytesIO(text_pdf(CV_LINES)), "Elvin CV 2026.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.location.endswith("/seeker/skills")
    profile = _profile(seeker)
    assert "weld steel structures" in profile.cv_text
    assert profile.cv_filename == "Elvin_CV_2026.pdf" and profile.cv_uploaded_at is not None
    # the page shows the text that was read and gives the file back as it came
    page = client.get("/seeker/cv").get_data(as_text=True)
    assert "This is the text we read from your CV" in page and "weld steel structures" in page
    assert 'href="/seeker/cv/file"' in page
    download = client.get("/seeker/cv/file")
    assert download.status_code == 200 and download.data == text_pdf(CV_LINES)
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    # a counsellor opens it too, and the opening is recorded
    factories.user("counsellor", email="c@example.org")
    db.session.commit()
    client.post("/logout")
    login(client, "c@example.org", factories.PASSWORD)
    assert client.get(f"/counsellor/seekers/{seeker}/cv").data == text_pdf(CV_LINES)
    client.post("/logout")
    login(client, "elvin@example.org", factories.PASSWORD)
    # a written CV replaces the file: nothing old is handed out as if it were current
    client.post("/seeker/cv", data={"cv_text": "Welder, ten years."})
    assert client.get("/seeker/cv/file").status_code == 404


def test_the_printable_profile_holds_the_profile_and_nothing_else(client, seeker):
    from datetime import date

    from jobmatch.seekers.models import Experience

    profile = _profile(seeker)
    profile.desired_title = "Qaynaqçı"
    profile.experiences.append(Experience(title="Welder", employer_name="Bakı Gəmi Zavodu",
                                          start_date=date(2019, 3, 1)))  # fmt: skip
    db.session.commit()
    page = client.get("/seeker/profile/print").get_data(as_text=True)
    assert "Qaynaqçı" in page and "Bakı Gəmi Zavodu" in page and "Mar 2019" in page
    assert "data-print" in page and "elvin@example.org" in page


def test_a_scan_changes_nothing_and_says_why(client, seeker):
    response = client.post(
        "/seeker/cv",
        data={"cv_file": (io.BytesIO(scanned_pdf()), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "looks like a scan" in response.get_data(as_text=True)
    profile = _profile(seeker)
    assert profile.cv_text == "" and profile.cv_filename is None


def test_a_written_cv_is_kept_and_an_empty_one_refused(client, seeker):
    response = client.post("/seeker/cv", data={"cv_text": "  Welder.\n\n\n\nMIG and TIG.  "})
    assert response.status_code == 302
    assert _profile(seeker).cv_text == "Welder.\n\nMIG and TIG."
    response = client.post("/seeker/cv", data={"cv_text": "   "})
    assert "Choose a file or write your experience." in response.get_data(as_text=True)
    assert _profile(seeker).cv_text == "Welder.\n\nMIG and TIG."


def test_a_request_over_the_size_limit_is_refused(app, client, seeker):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(
        "/seeker/cv",
        data={"cv_file": (io.BytesIO(b"x" * 4096), "cv.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert db.session.scalar(sa.select(SeekerProfile.cv_text)) == ""
