"""Background jobs run in every worker, yet each timer rule and each webhook fires once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from incident_room.extensions import db
from incident_room.models import User, WebhookDelivery
from incident_room.services.accounts import set_admin
from incident_room.services.webhooks import create_endpoint
from tests.conftest import dispose, make_app
from tests.scale.records import incident_log
from tests.support.live import job_runs, wait_for_job_passes, wait_until
from tests.support.receiver import webhook_receiver

PLAYBOOK_RULES = ("incident.severity_defaulted", "incident.escalation_prompted")


def overdue_unclassified_incident(cluster, workers: int, **env: str):
    """Declared unclassified 70 minutes ago: it is due to default to SEV2 and, still
    unmitigated, to prompt the SEV1 escalation - both the moment the workers start."""
    declaration = {"severity": None, "declared_ago": timedelta(minutes=70)}
    return cluster(workers=workers, declaration=declaration, **env)


def rules_fired(room) -> Counter[str]:
    types = [kind for _, kind in incident_log(room.database_url, room.incident_id)]
    return Counter(kind for kind in types if kind in PLAYBOOK_RULES)


def test_due_timer_rules_fire_once_with_three_workers_racing(cluster):
    room = overdue_unclassified_incident(cluster, workers=3)

    wait_until(lambda: len(rules_fired(room)) == 2, message="both rules fired")
    wait_for_job_passes([worker.url for worker in room.workers], "playbook_timers")
    assert rules_fired(room) == Counter(dict.fromkeys(PLAYBOOK_RULES, 1))


def test_a_worker_with_background_jobs_off_leaves_the_timers_alone(cluster):
    room = overdue_unclassified_incident(cluster, workers=1, RUN_BACKGROUND_JOBS="0")
    # Its heartbeat (which every worker runs) passing three times: the timers had as long.
    wait_for_job_passes([room.workers[0].url], "heartbeat")
    assert job_runs(room.workers[0].url, "playbook_timers") == 0
    assert rules_fired(room) == Counter()


def deliveries(database_url: str) -> list[WebhookDelivery]:
    app = make_app(database_url)
    try:
        with app.app_context():
            rows = list(db.session.scalars(db.select(WebhookDelivery)))
            db.session.expunge_all()
            return rows
    finally:
        dispose(app)


def add_endpoint(database_url: str, username: str, url: str) -> None:
    app = make_app(database_url, OUTBOUND_ALLOW_INTERNAL="127.0.0.1")
    try:
        with app.app_context():
            owner = db.session.scalar(db.select(User).filter_by(username=username))
            set_admin(owner, True)
            create_endpoint(owner, "Status channel", url, [], "json")
    finally:
        dispose(app)


def test_each_webhook_is_delivered_once_with_two_senders(cluster):
    with webhook_receiver() as receiver:
        room = cluster(
            workers=2, WEBHOOK_JOB_INTERVAL_SECONDS="0.1", OUTBOUND_ALLOW_INTERNAL="127.0.0.1"
        )
        add_endpoint(room.database_url, "user0", receiver.url)
        client = room.client(0, "user0")
        changes = [{"severity": "SEV1"}, {"status": "investigating"}, {"status": "identified"}]
        for change in changes:
            assert client.change("incident.update", {"incident_id": room.incident_id, **change})[
                "ok"
            ]

        queued = len(deliveries(room.database_url))
        assert queued >= len(changes)
        wait_until(
            lambda: all(d.status == "delivered" for d in deliveries(room.database_url)),
            message="every delivery sent",
        )
        wait_for_job_passes([worker.url for worker in room.workers], "webhooks")
        assert len(receiver.requests) == queued
        assert all(d.attempts == 1 for d in deliveries(room.database_url))
