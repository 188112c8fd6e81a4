"""A CV file turned into text: PDF, DOCX or plain text, recognised by content, not by name.

Nothing here guesses: a PDF whose pages carry no text (a scan, a photo) is refused
with a message that says so, instead of an empty or invented profile. Files are
checked for size, type, and for archives that unpack to far more than they weigh.
"""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

from flask import abort, send_file

from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.seekers.models import CvFile
from jobmatch.validation import InvalidInput

MAX_CHARS = 60_000  # kept of the text
MIN_LETTERS = 40  # fewer than this in a PDF: it has no text layer
READER = Path(__file__).with_name("cv_reader.py")
# The child that reads a PDF or DOCX: CPU seconds, address space and wall time at most.
CPU_SECONDS = 5
MEMORY_BYTES = 768 * 1024 * 1024
WALL_SECONDS = 10


def kind_of(data: bytes, filename: str) -> str:
    """'pdf', 'docx' or 'txt', from the bytes (the name only tells text from garbage)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(
            _("Old Word documents (.doc) cannot be read. Save it as DOCX or PDF and try again."),
            "cv",
        )
    if filename.lower().endswith((".txt", ".text")) or not filename:
        return "txt"
    raise InvalidInput(_("A CV must be a PDF, DOCX or TXT file."), "cv")


def extract_text(data: bytes, filename: str = "", max_bytes: int = 5 * 1024 * 1024) -> str:
    """The text of a CV file, tidied; raises InvalidInput with a message for the person."""
    if not data:
        raise InvalidInput(_("The file is empty."), "cv")
    if len(data) > max_bytes:
        raise InvalidInput(
            _("The file is too large: at most %(size)d MB.", size=max_bytes // (1024 * 1024)),
            "cv",
        )
    kind = kind_of(data, filename)
    text = _txt(data) if kind == "txt" else _read_in_child(kind, data)
    text = tidy(text)
    if kind == "pdf" and sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        raise InvalidInput(
            _(
                "This PDF has no text we can read: it looks like a scan or a photo. "
                "Upload the PDF your word processor made, a DOCX or a TXT file, "
                "or write your experience in the box below."
            ),
            "cv",
        )
    if not text.strip():
        raise InvalidInput(_("The file has no text."), "cv")
    return text


def tidy(text: str) -> str:
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()[:MAX_CHARS]


def _read_in_child(kind: str, data: bytes) -> str:
    """Parse a PDF or DOCX in a child process under hard limits (CPU seconds and memory,
    which the child sets on itself before it reads a byte; wall time, kept here). A file
    built to hold a worker for hours, or to fill its memory, ends the child only: the web
    process never parses such a file itself."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(READER), kind, str(CPU_SECONDS), str(MEMORY_BYTES)],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise InvalidInput(_too_complex(), "cv") from error
    try:
        answer = json.loads(done.stdout or b"{}")
    except ValueError:
        answer = {}
    if "text" in answer and done.returncode == 0:
        return answer["text"]
    code = answer.get("error") or "too_complex"  # killed by a limit: nothing was written
    raise InvalidInput(_refusal(code), "cv")


def _too_complex() -> str:
    return _(
        "This file is too complex to read. Save it again as a simple PDF or DOCX, or "
        "write your experience in the box below."
    )


def _refusal(code: str) -> str:
    if code == "encrypted":
        return _("This PDF is protected by a password. Upload a copy without one.")
    if code == "not_a_cv":
        return _("A CV must be a PDF, DOCX or TXT file.")
    if code == "too_large_unpacked":
        return _("This document is too large once unpacked.")
    if code == "damaged":
        return _("This document cannot be read; it may be damaged.")
    return _too_complex()


def _txt(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise InvalidInput(_("A CV must be a PDF, DOCX or TXT file."), "cv")
    # Windows files in Russian and Azerbaijani Cyrillic; the few bytes cp1251 leaves
    # undefined (0x98) become U+FFFD rather than an error
    return data.decode("cp1251", errors="replace")


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}


def send_cv(profile):
    """The profile's uploaded CV file as a download (never shown inline: a file is not a
    page of this site); 404 when none is kept."""
    stored = db.session.get(CvFile, profile.id) if profile is not None else None
    if stored is None:
        abort(404)
    name = profile.cv_filename or f"cv.{stored.kind}"
    return send_file(
        io.BytesIO(stored.data),
        mimetype=MEDIA_TYPES.get(stored.kind, "application/octet-stream"),
        as_attachment=True,
        download_name=name,
        max_age=0,
    )
