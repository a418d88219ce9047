"""E-mail over a real local SMTP server: sent after the commit, retried, never twice."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import icalendar
import pytest

from incident_room.extensions import db
from incident_room.models import MailMessage
from incident_room.services.mail.messages import check_address, queue_mail
from incident_room.services.mail.sender import deliver_due_mail
from tests.conftest import dispose, make_app
from tests.support.smtp import smtp_server

INVITE = icalendar.Calendar()
INVITE.add("prodid", "-//Incident Room//test//EN")
INVITE.add("version", "2.0")
EVENT = icalendar.Event()
EVENT.add("uid", "pm-review@incident-room")
EVENT.add("summary", "Post-mortem review INC-7")
EVENT.add("dtstart", datetime(2026, 3, 16, 14, 0, tzinfo=UTC))
INVITE.add_component(EVENT)


@pytest.fixture
def mailbox():
    with smtp_server() as running:
        yield running


def queue(app, **kw) -> None:
    with app.app_context():
        queue_mail("Dana@Example.com", "INC-7: you are paged", "Ack within 5 minutes.", **kw)
        db.session.commit()


def statuses(app) -> list[tuple[str, int]]:
    with app.app_context():
        return [(m.status, m.attempts) for m in db.session.scalars(db.select(MailMessage))]


def test_a_queued_message_arrives_after_the_commit_with_its_invite(sqlite_url, mailbox) -> None:
    app = make_app(sqlite_url, SMTP_URL=mailbox.url, MAIL_FROM="Incidents <ir@example.com>")
    queue(
        app,
        purpose="test",
        headers={"List-Unsubscribe": "<https://x/u>"},
        calendar=INVITE.to_ical().decode(),
    )
    with app.app_context():
        assert deliver_due_mail() == 1
    [message] = mailbox.wait_for(1)
    assert message["To"] == "dana@example.com"
    assert message["From"] == "Incidents <ir@example.com>"
    assert message["Subject"] == "INC-7: you are paged"
    assert message["List-Unsubscribe"] == "<https://x/u>"
    assert message.get_body(("plain",)).get_content().strip() == "Ack within 5 minutes."
    [invite] = [
        part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"
    ]
    parsed = icalendar.Calendar.from_ical(invite.get_content())
    assert [str(e["summary"]) for e in parsed.walk("VEVENT")] == ["Post-mortem review INC-7"]
    assert statuses(app) == [("delivered", 1)]
    with app.app_context():
        assert deliver_due_mail() == 0
    dispose(app)


def test_a_rolled_back_change_sends_nothing(sqlite_url, mailbox) -> None:
    app = make_app(sqlite_url, SMTP_URL=mailbox.url)
    with app.app_context():
        queue_mail("dana@example.com", "never", "never", purpose="test")
        db.session.rollback()
        assert deliver_due_mail() == 0
    assert statuses(app) == [] and mailbox.messages == []
    dispose(app)


def test_a_refusing_server_is_retried_with_back_off_then_delivered(sqlite_url, mailbox, clock):
    app = make_app(sqlite_url, SMTP_URL=mailbox.url)
    mailbox.refuse = True
    queue(app, purpose="test")
    with app.app_context():
        assert deliver_due_mail() == 1
    assert statuses(app) == [("pending", 1)]
    mailbox.refuse = False
    with app.app_context():
        assert deliver_due_mail() == 0  # not yet: the first back-off is 10 s
    clock.advance(seconds=11)
    with app.app_context():
        assert deliver_due_mail() == 1
    assert len(mailbox.wait_for(1)) == 1
    assert statuses(app) == [("delivered", 2)]
    dispose(app)


def test_without_a_mail_server_nothing_is_queued(app) -> None:
    queue(app, purpose="test")
    assert statuses(app) == []


def test_bad_addresses_are_refused_by_name() -> None:
    for bad in ("", "dana", "dana@localhost", "a@b.c\r\nBcc: x@y.z", "<x@y.zz>", 42):
        with pytest.raises(Exception) as refused:
            check_address(bad, "email")
        assert refused.value.details == {"field": "email"}
    assert check_address(" Dana@Example.COM ") == "dana@example.com"


@pytest.mark.postgres
def test_two_senders_racing_send_each_message_once(postgres_url, mailbox) -> None:
    apps = [make_app(postgres_url, SMTP_URL=mailbox.url) for _ in range(2)]
    for n in range(10):
        with apps[0].app_context():
            queue_mail(f"person{n}@example.com", f"page {n}", "text", purpose="test")
            db.session.commit()
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def send(app) -> None:
        try:
            with app.app_context():
                barrier.wait()
                while deliver_due_mail(limit=3):
                    pass
        except BaseException as error:  # re-raised below: a failing thread fails the test
            failures.append(error)

    threads = [threading.Thread(target=send, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    received = sorted(m["To"] for m in mailbox.wait_for(10))
    assert received == sorted(f"person{n}@example.com" for n in range(10))
    assert len(mailbox.messages) == 10
    for app in apps:
        dispose(app)
