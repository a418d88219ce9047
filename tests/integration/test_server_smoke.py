"""The real server process starts, serves the login page, and lets a user in."""

from incident_room.extensions import db
from tests.conftest import add_user, make_app
from tests.support.live import LiveServer, http_login


def test_python_app_py_serves_and_logs_in_over_http(sqlite_url) -> None:
    app = make_app(sqlite_url)
    add_user(app, "dana", "Dana Scully")
    with app.app_context():
        db.engine.dispose()
    server = LiveServer(sqlite_url).start()
    try:
        session = http_login(server.url, "dana")
        page = session.get(server.url + "/incidents")
        assert page.status_code == 200
        assert "Dana Scully" in page.text
    finally:
        server.stop()
    said = server.log_path.read_text()
    assert f"Serving on {server.url} - log in with an account made by" in said
