"""Have we seen this before? Full-text search finds a past incident by a phrase from its
timeline and a runbook by its steps, on SQLite (FTS5) and PostgreSQL (tsvector); private
incidents stay hidden from those they do not admit; new text is found at once."""

from __future__ import annotations

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.runbooks.search import search as run_search
from tests.conftest import declare, logged_in_client
from tests.insights.conftest import resolve
from tests.runbooks.test_room import with_runbook
from tests.socket.helpers import add_entry, join_all
from tests.support.threads import all_at_once

PHRASE = "the connection pool to db-7 was exhausted by the nightly batch job"


def search(client, words: str) -> str:
    return client.get("/runbooks/search", query_string={"q": words}).get_data(as_text=True)


def test_search_finds_a_past_incident_by_a_phrase_from_its_timeline(rb_app) -> None:
    past = declare(rb_app, "dana", title="Checkout slow", severity="SEV2")
    other = declare(rb_app, "dana", title="Search down", severity="SEV3")
    [room] = join_all(rb_app, past, "dana")
    add_entry(room, past, f"Found it: {PHRASE}.")
    with rb_app.app_context():
        resolve(past, "dana")
    fox = logged_in_client(rb_app, "fox")
    page = search(fox, "connection pool exhausted batch")
    assert f'<a href="/incidents/{past}">INC-1: Checkout slow</a>' in page
    assert f"/incidents/{other}" not in page
    assert "connection pool to db-7 was exhausted" in page  # the snippet
    assert "Nothing found" in search(fox, "kafka rebalancing storm")


def test_search_finds_runbooks_and_what_was_written_since_the_last_search(rb_app) -> None:
    runbook_id = with_runbook(rb_app)
    fox = logged_in_client(rb_app, "fox")
    page = search(fox, "rollout undo")
    assert (
        f'<a href="/runbooks/{runbook_id}">PaymentsHighErrorRate - payments-api Runbook</a>' in page
    )
    incident = declare(rb_app, "dana", title="Queue backlog", severity="SEV3")
    assert "Nothing found" in search(fox, "poison message")
    [room] = join_all(rb_app, incident, "dana")
    add_entry(room, incident, "A poison message blocks the consumer")
    assert f"/incidents/{incident}" in search(fox, "poison message")


def test_a_private_incident_is_found_only_by_those_it_admits(rb_app) -> None:
    secret = declare(rb_app, "dana", title="Payroll export leak", severity="SEV1", private=True)
    [room] = join_all(rb_app, secret, "dana")
    add_entry(room, secret, "salaries visible in the export bucket")
    assert f"/incidents/{secret}" in search(logged_in_client(rb_app, "dana"), "salaries bucket")
    hidden = search(logged_in_client(rb_app, "fox"), "salaries bucket")
    assert "Payroll" not in hidden and "Nothing found" in hidden


def test_search_words_are_words_not_query_syntax(rb_app) -> None:
    fox = logged_in_client(rb_app, "fox")
    for words in ['"unbalanced', "NEAR(a b) OR *", "a\x00b", "' OR 1=1 --", "x" * 300]:
        assert search(fox, words).startswith("<!doctype html>")


def test_two_searches_at_once_both_answer(rb_app) -> None:
    for number in range(15):
        declare(rb_app, "dana", title=f"Disk full on node {number}", severity="SEV4")

    def look() -> int:
        with rb_app.app_context():
            fox = db.session.scalar(db.select(User).filter_by(username="fox"))
            return len(run_search(fox, "disk full node"))

    assert all_at_once(look, look) == [15, 15]
