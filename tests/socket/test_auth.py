import pytest
from sqlalchemy import select, update

from incident_room.extensions import db
from incident_room.models import ApiToken, User
from incident_room.services.accounts import create_api_token, find_user
from incident_room.web import user_loading
from tests.conftest import PASSWORD, declare
from tests.socket.helpers import add_entry, join_all
from tests.support.web import csrf_from, login


def test_login_with_right_password_opens_the_incident_list(app, dana) -> None:
    client = app.test_client()
    response = login(client, "dana")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/incidents")
    assert "Dana Scully" in client.get("/incidents").get_data(as_text=True)


@pytest.mark.parametrize(
    ("username", "password"), [("dana", "wrong-password"), ("nobody", PASSWORD)]
)
def test_wrong_password_and_unknown_user_get_the_same_message(app, dana, username, password):
    response = login(app.test_client(), username, password)
    assert response.status_code == 401
    assert "That username and password do not match an account." in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(app, dana) -> None:
    client = app.test_client()
    response = client.post("/login", data={"username": "dana", "password": PASSWORD})
    assert response.status_code == 400
    assert "expired or came from elsewhere" in response.get_data(as_text=True)
    assert client.get("/incidents").status_code == 302


def test_logout_needs_csrf_and_ends_the_session(app, dana) -> None:
    client = app.test_client()
    login(client, "dana")
    assert client.post("/logout").status_code == 400
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/incidents").status_code == 302


def test_login_never_redirects_off_site(app, dana) -> None:
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": "dana", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/incidents"


def test_pages_require_login(app) -> None:
    response = app.test_client().get("/incidents")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_api_without_credentials_is_unauthenticated(app) -> None:
    response = app.test_client().get("/api/incidents")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def test_bearer_token_authenticates_the_api_and_is_stored_hashed(app, dana) -> None:
    with app.app_context():
        token = create_api_token(find_user("dana"))
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1
    client = app.test_client()
    response = client.get("/api/incidents", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    bad = client.get("/api/incidents", headers={"Authorization": "Bearer ir_wrong"})
    assert bad.status_code == 401


def test_bearer_token_does_not_open_html_pages(app, dana) -> None:
    with app.app_context():
        token = create_api_token(find_user("dana"))
    response = app.test_client().get("/incidents", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 302


def test_cli_creates_users_and_tokens(app) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "sam", "--password", "long-enough", "--display-name", "Sam Vimes"]
    )
    assert result.exit_code == 0, result.output
    assert "Sam Vimes" in result.output
    duplicate = runner.invoke(args=["users", "create", "sam", "--password", "long-enough"])
    assert duplicate.exit_code != 0 and "taken" in duplicate.output
    token = runner.invoke(args=["users", "token", "sam"]).output.strip()
    response = app.test_client().get("/api/incidents", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_a_rename_behind_the_apps_back_shows_once_the_held_copy_is_stale(
    app, dana, monkeypatch
) -> None:
    incident_id = declare(app, "dana")
    (room,) = join_all(app, incident_id, "dana")
    assert add_entry(room, incident_id, "first")["author"]["display_name"] == "Dana Scully"
    with app.app_context():
        db.session.execute(update(User).values(display_name="Dana K. Scully"))
        db.session.commit()

    assert add_entry(room, incident_id, "held")["author"]["display_name"] == "Dana Scully"
    monkeypatch.setattr(user_loading, "FRESH_SECONDS", 0.0)
    assert add_entry(room, incident_id, "read")["author"]["display_name"] == "Dana K. Scully"
