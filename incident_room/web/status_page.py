"""The public status page (no account, no cookie) and its Statuspage-compatible JSON,
the admins' components, and the IC's or Communications Lead's public incident form.

Public answers come from a rendering cached until the next change, with ETag,
Last-Modified and Cache-Control fit for a CDN in front."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..errors import DomainError, invalid
from ..extensions import csrf, db
from ..models import Incident, StatusComponent, StatusMaintenance
from ..services.catalog.services import all_services
from ..services.links import public_url
from ..services.roles import may_communicate
from ..services.status_page.cache import CACHE, cached, is_fresh, page_cache
from ..services.status_page.components import (
    ComponentSettings,
    all_components,
    check_state,
    components_for_service,
    remove_component,
    save_component,
    services_of,
    set_manual_state,
)
from ..services.status_page.incidents import (
    affected_components,
    is_public,
    offered_state,
    publish_incident,
    restore_components,
)
from ..services.status_page.maintenance import (
    MaintenancePlan,
    maintenance_json,
    maintenance_status,
    maintenances,
    post_maintenance_update,
    schedule_maintenance,
)
from ..services.status_page.page import (
    components_json,
    incident_json,
    overall_status,
    page_json,
    page_view,
    public_incident,
    public_incidents,
    summary_json,
)
from ..services.status_page.policy import CACHE_CONTROL, OPEN_STATUSES, STATE_LABELS, STATES
from ..services.status_page.subscriptions import (
    Subscription,
    confirm,
    manage_url,
    subscribe,
    subscriber_for,
    unsubscribe,
)
from ..unit_of_work import run_change
from ..validation import parse_timestamp, require_uuid
from .filters import row_by_id
from .guards import admin_required, incident_or_404
from .limits import subscribe_limits

bp = Blueprint("status_page", __name__)
# Where a cached public answer says the key it was made for (FastPath keeps it under it).
FAST_PATH_KEY = "incident_room.status_page_key"
API = "/status/api/v2"


def _page_name() -> str:
    return current_app.config["STATUS_PAGE_NAME"]


def _page_url() -> str:
    return public_url(url_for("status_page.page"))


def _public(name: str, render: Callable[[], str], mimetype: str) -> Response:
    """A cached public answer: 304 when the client's copy is current, never a cookie. A
    request naming a version (`?v=`, from the live page) other than the one this worker
    knows makes it read the database's version at once."""
    asked = request.args.get("v")
    fresh = asked is not None and asked != page_cache().key
    key, rendering = cached(name, render, fresh)
    response = Response(rendering.body, mimetype=mimetype)
    response.set_etag(rendering.etag)
    response.last_modified = rendering.last_modified
    response.headers["Cache-Control"] = CACHE_CONTROL
    request.environ.get(FAST_PATH_KEY, {})["key"] = key
    return response.make_conditional(request)


