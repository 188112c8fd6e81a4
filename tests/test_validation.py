import pytest

from jobmatch.validation import (
    InvalidInput,
    check_password,
    is_safe_redirect,
    normalise_email,
    normalise_national_id,
    normalise_tax_id,
)


@pytest.mark.parametrize("raw, expected", [(" 5zx8klm ", "5ZX8KLM"), ("", None), (None, None)])
def test_national_id_is_normalised(app, raw, expected):
    assert normalise_national_id(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "ABCDEFGH", "5ZX8KL!", "5ZX8KLO"])
def test_national_id_rejects_bad_formats(app, raw):
    with pytest.raises(InvalidInput) as error:
        normalise_national_id(raw)
    assert error.value.field == "national_id"


def test_tax_id_needs_ten_digits(app):
    assert normalise_tax_id("1400 0579 11") == "1400057911"
    with pytest.raises(InvalidInput, match="10 digits"):
        normalise_tax_id("14000579")


def test_email_is_lowercased_and_checked(app):
    assert normalise_email("  Aysel.Hasanova@Example.ORG ") == "aysel.hasanova@example.org"
    with pytest.raises(InvalidInput):
        normalise_email("not-an-address")


@pytest.mark.parametrize("password", ["short", "password123", "aaaaaaaaaaaa", "me@example.org"])
def test_weak_passwords_are_refused(app, password):
    with pytest.raises(InvalidInput):
        check_password(password, "me@example.org")


def test_a_long_varied_password_passes(app):
    check_password("Xəzər dənizi 2026", "me@example.org")


@pytest.mark.parametrize(
    "target, safe",
    [
        ("/seeker/", True),
        ("/vacancies/?q=cook", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        (None, False),
    ],
)
def test_only_local_redirects_are_followed(target, safe):
    assert is_safe_redirect(target) is safe
