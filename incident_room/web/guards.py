"""The checks every page and route shares: logged in, an admin, an incident you may see."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..errors import DomainError
from ..models import Incident
from ..services.access import require_admin, visible_incident

P = ParamSpec("P")
R = TypeVar("R")


def admin_required(view: Callable[P, ResponseReturnValue]) -> Callable[P, ResponseReturnValue]:
    """A page of the instance's settings: logged in, and an admin (403 otherwise)."""

    @login_required
    @functools.wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
        try:
            require_admin(current_user)
        except DomainError as error:
            return render_template("error.html", message=error.message), error.http_status
        return view(*args, **kwargs)

    return guarded


def incident_or_404(incident_id: int) -> Incident:
    """The incident for an HTML page: 404 when it does not exist or, private, does not
    admit the current user (the two look the same)."""
    try:
        return visible_incident(current_user, incident_id)
    except DomainError:
        abort(404)
