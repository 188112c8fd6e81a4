"""Error pages in the person's language; JSON for API-style requests."""

from flask import render_template, request
from werkzeug.exceptions import HTTPException

from jobmatch.i18n import _l

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
    code = error.code or 500
    message = MESSAGES.get(code, error.description)
    if request.accept_mimetypes.best == "application/json":
        return {"status": code, "title": str(message)}, code
    return render_template("error.html", code=code, message=message), code


def register(app) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, render_error)
