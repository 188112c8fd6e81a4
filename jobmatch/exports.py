"""Files the product writes for people to open elsewhere (CSV for spreadsheets)."""

import csv
import io

from flask import Response

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would take for a formula gets a leading apostrophe, so it is
    shown as written; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, columns, rows) -> Response:
    """A CSV download whose every cell is safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(c) for c in columns])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
