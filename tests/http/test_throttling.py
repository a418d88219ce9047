"""Guessing costs time: failed logins and unknown API tokens back off exponentially, and
declarations come at a human pace - without letting a stranger lock the owner out."""

from __future__ import annotations

import logging

import pytest

from incident_room.services.accounts import create_api_token, find_user
from incident_room.services.throttle.policy import LOGIN_ACCOUNT
from tests.conftest import PASSWORD, add_user, dispose, logged_in_client, make_app
from tests.support.web import csrf_from

OWN_ADDRESS = "198.51.100.7"
GUESSER = "203.0.113.66"


def attempt(client, username: str, password: str, address: str = OWN_ADDRESS):
    """One try of the login form from `address`."""
    environ = {"REMOTE_ADDR": address}
    token = csrf_from(client.get("/login", environ_base=environ).get_data(as_text=True))
    form = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=form, environ_base=environ)


def retry_after(response) -> int:
    return int(response.headers["Retry-After"])


def test_guessing_a_password_is_held_back_and_the_right_one_waits_too(app, clock, dana):
    client = app.test_client()
    answers = [attempt(client, "dana", f"guess-{n}", GUESSER) for n in range(60)]
    assert [a.status_code for a in answers[:5]] == [401] * 5
    assert {a.status_code for a in answers[5:]} == {429}
    refused = answers[-1]
    assert retry_after(refused) == 1
    assert "Too many failed attempts" in refused.get_data(as_text=True)

    right = attempt(client, "dana", PASSWORD, GUESSER)
    assert right.status_code == 429, "no password is checked while the wait lasts"
    clock.advance(seconds=retry_after(right))
    assert attempt(client, "dana", PASSWORD, GUESSER).status_code == 302


def test_each_failure_past_the_free_ones_doubles_the_wait_up_to_a_cap(app, clock, dana):
    client = app.test_client()
    for n in range(5):
        attempt(client, "dana", f"guess-{n}", GUESSER)
    waits = []
    for n in range(20):
        refused = attempt(client, "dana", "still-guessing", GUESSER)
        assert refused.status_code == 429
        waits.append(retry_after(refused))
        clock.advance(seconds=waits[-1])
        assert attempt(client, "dana", f"again-{n}", GUESSER).status_code == 401
    assert waits[:6] == [1, 2, 4, 8, 16, 32]
    assert max(waits) == waits[-1] == 15 * 60


def test_a_stranger_guessing_from_many_addresses_delays_the_owner_minutes_at_most(app, clock, dana):
    guesser = app.test_client()
    for n in range(100):
        address = f"203.0.113.{n % 250}"
        answer = attempt(guesser, "dana", f"guess-{n}", address)
        if answer.status_code == 429:
            clock.advance(seconds=retry_after(answer))
            attempt(guesser, "dana", f"guess-{n}", address)
    owner = app.test_client()
    held = attempt(owner, "dana", PASSWORD, OWN_ADDRESS)
    assert held.status_code == 429
    assert retry_after(held) <= LOGIN_ACCOUNT.longest_wait.total_seconds() == 300
    clock.advance(seconds=retry_after(held))
    assert attempt(owner, "dana", PASSWORD, OWN_ADDRESS).status_code == 302


def test_the_owners_own_address_is_not_held_by_a_guesser_elsewhere(app, clock, dana):
    """Below the account's own threshold, a guesser's waits are theirs alone."""
    guesser = app.test_client()
    for n in range(8):
        attempt(guesser, "dana", f"guess-{n}", GUESSER)
    assert attempt(guesser, "dana", PASSWORD, GUESSER).status_code == 429
    assert attempt(app.test_client(), "dana", PASSWORD, OWN_ADDRESS).status_code == 302


def test_one_address_trying_many_accounts_is_held_back(app, clock, dana):
    client = app.test_client()
    answers = [attempt(client, f"user{n}", "password-123", GUESSER) for n in range(31)]
    assert {a.status_code for a in answers[:30]} == {401}
    assert answers[30].status_code == 429
    assert attempt(client, "dana", PASSWORD, GUESSER).status_code == 429
    assert attempt(app.test_client(), "dana", PASSWORD, OWN_ADDRESS).status_code == 302


def test_throttling_is_logged_as_one_json_line(app, clock, dana, caplog):
    client = app.test_client()
    for n in range(5):
        attempt(client, "dana", f"guess-{n}", GUESSER)
    with caplog.at_level(logging.WARNING, logger="incident_room.security"):
        attempt(client, "dana", "guess", GUESSER)
    [record] = [r for r in caplog.records if r.name == "incident_room.security"]
    assert record.getMessage() == "throttled"
    assert (record.username, record.address, record.retry_after) == ("dana", GUESSER, 1)
    assert "guess" not in str(record.__dict__), "never the password"


def test_unknown_api_tokens_back_off_but_a_valid_token_is_never_held_up(app, clock, dana):
    with app.app_context():
        token = create_api_token(find_user("dana"))
    client = app.test_client()
    address = {"REMOTE_ADDR": GUESSER}

    def call(bearer: str):
        headers = {"Authorization": f"Bearer {bearer}"}
        return client.get("/api/incidents", headers=headers, environ_base=address)

    assert {call(f"ir_guess{n}").status_code for n in range(10)} == {401}
    refused = call("ir_guess-more")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert refused.get_json()["error"]["retry_after"] == retry_after(refused) == 1
    assert call(token).status_code == 200
    clock.advance(seconds=1)
    assert call("ir_guess-after").status_code == 401


@pytest.fixture
def dana_api(app, dana):
    with app.app_context():
        token = create_api_token(find_user("dana"))
    return {"Authorization": f"Bearer {token}"}


def test_a_burst_of_declarations_is_refused_after_ten(app, dana, dana_api):
    client = app.test_client()
    made = [
        client.post("/api/incidents", json={"title": f"Outage {n}"}, headers=dana_api)
        for n in range(11)
    ]
    assert [m.status_code for m in made[:10]] == [201] * 10
    refused = made[10]
    assert refused.status_code == 429 and retry_after(refused) >= 1
    error = refused.get_json()["error"]
    assert error["code"] == "rate_limited" and "declarations" in error["message"]
    assert error["retry_after"] == retry_after(refused)

    page = logged_in_client(app, "dana")
    token = csrf_from(page.get("/incidents").get_data(as_text=True))
    form = page.post("/incidents", data={"csrf_token": token, "title": "One more"})
    assert form.status_code == 429
    assert "Too many declarations" in form.get_data(as_text=True)
    assert page.get("/incidents").status_code == 200, "reading is not declaring"


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(sqlite_url, clock):
    app = make_app(sqlite_url, TRUSTED_PROXY_COUNT=1)
    try:
        add_user(app, "dana")
        client = app.test_client()

        def via_proxy(password: str, client_address: str):
            environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": client_address}
            token = csrf_from(client.get("/login", environ_base=environ).get_data(as_text=True))
            form = {"username": "dana", "password": password, "csrf_token": token}
            return client.post("/login", data=form, environ_base=environ)

        for n in range(5):
            via_proxy(f"guess-{n}", GUESSER)
        assert via_proxy(PASSWORD, GUESSER).status_code == 429
        assert via_proxy(PASSWORD, OWN_ADDRESS).status_code == 302, "not the proxy's address"
    finally:
        dispose(app)
