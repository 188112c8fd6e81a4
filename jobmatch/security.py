"""Response headers that close common holes; no CDN is used, so the policy can be strict."""

from flask import current_app, request
from flask_login import current_user

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