class FastPath:
    """WSGI in front of Flask: a public status-page answer this worker already made for the
    current key (read no longer than STATUS_PAGE_RECHECK_SECONDS ago) is served from memory,
    headers and all - the page's load never reaches routing, sessions or the database."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.inner = app.wsgi_app
        self.kept: dict[str, KeptAnswer] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or not path.startswith("/status"):
            return self.inner(environ, start_response)
        url = f"{path}?{environ.get('QUERY_STRING', '')}"
        kept = self.kept.get(url)
        if kept is None or not self._current(kept):
            return self._record(url, environ, start_response)
        if kept.etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 NOT MODIFIED", kept.not_modified_headers)
            return []
        start_response(kept.status, kept.headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [kept.body]

    def _current(self, kept: KeptAnswer) -> bool:
        cache = self.app.extensions.get(CACHE)
        recheck = self.app.config["STATUS_PAGE_RECHECK_SECONDS"]
        return cache is not None and kept.key == cache.key and is_fresh(cache, recheck)

    def _record(self, url: str, environ: dict[str, Any], start_response: Callable):
        answer: dict[str, Any] = {}
        # A dict, not a value: the Socket.IO middleware hands Flask a copy of the environ.
        environ[FAST_PATH_KEY] = made = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            answer.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        chunks = self.inner(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        key = made.get("key")
        query = environ.get("QUERY_STRING", "")
        # Only the page's own URLs (none, or the version it is): made-up queries would fill
        # memory, one copy each.
        if key is not None and query in ("", f"v={key}") and answer["status"].startswith("200"):
            self.kept = {u: k for u, k in self.kept.items() if k.key == key}
            self.kept[url] = KeptAnswer(key, answer["status"], answer["headers"], body)
        return [body]


@dataclass(frozen=True)
class KeptAnswer:
    key: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def etag(self) -> str:
        return next((v for n, v in self.headers if n.lower() == "etag"), "\0")

    @property
    def not_modified_headers(self) -> list[tuple[str, str]]:
        dropped = ("content-length", "content-type")
        return [(n, v) for n, v in self.headers if n.lower() not in dropped]


def install_fast_path(app: Flask) -> None:
    app.wsgi_app = FastPath(app)  # type: ignore[method-assign]


def _html(name: str, template: str, view: Callable[[], dict[str, Any]]) -> Response:
    def render() -> str:
        return render_template(template, page_name=_page_name(), **view())

    return _public(name, render, "text/html")


def _json(name: str, build: Callable[[], dict[str, Any]]) -> Response:
    return _public(name, lambda: json.dumps(build(), separators=(",", ":")), "application/json")


@bp.get("/status")
def page() -> ResponseReturnValue:
    return _html("page", "status_page/page.html", page_view)


@bp.get("/status/incidents/<int:incident_id>")
def incident_page(incident_id: int) -> ResponseReturnValue:
    if public_incident(incident_id) is None:
        abort(404)

    def view() -> dict[str, Any]:
        incident = public_incident(incident_id)
        return {"incident": incident_json(incident), "state_labels": STATE_LABELS}

    return _html(f"incident-{incident_id}", "status_page/incident.html", view)


@bp.get(f"{API}/summary.json")
def summary() -> ResponseReturnValue:
    return _json("summary", lambda: summary_json(_page_name(), _page_url()))


@bp.get(f"{API}/status.json")
def status() -> ResponseReturnValue:
    return _json(
        "status",
        lambda: {"page": page_json(_page_name(), _page_url()), "status": overall_status()},
    )


@bp.get(f"{API}/components.json")
def components() -> ResponseReturnValue:
    return _json(
        "components",
        lambda: {"page": page_json(_page_name(), _page_url()), "components": components_json()},
    )


def _incidents(open_only: bool) -> dict[str, Any]:
    return {
        "page": page_json(_page_name(), _page_url()),
        "incidents": [incident_json(i) for i in public_incidents(open_only=open_only)],
    }


@bp.get(f"{API}/incidents.json")
def incidents() -> ResponseReturnValue:
    return _json("incidents", lambda: _incidents(False))


@bp.get(f"{API}/incidents/unresolved.json")
def unresolved() -> ResponseReturnValue:
    return _json("unresolved", lambda: _incidents(True))


def _maintenances(which: str) -> dict[str, Any]:
    chosen = [m for m in maintenances() if which == "all" or maintenance_status(m) == which]
    return {
        "page": page_json(_page_name(), _page_url()),
        "scheduled_maintenances": [maintenance_json(m) for m in chosen],
    }


@bp.get(f"{API}/scheduled-maintenances.json")
def scheduled_maintenances() -> ResponseReturnValue:
    return _json("maintenances", lambda: _maintenances("all"))


@bp.get(f"{API}/scheduled-maintenances/upcoming.json")
def upcoming_maintenances() -> ResponseReturnValue:
    return _json("maintenances-upcoming", lambda: _maintenances("scheduled"))


@bp.get(f"{API}/scheduled-maintenances/active.json")
def active_maintenances() -> ResponseReturnValue:
    return _json("maintenances-active", lambda: _maintenances("in_progress"))


@bp.get("/status/history.atom")
def feed() -> ResponseReturnValue:
    def view() -> dict[str, Any]:
        return {"incidents": [incident_json(i) for i in public_incidents()], "url": _page_url()}

    return _public(
        "atom",
        lambda: render_template("status_page/feed.xml", page_name=_page_name(), **view()),
        "application/atom+xml",
    )


# Subscribers (anonymous: no cookie, so no CSRF token - the links' tokens and the rate
# limits guard these; a forged subscription only sends a confirmation nobody follows).


def _message(message: str, status: int = 200, action: str | None = None, button: str = ""):
    page = render_template(
        "status_page/message.html",
        page_name=_page_name(),
        message=message,
        action=action,
        button=button,
    )
    return page, status


@bp.post("/status/subscriptions")
@csrf.exempt
@subscribe_limits[0]
@subscribe_limits[1]
def subscribe_to_page() -> ResponseReturnValue:
    form = request.form
    try:
        wanted = Subscription(
            email=form.get("email") or None,
            webhook_url=form.get("webhook_url") or None,
            component_ids=_ids("components"),
        )
        subscriber, token = subscribe(wanted)
    except DomainError as error:
        return _message(error.message, error.http_status)
    if subscriber.webhook_url:
        leave = manage_url(token, "unsubscribe")
        return _message(f"Your webhook is subscribed. To stop it, keep this link: {leave}", 201)
    return _message("Check your inbox: follow the link we sent to confirm.", 202)


def _link(token: str, action: str, button: str, question: str) -> ResponseReturnValue:
    try:
        subscriber_for(token)
    except DomainError as error:
        return _message(error.message, 404)
    here = url_for(f"status_page.{action}_post", subscription_token=token)
    return _message(question, 200, here, button)


@bp.get("/status/subscriptions/<subscription_token>/confirm")
def confirm_get(subscription_token: str) -> ResponseReturnValue:
    """A GET never confirms: mail scanners follow links."""
    return _link(subscription_token, "confirm", "Confirm", "Confirm your subscription?")


@bp.post("/status/subscriptions/<subscription_token>/confirm")
@csrf.exempt
def confirm_post(subscription_token: str) -> ResponseReturnValue:
    try:
        confirm(subscription_token)
    except DomainError as error:
        return _message(error.message, 404)
    return _message("Subscribed: you will hear about incidents on this page.")


@bp.get("/status/subscriptions/<subscription_token>/unsubscribe")
def unsubscribe_get(subscription_token: str) -> ResponseReturnValue:
    return _link(subscription_token, "unsubscribe", "Unsubscribe", "Stop hearing about incidents?")


@bp.post("/status/subscriptions/<subscription_token>/unsubscribe")
@csrf.exempt
def unsubscribe_post(subscription_token: str) -> ResponseReturnValue:
    """Also the one-click unsubscribe of the mail's List-Unsubscribe-Post header."""
    try:
        unsubscribe(subscription_token)
    except DomainError as error:
        return _message(error.message, 404)
    return _message("Unsubscribed: nothing more will be sent.")


