"""Translation helpers: `_` at request time, `_l` for module-level strings."""

from flask import current_app, has_request_context, request, session
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user

_ = gettext
_l = lazy_gettext
_n = ngettext

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "ar": "العربية",
    "az": "Azərbaycanca",
    "ru": "Русский",
}


def select_locale() -> str:
    """The latest choice in this browser (the session: set from the account at login, and by
    the language buttons and links), else the account's, else the browser's, else the
    default."""
    config = current_app.config
    if not has_request_context():
        return config["BABEL_DEFAULT_LOCALE"]  # CLI and jobs use flask_babel.force_locale
    supported = config["LANGUAGES"]
    if session.get("locale") in supported:
        return session["locale"]
    if current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    return request.accept_languages.best_match(supported) or config["BABEL_DEFAULT_LOCALE"]


def text_direction(locale: str) -> str:
    return "rtl" if locale in RTL_LANGUAGES else "ltr"
