from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from jobmatch.access import authenticated, is_staff, public
from jobmatch.accounts import services
from jobmatch.accounts.forms import (
    AccountForm,
    EmployerRegistrationForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SeekerRegistrationForm,
)
from jobmatch.api import tokens as api_tokens
from jobmatch.api.models import ApiToken
from jobmatch.audit.services import record
from jobmatch.database import changes
from jobmatch.extensions import db, limiter
from jobmatch.forms import apply_error, commit_or_explain
from jobmatch.i18n import _
from jobmatch.validation import InvalidInput, is_safe_redirect

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _login_key() -> str:
    """The account (its address normalised as when it is looked up, so another spelling of
    the same address counts the same) together with the client's address: failures from
    elsewhere never lock the owner out."""
    return f"login:{services.login_name(request.form.get('email') or '')}:{request.remote_addr}"


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _failed(response) -> bool:
    return response.status_code != 302


def sign_in(user, remember: bool = False) -> None:
    """Start a new server-side session for the user; the old session's contents are dropped,
    so nothing set before the login (by anyone) carries over."""
    locale = session.get("locale")
    session.clear()
    services.start_session(user, request.user_agent.string or "")
    login_user(user, remember=remember)
    session["locale"] = user.locale or locale


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_login_key, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        with changes():  # the login or the failed attempt is recorded either way
            user = services.authenticate(form.email.data, form.password.data)
            if user is not None:
                sign_in(user, remember=form.remember.data)
        if user is not None:
            target = request.args.get("next")
            return redirect(target if is_safe_redirect(target) else url_for("home.dashboard"))
        flash(_("The e-mail address or the password is not correct."), "error")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@authenticated
def logout():
    with changes():
        services.end_session(current_user)
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("home.index"))


@bp.route("/logout/everywhere", methods=["POST"])
@authenticated
def logout_everywhere():
    """End every session of the account, on every device, remember-me cookies included."""
    with changes():
        services.end_all_sessions(current_user)
        record(current_user, "account.logged_out_everywhere", current_user)
    logout_user()
    flash(_("You have logged out on every device."), "info")
    return redirect(url_for("home.index"))


@bp.route("/register")
@public
def register():
    return render_template("accounts/register.html")


@bp.route("/register/seeker", methods=["GET", "POST"])
@public
@limiter.limit(_register_limit, methods=["POST"])
def register_seeker():
    form = SeekerRegistrationForm(locale=session.get("locale", "en"))
    return _register(form, services.register_seeker)


@bp.route("/register/employer", methods=["GET", "POST"])
@public
@limiter.limit(_register_limit, methods=["POST"])
def register_employer():
    form = EmployerRegistrationForm(locale=session.get("locale", "en"))
    return _register(form, services.register_employer)


def _register(form, register):
    """Create the account from the form's fields (named as the service's arguments), and
    e-mail the link that opens it. An address that already has an account gets the same
    answer (its owner is told by e-mail), so the page reveals no one's account."""
    if form.validate_on_submit():
        fields = {k: v for k, v in form.data.items() if k not in ("csrf_token", "confirm")}
        try:
            with changes(keep=(services.AddressTaken,)):  # kept: the owner's e-mail
                user = register(**fields)
                services.send_confirmation(user)
        except InvalidInput as error:
            apply_error(form, error)
        except services.AddressTaken as taken:
            return render_template("accounts/check_email.html", email=str(taken))
        else:
            return render_template("accounts/check_email.html", email=user.email)
    return render_template("accounts/register_form.html", form=form)


