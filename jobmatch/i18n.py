"""Translation helpers: `_` at request time, `_l` for module-level strings."""

from datetime import datetime

from babel import Locale, dates
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations, ngettext, to_user_timezone
from flask_babel.speaklater import LazyString
from flask_login import current_user


def _babel_context():
    """flask_babel's namespace in the application context, or None."""
    try:
        return vars(g._get_current_object()).get("_flask_babel")
    except RuntimeError:  # no application context
        return None


def translations():
    """flask_babel's translations for the context's locale and domain, remembered beside
    them: a page asks for a few hundred strings, and flask_babel's own lookup of the locale
    and domain costs several microseconds each time. A new locale or domain (force_locale,
    refresh) is a new object there, and reads them again."""
    context = _babel_context()
    locale = getattr(context, "babel_locale", None)
    remembered = getattr(context, "jobmatch_translations", None)
    if (
        locale is not None
        and remembered is not None
        and remembered[0] is locale
        and remembered[1] is getattr(context, "babel_domain", None)
    ):
        return remembered[2]
    found = get_translations()  # sets the locale and domain on the context
    context = _babel_context()
    if getattr(context, "babel_locale", None) is not None:
        context.jobmatch_translations = (
            context.babel_locale,
            getattr(context, "babel_domain", None),
            found,
        )
    return found


def _(string: str, **variables) -> str:
    """The string in the current locale, formatted with `variables` (as flask_babel's)."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def _l(string: str, **variables) -> LazyString:
    """Translated when used: for strings defined before any request."""
    return LazyString(_, string, **variables)


_n = ngettext


def install_in_templates(app) -> None:
    """The templates' `_` and friends through `translations()`."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


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


# English pages write dates day first, as the service does in every language ("12 Mar 2026",
# "12/03/2026, 14:05"), not in the United States' order ("Mar 12, 2026", "3/12/26").
ENGLISH_DATES = Locale.parse("en_GB")


def _dates_locale() -> Locale:
    locale = get_locale()
    return ENGLISH_DATES if str(locale or "en") == "en" else locale


def format_day(value, format: str | None = None) -> str:
    """A date (or a moment's day where the service is) in the current language."""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return dates.format_date(value, format or "medium", locale=_dates_locale())


def format_moment(value, format: str | None = None) -> str:
    """A moment (UTC) as the service's clock shows it, in the current language."""
    return dates.format_datetime(
        to_user_timezone(value), format or "medium", locale=_dates_locale()
    )


def format_appointment(value) -> str:
    """A meeting's day and hour on the service's clock ("2 Mar 2099, 10:30")."""
    time = dates.format_time(to_user_timezone(value), "short", locale=_dates_locale())
    return f"{format_day(value)}, {time}"