# The admins' components.


def _settings_page(status: int = 200) -> ResponseReturnValue:
    page = render_template(
        "status_page/settings.html",
        components=all_components(),
        services=all_services(),
        services_of=services_of,
        maintenances=[maintenance_json(m) for m in maintenances()],
        states=STATES,
        state_labels=STATE_LABELS,
        form=request.form,
    )
    return page, status


def _component_settings() -> ComponentSettings:
    form = request.form
    position = form.get("position", "0").strip() or "0"
    if not position.lstrip("-").isdigit() or len(position) > 6:
        raise invalid("position", "A position is a whole number.")
    return ComponentSettings(
        name=form.get("name", "")[:200],
        group_name=form.get("group_name", "")[:200],
        position=int(position),
        description=form.get("description", "")[:1000],
        service_ids=_ids("services"),
    )


@bp.get("/settings/status-page")
@admin_required
def settings() -> ResponseReturnValue:
    return _settings_page()


@bp.post("/settings/status-page")
@admin_required
def component_create() -> ResponseReturnValue:
    return _save(None)


@bp.post("/settings/status-page/<int:component_id>")
@admin_required
def component_update(component_id: int) -> ResponseReturnValue:
    return _save(_component(component_id))


def _component(component_id: int) -> StatusComponent:
    try:
        return row_by_id(str(component_id), "component", StatusComponent, "component")
    except DomainError:
        abort(404)


def _save(component: StatusComponent | None) -> ResponseReturnValue:
    try:
        save_component(current_user._get_current_object(), _component_settings(), component)
    except DomainError as error:
        flash(error.message, "error")
        return _settings_page(400)
    flash("Component saved.", "info")
    return redirect(url_for("status_page.settings"))


@bp.post("/settings/status-page/<int:component_id>/delete")
@admin_required
def component_delete(component_id: int) -> ResponseReturnValue:
    remove_component(current_user._get_current_object(), _component(component_id))
    flash("Component removed.", "info")
    return redirect(url_for("status_page.settings"))


@bp.post("/settings/status-page/<int:component_id>/state")
@admin_required
def component_state(component_id: int) -> ResponseReturnValue:
    component = _component(component_id)
    try:
        set_manual_state(
            current_user._get_current_object(), component, request.form.get("state", "")
        )
    except DomainError as error:
        flash(error.message, "error")
        return _settings_page(400)
    shown = STATE_LABELS[component.state]
    flash(f"{component.name} is shown as {shown}.", "info")
    return redirect(url_for("status_page.settings"))