HOMES = {"job_seeker": "seekers.profile", "employer": "employers.home"}


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(_reset_limit, methods=["POST"])
def forgot_password():
    """Ask for a link to set a new password. The answer is the same whether or not the
    address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        with changes():
            services.send_password_reset(form.email.data)
        flash(
            _(
                "If an account has this address, we have sent it a link to set a new "
                "password. It works once, for an hour."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    """Set a new password from the e-mailed link; every other session of the account ends."""
    user = services.user_for_reset(token)
    if user is None:
        flash(
            _("This link is not valid, was used already or has expired. Ask for a new one."),
            "error",
        )
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            with changes():
                services.reset_password(user, form.password.data)
                sign_in(user)
        except InvalidInput as error:
            apply_error(form, error, default="password")
        else:
            flash(_("Your new password is set. Other devices are logged out."), "success")
            return redirect(url_for("home.dashboard"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
@public
def confirm(token: str):
    """The link from the e-mail: a button confirms the address and opens the account (a GET
    changes nothing, so a mail scanner opening the link confirms nothing)."""
    if request.method == "GET":
        return render_template("accounts/confirm.html")
    with changes():
        user = services.confirm_email(token)
        if user is not None:
            sign_in(user)
    if user is None:
        flash(_("This link is not valid or has expired. Log in to get a new one."), "error")
        return redirect(url_for("accounts.login"))
    if user.role == "employer":
        flash(_("Welcome! Your organisation is registered."), "success")
    else:
        flash(_("Welcome! Your account is ready. Start with your profile."), "success")
    return redirect(url_for(HOMES.get(user.role, "home.dashboard")))


@bp.route("/register/confirm", methods=["POST"])
@authenticated
@limiter.limit(_reset_limit)
def confirm_again():
    """Send the confirmation link again, from the banner an unconfirmed account sees."""
    if current_user.email_confirmed_at is None:
        with changes():
            services.send_confirmation(current_user)
        flash(_("We have sent the link again to %(email)s.", email=current_user.email), "info")
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("home.dashboard"))


@bp.route("/account", methods=["GET", "POST"])
@authenticated
def account():
    form = AccountForm(locale=current_user.locale, name=current_user.name)
    if not is_staff(current_user):  # a job seeker's name is their profile's; an employer's
        del form.name  # is the organisation's
    if form.validate_on_submit():
        try:
            with changes():
                if form.new_password.data:  # every other session ends; this device goes on
                    services.change_password(
                        current_user, form.current_password.data or "", form.new_password.data
                    )
                    sign_in(current_user._get_current_object())
                # after the checks: a refusal is explained in the language the page is in
                current_user.locale = form.locale.data
                if "name" in form:
                    current_user.name = " ".join((form.name.data or "").split())
        except InvalidInput as error:
            apply_error(form, error, default="new_password")
        else:
            session["locale"] = current_user.locale
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form)


@bp.route("/language", methods=["POST"])
@public
def choose_language():
    """Switch the interface language (the header's buttons): kept in the session and, for a
    signed-in person, on the account, so e-mails follow it too."""
    code = request.form.get("code", "")
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
        if current_user.is_authenticated and current_user.locale != code:
            with changes():
                current_user.locale = code
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("home.index"))


@bp.route("/language/<code>")
@public
def language(code: str):
    """A link to the site in a language: this browser's session only (a GET writes nothing
    to the database)."""
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    target = request.args.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("home.index"))


@bp.route("/account/tokens", methods=["GET", "POST"])
@authenticated
def tokens():
    """API tokens: make one (its secret is shown once), see and revoke them."""

    secret = None
    if request.method == "POST":
        try:
            with changes():
                services.require_confirmed(current_user)
                _token, secret = api_tokens.issue(
                    current_user, request.form.get("name", ""), request.form.getlist("scopes")
                )
        except InvalidInput as error:
            flash(error.message, "error")
    return render_template(
        "accounts/tokens.html",
        tokens=api_tokens.tokens_of(current_user),
        scopes={s: api_tokens.SCOPES[s] for s in api_tokens.ROLE_SCOPES.get(current_user.role, ())},
        secret=secret,
    )


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@authenticated
def revoke_token(token_id: int):

    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    commit_or_explain(lambda: api_tokens.revoke(current_user, token), _("The token is revoked."))
    return redirect(url_for("accounts.tokens"))
