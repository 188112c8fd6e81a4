"""The REST API's frame: flask-smorest for the OpenAPI document, bearer tokens with scopes,
errors as problem+json (RFC 7807), rate limits per token. The site's own pages keep their
HTML error pages: the API's error handlers are registered on its blueprints only."""

from functools import wraps

from flask import current_app, g, jsonify, request
from flask_smorest import Api, Blueprint, abort
from werkzeug.exceptions import HTTPException, MethodNotAllowed, Unauthorized

from jobmatch.api.tokens import authenticate as check
from jobmatch.database import changes
from jobmatch.extensions import csrf, limiter
from jobmatch.validation import InvalidInput

PUBLIC = "public"
CODES = (400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503)


class JobmatchApi(Api):
    def _register_error_handlers(self):
        """Not app-wide: see `problem`, registered on each API blueprint."""


api = JobmatchApi(
    spec_kwargs={
        "info": {
            "description": "The jobmatch REST API. Bearer tokens (made on the account page) "
            "carry scopes; errors are application/problem+json; lists are paginated "
            "(page, page_size; the X-Pagination header tells the totals)."
        }
    }
)


def problem(error: HTTPException):
    """An HTTP error as application/problem+json."""
    data = getattr(error, "data", None) or {}
    body = {
        "type": "about:blank",
        "title": error.name,
        "status": error.code,
        "detail": data.get("message") or error.description,
    }
    if "messages" in data:  # webargs / marshmallow validation
        body["errors"] = data["messages"]
    if "errors" in data:
        body["errors"] = data["errors"]
    response = jsonify(body)
    response.status_code = error.code or 500
    response.mimetype = "application/problem+json"
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if isinstance(error, Unauthorized):
        response.headers["WWW-Authenticate"] = 'Bearer realm="jobmatch"'
    return response


def scope(name: str):
    """Declare the scope an API operation needs (PUBLIC: none). Undeclared is refused."""

    def mark(func):
        func.api_scope = name
        return func

    return mark


def _needed_scope() -> str | None:
    view = current_app.view_functions.get(request.endpoint)
    cls = getattr(view, "view_class", None)
    method = "get" if request.method == "HEAD" else request.method.lower()
    handler = getattr(cls, method, None) if cls is not None else view
    return getattr(handler, "api_scope", None)


def authenticate():
    """before_request of every API blueprint: the bearer token and its scopes."""

    if request.method == "OPTIONS":
        return None
    needed = _needed_scope()
    if needed is None:
        abort(403, message="This operation is not open to any token.")
    token = bearer_token()
    if token is None and request.headers.get("Authorization"):
        abort(401, message="The bearer token is missing, unknown, expired or revoked.")
    g.api_token = token
    if needed == PUBLIC:
        return None
    if token is None:
        abort(401, message=f"This operation needs a bearer token with the scope {needed}.")
    if needed not in token.scopes:
        abort(403, message=f"The token lacks the scope {needed}.")
    return None


def token_user():
    token = g.get("api_token")
    return token.user if token is not None else None


def token_scopes() -> list[str]:
    token = g.get("api_token")
    return token.scopes if token is not None else []


def bearer_token():
    """The valid token the request's Authorization header carries (read once a request)."""

    # kept on the request itself: `g` outlives a request where an app context is held
    if "jobmatch.bearer_token" not in request.environ:
        kind, _sep, secret = request.headers.get("Authorization", "").strip().partition(" ")
        token = check(secret.strip()) if kind.lower() == "bearer" else None
        request.environ["jobmatch.bearer_token"] = token
    return request.environ["jobmatch.bearer_token"]


def rate_key() -> str:
    """The token's id once it is parsed (however its header is spelt); the address without a
    valid one."""
    token = bearer_token()
    return f"api:token:{token.id}" if token is not None else f"api:addr:{request.remote_addr}"


def make_blueprint(name: str, description: str) -> Blueprint:

    bp = Blueprint(name, __name__, url_prefix="/api/v1", description=description)
    bp.before_request(authenticate)
    bp.register_error_handler(HTTPException, problem)
    for code in CODES:  # before the site's own pages, which are registered by code
        bp.register_error_handler(code, problem)
    csrf.exempt(bp)
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_key)(bp)
    return bp


def refuse(status: int, message: str, **extra):

    abort(status, message=message, **extra)


def invalid(error):
    """A service's refusal (InvalidInput) as a 422 problem."""
    errors = {error.field: [error.message]} if error.field else None
    refuse(422, error.message, **({"errors": errors} if errors else {}))


def explained(func):
    """Run a write operation: commit on success, roll back and answer 422 on refusal."""

    @wraps(func)
    def run(*args, **kwargs):
        try:
            with changes():
                result = func(*args, **kwargs)
        except InvalidInput as error:
            invalid(error)
        return result

    return run


ERRORS = {401: "No valid bearer token", 403: "The token lacks the scope", 404: "Not found",
          422: "Invalid input", 429: "Too many requests", 503: "Not ready yet"}  # fmt: skip


def documented(bp, *codes):
    """The problem+json answers an operation may give."""

    def wrap(func):
        for code in codes:
            func = bp.alt_response(
                code, description=ERRORS[code], content_type="application/problem+json"
            )(func)  # noqa: E501
        return func

    return wrap