def _utc_time(field: str) -> datetime:
    """A form's time; one without a zone (a datetime-local input) is UTC."""
    value = request.form.get(field, "").strip()
    if 0 < len(value) <= 19 and "+" not in value and not value.endswith("Z"):
        value += "+00:00"
    return parse_timestamp(value, field)


def _ids(field: str) -> list[int]:
    ids = request.form.getlist(field)
    if not all(i.isdigit() and len(i) < 10 for i in ids):
        raise invalid(field, "No such component.")
    return [int(i) for i in ids]


@bp.post("/settings/status-page/maintenances")
@admin_required
def maintenance_create() -> ResponseReturnValue:
    try:
        plan = MaintenancePlan(
            title=request.form.get("title", "")[:300],
            starts_at=_utc_time("starts_at"),
            ends_at=_utc_time("ends_at"),
            component_ids=_ids("components"),
        )
        schedule_maintenance(current_user._get_current_object(), plan)
    except DomainError as error:
        flash(error.message, "error")
        return _settings_page(400)
    flash("Maintenance scheduled.", "info")
    return redirect(url_for("status_page.settings"))


@bp.post("/settings/status-page/maintenances/<int:maintenance_id>/updates")
@admin_required
def maintenance_update(maintenance_id: int) -> ResponseReturnValue:
    maintenance = db.session.get(StatusMaintenance, maintenance_id)
    if maintenance is None:
        abort(404)
    try:
        body = request.form.get("body", "")[:5000]
        post_maintenance_update(current_user._get_current_object(), maintenance, body)
    except DomainError as error:
        flash(error.message, "error")
        return _settings_page(400)
    flash("Maintenance update posted.", "info")
    return redirect(url_for("status_page.settings"))


# The incident's place on the page (its IC or Communications Lead).


def _incident_form(incident: Incident, status: int = 200) -> ResponseReturnValue:
    chosen = affected_components(incident.id)
    suggested = {c.id for c in components_for_service(incident.service_id)}
    page = render_template(
        "status_page/incident_form.html",
        incident=incident,
        components=all_components(),
        chosen=chosen,
        suggested=suggested,
        offered=offered_state(incident),
        states=STATES,
        state_labels=STATE_LABELS,
        public=is_public(incident),
        is_open=incident.status in OPEN_STATUSES,
        can_change=may_communicate(incident, current_user),
        op_id=str(uuid.uuid4()),
    )
    return page, status


def _chosen_states() -> dict[int, str]:
    """{component id: state} from the form's `component-<id>` selects (blank: unaffected)."""
    chosen = {}
    for name, value in request.form.items():
        if name.startswith("component-") and value:
            component_id = name.removeprefix("component-")
            if not component_id.isdigit() or len(component_id) > 9:
                raise invalid("components", "No such component.")
            chosen[int(component_id)] = check_state(value)
    return chosen


@bp.get("/incidents/<int:incident_id>/status-page")
@login_required
def incident_form(incident_id: int) -> ResponseReturnValue:
    return _incident_form(incident_or_404(incident_id))


def _change(
    incident: Incident, change: Callable[[Incident], Any], done: str
) -> ResponseReturnValue:
    user = current_user._get_current_object()
    try:
        op_id = require_uuid(request.form, "op_id")
        run_change(incident.id, user, change, op_id=op_id)
    except DomainError as error:
        flash(error.message, "error")
        return _incident_form(incident_or_404(incident.id), error.http_status)
    flash(done, "info")
    return redirect(url_for("status_page.incident_form", incident_id=incident.id))


@bp.post("/incidents/<int:incident_id>/status-page")
@login_required
def incident_publish(incident_id: int) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    user = current_user._get_current_object()
    try:
        chosen = _chosen_states()
    except DomainError as error:
        flash(error.message, "error")
        return _incident_form(incident, error.http_status)
    return _change(
        incident,
        lambda inc: publish_incident(inc, user, chosen),
        "The incident is on the status page.",
    )


@bp.post("/incidents/<int:incident_id>/status-page/restore")
@login_required
def incident_restore(incident_id: int) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    user = current_user._get_current_object()
    return _change(
        incident,
        lambda inc: restore_components(inc, user),
        "The components are set back.",
    )
