"""Reads one untrusted PDF or DOCX in a child process with hard limits.

Run as a script (`python -I cv_reader.py pdf|docx CPU_SECONDS MEMORY_BYTES`), never
imported by the web process: the file comes on standard input; one JSON line goes to
standard output, {"text": ...} or {"error": code}. Before it reads a byte the process limits
its own CPU time and memory; the parent (jobmatch.seekers.cv) keeps a wall-clock limit. A
file built to take hours or gigabytes only ends this process. Nothing from jobmatch is
imported here: the child starts in a fraction of a second.
"""

import io
import json
import os
import resource
import sys
import zipfile

import docx
from pypdf import PdfReader

MAX_PAGES = 20  # of a PDF, read at most
MAX_CHARS = 60_000  # of text collected, then reading stops
# A DOCX: its XML parts may unpack to this much (a long CV is well under 1 MB of XML)...
MAX_XML_BYTES = 4 * 1024 * 1024
# ...and the whole archive, pictures included, to this much.
MAX_UNPACKED = 20 * 1024 * 1024
MAX_MEMBERS = 300


class Refused(Exception):
    """A code the parent turns into a message for the person."""


def read_pdf(data: bytes) -> str:

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise Refused("encrypted")
    parts, size = [], 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARS:
            break
    return "\n\n".join(parts)


def read_docx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if "word/document.xml" not in {i.filename for i in infos}:
            raise Refused("not_a_cv")
        xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
        if (
            len(infos) > MAX_MEMBERS
            or xml > MAX_XML_BYTES
            or sum(i.file_size for i in infos) > MAX_UNPACKED
        ):
            raise Refused("too_large_unpacked")

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(dict.fromkeys(cell.text.strip() for cell in row.cells)))
    return "\n".join(parts)


def limit(cpu_seconds: int, memory_bytes: int) -> None:
    """Hard limits on this process, set before the file is read: past the CPU time the
    kernel ends it, past the memory an allocation fails; it may write no file."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    os.nice(5)


def main() -> int:
    kind, cpu_seconds, memory_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    limit(cpu_seconds, memory_bytes)
    data = sys.stdin.buffer.read()
    try:
        text = {"pdf": read_pdf, "docx": read_docx}[kind](data)
        answer = {"text": text[: MAX_CHARS * 2]}
    except Refused as refusal:
        answer = {"error": str(refusal)}
    except MemoryError:
        answer = {"error": "too_complex"}
    except Exception:  # noqa: BLE001 — any reader error is "this file cannot be read"
        answer = {"error": "damaged"}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
