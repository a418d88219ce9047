"""The checks every page and route shares: logged in, an admin."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..errors import DomainError
from ..services.access import require_admin

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
