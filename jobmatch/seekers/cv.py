"""A CV file turned into text: PDF, DOCX or plain text, recognised by content, not by name.

Nothing here guesses: a PDF whose pages carry no text (a scan, a photo) is refused
with a message that says so, instead of an empty or invented profile. Files are
checked for size, type, and for archives that unpack to far more than they weigh.
"""

import io
import re
import zipfile

from jobmatch.i18n import _
from jobmatch.validation import InvalidInput

MAX_PAGES = 40  # of a PDF, read at most
MAX_UNPACKED = 40 * 1024 * 1024  # a DOCX may unpack to this much, no more
MAX_CHARS = 60_000  # kept of the text
MIN_LETTERS = 40  # fewer than this in a PDF: it has no text layer


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
    text = {"pdf": _pdf, "docx": _docx, "txt": _txt}[kind](data)
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


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidInput(
                _("This PDF is protected by a password. Upload a copy without one."), "cv"
            )
        pages = reader.pages[:MAX_PAGES]
        return "\n\n".join(page.extract_text() or "" for page in pages)
    except InvalidInput:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise InvalidInput(_("This PDF cannot be read; it may be damaged."), "cv") from error


def _docx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise InvalidInput(_("A CV must be a PDF, DOCX or TXT file."), "cv")
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise InvalidInput(_("This document is too large once unpacked."), "cv")
        import docx

        document = docx.Document(io.BytesIO(data))
    except InvalidInput:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InvalidInput(_("This document cannot be read; it may be damaged."), "cv") from error
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(dict.fromkeys(cell.text.strip() for cell in row.cells)))
    return "\n".join(parts)


def _txt(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise InvalidInput(_("A CV must be a PDF, DOCX or TXT file."), "cv")
    return data.decode("cp1251")  # Windows files in Russian and Azerbaijani Cyrillic
