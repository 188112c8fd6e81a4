from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from jobmatch.access import authenticated
from jobmatch.database import changes
from jobmatch.notifications import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@authenticated
def index():
    """My notices, newest first, the new ones marked (reading the page changes nothing)."""
    notices = services.recent(current_user)
    items = [(n, services.text_of(n), n.read_at is None) for n in notices]
    return render_template(
        "notifications/index.html", items=items, any_unread=any(new for _n, _t, new in items)
    )


@bp.route("/read", methods=["POST"])
@authenticated
def read():
    """Mark every notice read."""
    with changes():
        services.mark_read(current_user)
    return redirect(url_for("notifications.index"))
