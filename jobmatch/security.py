"""Response headers that close common holes; no CDN is used, so the policy can be strict."""

import json

from flask import abort, current_app, request
from flask_login import current_user

from jobmatch.i18n import _
from jobmatch.validation import has_control_characters

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


# Pages and files that hold personal data are never kept by the browser or a proxy.
PRIVATE_PREFIXES = (
    "/seeker",
    "/employer",
    "/counsellor",
    "/me",
    "/account",
    "/admin",
    "/contracts",
    "/notifications",
    "/api/v1/me",
)


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static" and (
        request.path.startswith(PRIVATE_PREFIXES) or current_user.is_authenticated
    ):
        response.headers["Cache-Control"] = "no-store"
    return response


def check_input():
    """before_request: text with control characters (NUL and the like) and JSON nested past
    what any request needs are refused before a view sees them, with a clear message."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.form and any(
        has_control_characters(k) or has_control_characters(v)
        for k, values in request.form.lists()
        for v in values
    ):
        abort(400, _("Text may not contain control characters."))
    if request.is_json:
        body = request.get_data(cache=True)
        try:
            value = json.loads(body)
        except RecursionError:
            abort(400, _("The JSON document is nested too deeply."))
        except ValueError:
            return  # not JSON: the API says so itself
        if has_control_characters(value):
            abort(400, _("Text may not contain control characters."))
