"""Error pages in the person's language; JSON for API-style requests."""

import math
import time

from flask import render_template, request
from flask_limiter import RateLimitExceeded
from werkzeug.exceptions import HTTPException

from jobmatch.api.core import problem
from jobmatch.extensions import limiter
from jobmatch.i18n import _, _l

MESSAGES = {
    400: _l("The request could not be understood. Please check what you entered."),
    403: _l("You do not have access to this page."),
    404: _l("This page does not exist, or is not visible to you."),
    405: _l("This action is not allowed here."),
    413: _l("The file is too large."),
    429: _l("Too many attempts. Please wait a minute and try again."),
    500: _l("Something went wrong on our side. Please try again later."),
}


def render_error(error: HTTPException):
    if request.path.startswith("/api/"):
        return problem(error)  # paths and methods the API's blueprints never saw
    code = error.code or 500
    # a view's own message (abort(429, "...")) is said; Werkzeug's defaults are replaced
    own = error.description != type(error).description and not isinstance(error, RateLimitExceeded)
    message = error.description if own else MESSAGES.get(code, error.description)
    if code == 429 and not own:
        message = _retry_message() or message
    if request.accept_mimetypes.best == "application/json":
        return {"status": code, "title": str(message)}, code
    headers = [h for h in error.get_headers() if h[0] != "Content-Type"]  # Allow on 405
    return render_template("error.html", code=code, message=message), code, headers


def _retry_message() -> str | None:
    """When the limit that was hit lets the person in again."""

    limit = limiter.current_limit
    if limit is None:
        return None
    seconds = max(1, math.ceil(limit.reset_at - time.time()))
    if seconds < 120:
        return _("Too many attempts. Please try again in %(n)d seconds.", n=seconds)
    return _("Too many attempts. Please try again in %(n)d minutes.", n=math.ceil(seconds / 60))


def api_options(response):
    """OPTIONS under /api/ answers like an API: no content, the allowed methods."""
    if (
        request.method == "OPTIONS"
        and request.path.startswith("/api/")
        and response.status_code == 200
    ):
        response.status_code = 204
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
    return response


def register(app) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, render_error)
    app.register_error_handler(HTTPException, render_error)
    app.after_request(api_options)
