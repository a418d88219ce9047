"""The background jobs every serving worker runs, each on a loop of its own.

A job is one function run every `interval_key` seconds in an app context. Jobs that change
shared state are written to fire exactly once across workers however many run them (they
claim rows with a conditional UPDATE, or take the incident lock and re-check), so every
worker may run every job; `RUN_BACKGROUND_JOBS=0` leaves a worker only the jobs marked
`every_worker` (its heartbeat: without it, its users would vanish from presence).
A new domain adds its job to `JOBS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from ..extensions import db, socketio
from ..observability.metrics import metrics
from ..services.chat.sender import deliver_due_chat
from ..services.insights.spikes import notify_spikes
from ..services.live_text.editing import settle_due_bursts
from ..services.mail.sender import deliver_due_mail
from ..services.paging.pages import escalate_due_pages
from ..services.status_page.maintenance import announce_clock_moves
from ..services.status_page.subscriptions import tell_subscribers
from ..services.status_page.webhooks import deliver_status_webhooks
from ..services.throttle import forget_quiet_keys
from ..services.timers import apply_all_due_rules
from ..services.webhook_sender import deliver_due
from . import observer_events, presence
from .postmortem_events import send_milestone_reminders

log = logging.getLogger("incident_room.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    interval_key: str
    every_worker: bool = False


def sweep_presence() -> None:
    """Users of dead workers leave every room."""
    for incident_id in presence.sweep_dead_workers():
        presence.broadcast(incident_id)


JOBS: tuple[Job, ...] = (
    Job("heartbeat", presence.beat, "BACKGROUND_JOB_INTERVAL_SECONDS", every_worker=True),
    Job("presence_sweep", sweep_presence, "BACKGROUND_JOB_INTERVAL_SECONDS"),
    Job("playbook_timers", apply_all_due_rules, "BACKGROUND_JOB_INTERVAL_SECONDS"),
    Job("paging", escalate_due_pages, "BACKGROUND_JOB_INTERVAL_SECONDS"),
    Job("observer_links", observer_events.close_ended_links, "BACKGROUND_JOB_INTERVAL_SECONDS"),
    # On a loop of its own, so a slow webhook receiver never delays the timers.
    Job("webhooks", deliver_due, "WEBHOOK_JOB_INTERVAL_SECONDS"),
    Job("mail", deliver_due_mail, "MAIL_JOB_INTERVAL_SECONDS"),
    Job("chat", deliver_due_chat, "WEBHOOK_JOB_INTERVAL_SECONDS"),
    Job("throttles", forget_quiet_keys, "BACKGROUND_JOB_INTERVAL_SECONDS"),
    Job("incident_spikes", notify_spikes, "BACKGROUND_JOB_INTERVAL_SECONDS"),
    Job("status_page_maintenance", announce_clock_moves, "BACKGROUND_JOB_INTERVAL_SECONDS"),
    Job("status_page_subscribers", tell_subscribers, "BACKGROUND_JOB_INTERVAL_SECONDS"),
    Job("status_page_webhooks", deliver_status_webhooks, "WEBHOOK_JOB_INTERVAL_SECONDS"),
    Job("postmortem_milestones", send_milestone_reminders, "BACKGROUND_JOB_INTERVAL_SECONDS"),
    Job("live_text_bursts", settle_due_bursts, "LIVE_TEXT_JOB_INTERVAL_SECONDS"),
)


def run_once(app: Flask, job: Job) -> None:
    """One pass of `job`; a failure is logged and rolled back, and the loop goes on."""
    with app.app_context():
        try:
            job.run()
        except Exception:
            log.exception("background job %s failed", job.name)
            db.session.rollback()
        finally:
            db.session.remove()
            metrics.job_ran(job.name)


def _run_forever(app: Flask, job: Job) -> None:
    interval = app.config[job.interval_key]
    while True:
        run_once(app, job)
        socketio.sleep(interval)


def start_background_jobs(app: Flask) -> None:
    """In every serving worker: start each job's loop (with RUN_BACKGROUND_JOBS=0, only
    the jobs every worker must run)."""
    with app.app_context():
        presence.forget_this_worker()
    for job in JOBS:
        if job.every_worker or app.config["RUN_BACKGROUND_JOBS"]:
            socketio.start_background_task(_run_forever, app, job)
