"""HTTP: login pages, incident pages and the JSON API."""

from __future__ import annotations

from flask import Flask, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..extensions import db, login_manager
from ..models import User
from ..services.throttle import user_for_presented_token
from .failures import install_failures
from .headers import add_security_headers
from .limits import install_limits
from .user_loading import live_session, load_user_by_id


def register_blueprints(app: Flask) -> None:
    from . import (
        action_items,
        api,
        auth,
        chat,
        evidence,
        health,
        insights,
        observers,
        oncall,
        pages,
        paging,
        postmortem,
        runbooks,
        settings,
        status_page,
        trackers,
        update_templates,
        updates,
    )

    install_failures(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(evidence.bp)
    app.register_blueprint(postmortem.bp)
    app.register_blueprint(settings.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(updates.bp)
    app.register_blueprint(update_templates.bp)
    app.register_blueprint(observers.bp)
    app.register_blueprint(insights.bp)
    app.register_blueprint(action_items.bp)
    app.register_blueprint(trackers.bp)
    app.register_blueprint(chat.bp)
    app.register_blueprint(oncall.bp)
    app.register_blueprint(oncall.api_bp)
    app.register_blueprint(paging.bp)
    app.register_blueprint(runbooks.bp)
    app.register_blueprint(runbooks.api_bp)
    app.register_blueprint(status_page.bp)
    app.after_request(add_security_headers)
    install_limits(app)
    status_page.install_fast_path(app)
    app.teardown_appcontext(lambda _exc: db.session.remove())


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit() or not live_session(int(user_id)):
        return None
    return load_user_by_id(int(user_id))


@login_manager.request_loader
def load_user_from_bearer(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if header.startswith("Bearer ") and req.path.startswith("/api/"):
        return user_for_presented_token(header.removeprefix("Bearer ").strip(), req.remote_addr)
    return None


@login_manager.unauthorized_handler
def unauthorized() -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        error = {"code": "unauthenticated", "message": "Log in or send a Bearer token."}
        return jsonify(error=error), 401
    return redirect(url_for("auth.login", next=request.full_path))
