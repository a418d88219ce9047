"""Logging in and out with a username, password and CSRF token."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..errors import DomainError
from ..services.sessions import end_session, start_session
from ..services.throttle import log_in
from .limits import with_retry_after
from .user_loading import SESSION_KEY, forget_session_check

bp = Blueprint("auth", __name__)
LOGIN_FAILED = "That username and password do not match an account."


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a crafted link cannot bounce a fresh login elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("pages.incident_list")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = log_in(form.username.data or "", form.password.data or "", request.remote_addr)
        except DomainError as refusal:  # rate_limited: too many failures lately
            flash(refusal.message, "error")
            page = Response(render_template("login.html", form=form), 429)
            return with_retry_after(page, refusal.details["retry_after"])
        if user is not None:
            login_user(user, remember=False)
            session[SESSION_KEY] = start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(LOGIN_FAILED, "error")
        return render_template("login.html", form=form), 401
    if request.method == "POST":
        flash("Please fill in both fields.", "error")
        return render_template("login.html", form=form), 400
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> ResponseReturnValue:
    """Ends this login for good: a saved copy of the cookie no longer works anywhere."""
    key = session.pop(SESSION_KEY, None)
    if isinstance(key, str):
        end_session(key)
        forget_session_check(key)
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        body = {"error": {"code": "forbidden", "message": "Missing or stale CSRF token."}}
        return body, 400
    message = "Your form expired or came from elsewhere. Please try again."
    if request.endpoint == "auth.login":
        flash(message, "error")
        return render_template("login.html", form=LoginForm()), 400
    return render_template("error.html", message=message), 400
