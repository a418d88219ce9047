"""Every request that reaches the app gets the documented error shape: JSON under /api/ and
/hooks/ (`{"error": {code, message}}`), the error page elsewhere, for routes that do not
exist, methods a route does not take, and server faults alike. Ids in URLs are numbers the
database can hold: a larger one is no such page (404), not a failed query."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map

from ..errors import DomainError

LARGEST_ID = 2**31 - 1  # PostgreSQL's integer
JSON_PREFIXES = ("/api/", "/hooks/", "/status/api/")
PLAIN = {
    404: DomainError("not_found", "No such page."),
    405: DomainError("invalid", "That method is not allowed here."),
    500: DomainError("internal", "The server failed; nothing was changed. Try again."),
}


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route: a whole number from 0 to LARGEST_ID."""

    def __init__(self, url_map: Map, *args: object, **kwargs: object) -> None:
        super().__init__(url_map, *args, **{"max": LARGEST_ID, **kwargs})


def _answer(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 500
    domain = PLAIN.get(status, DomainError("invalid", error.description or "Bad request."))
    if request.path.startswith(JSON_PREFIXES):
        return jsonify(error=domain.to_dict()), status
    return render_template("error.html", message=domain.message), status


def install_failures(app: Flask) -> None:
    """Before any blueprint: routes read the `int` converter when they are added."""
    app.url_map.converters["int"] = DatabaseId
    for status in PLAIN:
        app.register_error_handler(status, _answer)
