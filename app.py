"""Entry point: `flask --app app ...` for commands, `python app.py` to serve.

Served with gevent (see bench/README.md for the measurement behind that choice); the
monkey patching must happen before anything else is imported.
"""

from __future__ import annotations

import os
import sys

SERVING = __name__ == "__main__"
if SERVING:
    if "--threading" in sys.argv:
        os.environ["SOCKETIO_ASYNC_MODE"] = "threading"
    else:
        from gevent import monkey

        monkey.patch_all()
        os.environ["SOCKETIO_ASYNC_MODE"] = "gevent"

import argparse  # noqa: E402
import logging  # noqa: E402

from incident_room.app_factory import create_app  # noqa: E402
from incident_room.preflight import app_or_exit  # noqa: E402

# Serving refuses to start (one line, exit 2) when the database or Redis is wrong;
# `flask --app app ...` commands still load so that `db upgrade` can create the schema.
app = app_or_exit(create_app) if SERVING else create_app()


def main() -> None:
    from incident_room.database import make_postgres_cooperative
    from incident_room.observability.logs import configure_logging
    from incident_room.realtime.jobs import start_background_jobs
    from incident_room.serving import serve

    parser = argparse.ArgumentParser(description="Serve Incident Room.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--threading", action="store_true", help="serve without gevent")
    args = parser.parse_args()
    configure_logging(app.config["LOG_LEVEL"])
    if not args.threading:
        make_postgres_cooperative()
    start_background_jobs(app)
    url = f"http://{args.host}:{args.port}"
    logging.getLogger("incident_room.serving").info(
        "serving", extra={"url": url, "pid": os.getpid()}
    )
    print(f"Serving on {url} - {login_hint()}", flush=True)  # for people, beside the JSON log
    serve(app, args.host, args.port)


def login_hint() -> str:
    from incident_room.cli import DEMO_PASSWORD, DEMO_USERNAME
    from incident_room.services.accounts import find_user

    with app.app_context():
        if find_user(DEMO_USERNAME) is not None:
            return f"log in as {DEMO_USERNAME} / {DEMO_PASSWORD}"
    return "log in with an account made by `flask --app app users create NAME`"


if SERVING:
    main()
