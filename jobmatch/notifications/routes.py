from flask import Blueprint, render_template
from flask_login import current_user

from jobmatch.access import authenticated
from jobmatch.extensions import db
from jobmatch.notifications import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@authenticated
def index():
    """My notices, newest first; opening the page marks them read."""
    notices = services.recent(current_user)
    unread = {n.id for n in notices if n.read_at is None}
    items = [(n, services.text_of(n), n.id in unread) for n in notices]
    services.mark_read(current_user)
    db.session.commit()
    return render_template("notifications/index.html", items=items)
