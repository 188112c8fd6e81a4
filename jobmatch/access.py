"""Who may do what: every route declares its roles, every object check lives here.

A view without a declaration is refused (deny by default), so a new route cannot
be reachable by accident. `enforce` runs before every request.
"""

from flask import abort, current_app, request
from flask_login import current_user

from jobmatch.extensions import login_manager

PUBLIC = "public"
AUTHENTICATED = "authenticated"
STAFF = ("counsellor", "admin")


def roles(*allowed: str):
    """Allow the view to users of these roles (or PUBLIC, or AUTHENTICATED)."""

    def mark(view):
        view.access = frozenset(allowed)
        return view

    return mark


public = roles(PUBLIC)
authenticated = roles(AUTHENTICATED)


def enforce():
    """before_request: apply the view's declared roles."""
    if request.endpoint is None:
        return None  # 404 follows
    if request.endpoint == "static":
        return None
    view = current_app.view_functions[request.endpoint]
    allowed = getattr(view, "access", None)
    if allowed is None:
        current_app.logger.error("route %s declares no access rule", request.endpoint)
        abort(403)
    if PUBLIC in allowed:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if AUTHENTICATED in allowed or current_user.role in allowed:
        return None
    abort(403)


# --- per-object rules -------------------------------------------------------


def is_staff(user) -> bool:
    return user.is_authenticated and user.role in STAFF


def employer_of(user):
    """The organisation an employer user acts for, or None."""
    if not user.is_authenticated or user.role != "employer":
        return None
    return user.employer


def can_manage_vacancy(user, vacancy) -> bool:
    """Edit it, and see its applications and candidates."""
    if is_staff(user):
        return True
    employer = employer_of(user)
    return employer is not None and vacancy.employer_id == employer.id


def can_view_vacancy(user, vacancy) -> bool:
    """Open vacancies are public; drafts and closed ones only to their owner and staff."""
    return vacancy.is_open() or can_manage_vacancy(user, vacancy)


def require(condition: bool) -> None:
    """404 rather than 403 for objects: do not reveal that another's record exists."""
    if not condition:
        abort(404)
