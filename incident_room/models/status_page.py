"""The public status page: components customers see, their state history, the incidents
made public with the components they affect, and the version that invalidates the cache."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .outbox import OutboxColumns
from .types import UTCDateTime


class StatusComponent(db.Model):
    """A public component ("Checkout", "API"), in a group, in its place, in one state."""

    __tablename__ = "status_components"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    group_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    state: Mapped[str] = mapped_column(String(24), default="operational")
    # The state an admin set by hand: one choice among the public incidents' (the worst wins).
    manual_state: Mapped[str] = mapped_column(
        String(24), default="operational", server_default="operational"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class StatusComponentService(db.Model):
    """An internal service (services/catalog) shown to the public as this component."""

    __tablename__ = "status_component_services"

    component_id: Mapped[int] = mapped_column(
        ForeignKey("status_components.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class StatusStateChange(db.Model):
    """A component entering a state at a moment: the 90 days of history are read from it."""

    __tablename__ = "status_state_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(
        ForeignKey("status_components.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="SET NULL"), index=True
    )


class StatusPublicIncident(db.Model):
    """An incident shown on the status page (marked public by its IC or Communications Lead)."""

    __tablename__ = "status_public_incidents"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class StatusIncidentComponent(db.Model):
    """A component a public incident affects, and the state the incident put it in."""

    __tablename__ = "status_incident_components"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    component_id: Mapped[int] = mapped_column(
        ForeignKey("status_components.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(24))


class StatusPageVersion(db.Model):
    """One row: bumped in the transaction of every change to the page, so every worker's
    cached rendering knows when it is stale."""

    __tablename__ = "status_page_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class StatusMaintenance(db.Model):
    """A planned window: shown ahead, in progress and completed by the clock."""

    __tablename__ = "status_maintenances"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # The status last announced (scheduled, in_progress, completed): the clock's job moves it
    # with a conditional UPDATE, so each start and end is announced once across workers.
    clock_status: Mapped[str] = mapped_column(
        String(16), default="scheduled", server_default="scheduled"
    )


class StatusMaintenanceComponent(db.Model):
    __tablename__ = "status_maintenance_components"

    maintenance_id: Mapped[int] = mapped_column(
        ForeignKey("status_maintenances.id", ondelete="CASCADE"), primary_key=True
    )
    component_id: Mapped[int] = mapped_column(
        ForeignKey("status_components.id", ondelete="CASCADE"), primary_key=True
    )


class StatusMaintenanceUpdate(db.Model):
    """What the team tells customers about a maintenance, newest shown first."""

    __tablename__ = "status_maintenance_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    maintenance_id: Mapped[int] = mapped_column(
        ForeignKey("status_maintenances.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class StatusSubscriber(db.Model):
    """Someone told of status-page updates: an e-mail address (confirmed by a link first)
    or a webhook, for every component or only some. Only the token's digest is kept."""

    __tablename__ = "status_subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class StatusSubscriberComponent(db.Model):
    """A component a subscriber follows (none listed: every component)."""

    __tablename__ = "status_subscriber_components"

    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("status_subscribers.id", ondelete="CASCADE"), primary_key=True
    )
    component_id: Mapped[int] = mapped_column(
        ForeignKey("status_components.id", ondelete="CASCADE"), primary_key=True
    )


class StatusNotice(db.Model):
    """An update the subscribers were told of - a posted status-page update (its entry id),
    a maintenance update (`maintenance-update-<id>`) or a component's change of state
    (`component-update-<id>`): inserting the row claims the telling, so across workers it
    happens once."""

    __tablename__ = "status_notices"

    entry_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class StatusWebhookDelivery(OutboxColumns, db.Model):
    """One update on its way to a webhook subscriber (sent through services/outbound)."""

    __tablename__ = "status_webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("status_subscribers.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    response_status: Mapped[int | None] = mapped_column(Integer)
