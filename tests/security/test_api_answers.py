"""Everything under /api/ answers like an API: problem+json for unknown paths and wrong
methods (with Allow on 405), no HTML; OPTIONS without an HTML body; deep JSON refused."""

import pytest

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/api/v1/nothing", 404),
        ("GET", "/api/v1/vacancies/abc", 404),
        ("GET", "/api/nothing", 404),
        ("DELETE", "/api/v1/vacancies/1", 405),
        ("POST", "/api/v1/statistics", 405),
        ("PUT", "/api/v1/me/profile", 405),
    ],
)
def test_unknown_paths_and_wrong_methods_are_problems(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status and body["title"]
    assert b"<html" not in response.data
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_options_answers_without_a_page(client):
    response = client.options("/api/v1/vacancies")
    assert response.status_code == 204 and response.data == b""
    assert "GET" in response.headers["Allow"]


def test_the_site_keeps_its_html_error_pages(client):
    response = client.get("/nothing-here")
    assert response.status_code == 404 and response.mimetype == "text/html"
