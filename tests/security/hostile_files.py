"""Files made to hurt a reader: small on the wire, hours of CPU or gigabytes once read."""

import io
import zipfile


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1 is the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _stream(dictionary: bytes, content: bytes) -> bytes:
    return (
        b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    )


def nested_forms_pdf(depth: int = 6, fan_out: int = 20, pages: int = 40) -> bytes:
    """Pages that each draw a form that draws the form below it `fan_out` times, `depth`
    levels down: a few kilobytes, and seconds of a reader's CPU for every page."""
    first_form = 4 + pages
    page_ids = range(4, 4 + pages)
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        _stream(b"", b"/Fm Do"),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /XObject << /Fm %d 0 R >> >> >>" % (first_form + depth)
        for _ in page_ids
    ]
    font = first_form + depth + 1
    for level in range(depth + 1):
        if level == 0:
            resources = b"/Resources << /Font << /F1 %d 0 R >> >>" % font
            content = b"BT /F1 12 Tf 10 10 Td ( ) Tj ET"  # work for the reader, no text
        else:
            resources = b"/Resources << /XObject << /Fm %d 0 R >> >>" % (first_form + level - 1)
            content = b"/Fm Do " * fan_out
        objects.append(
            _stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] " + resources, content)
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf(objects)


def _docx(document_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr("word/document.xml", document_xml)
    return out.getvalue()


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def expanding_docx(megabytes: int = 39) -> bytes:
    """About 120 KB that unpacks to `megabytes` MB of paragraphs."""
    paragraph = b"<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>"
    body = paragraph * (megabytes * 1024 * 1024 // len(paragraph))
    return _docx(b"<w:document " + W + b"><w:body>" + body + b"</w:body></w:document>")


def entity_bomb_docx() -> bytes:
    """Billion laughs in the document's XML."""
    entities = b'<!ENTITY a0 "laugh">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    return _docx(
        b'<?xml version="1.0"?><!DOCTYPE w:document [' + entities + b"]>"
        b"<w:document " + W + b"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body>"
        b"</w:document>"
    )


def malformed_docx() -> bytes:
    return _docx(b"<w:document " + W + b"><w:body><w:p><w:r><w:t>unclosed")
