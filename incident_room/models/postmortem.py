"""The post-mortem of an incident: its revisions, the sections the team writes, the action
items, and every version of those parts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .types import UTCDateTime
from .user import User


class Postmortem(db.Model):
    """One revision of an incident's post-mortem; the highest revision is the current one."""

    __tablename__ = "postmortems"
    __table_args__ = (UniqueConstraint("incident_id", "revision", name="uq_postmortems_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The whole document as published, so later timeline edits cannot change it.
    published_document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # When the draft last went to review (its review period runs from here), and why the
    # owner published before that period ended, if they did.
    review_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    early_publish_reason: Mapped[str | None] = mapped_column(Text)

    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])


class PostmortemSection(db.Model):
    """A section the team writes (summary, why 1..5, lessons, ...), versioned like entries."""

    __tablename__ = "postmortem_sections"
    __table_args__ = (UniqueConstraint("postmortem_id", "key", name="uq_postmortem_sections_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    postmortem_id: Mapped[int] = mapped_column(ForeignKey("postmortems.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Everyone who wrote in this section, in order of first contribution (user refs).
    authors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])


class PostmortemActionItem(db.Model):
    """What we will do: an owner and a due date make it a commitment, not a wish."""

    __tablename__ = "postmortem_action_items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    postmortem_id: Mapped[int] = mapped_column(
        ForeignKey("postmortems.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    tracker_url: Mapped[str | None] = mapped_column(String(500))
    # The ticket made for it in a configured tracker ("github:owner/repo#12", "jira:OPS-7"),
    # so the tracker's webhooks find the item when the ticket closes.
    tracker_key: Mapped[str | None] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # Where the item stands after the post-mortem (policy.ACTION_ITEM_STATES); `done_at` is
    # when it was last done, and a reopened item loses it.
    state: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    state_reason: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])


class PostmortemChange(db.Model):
    """One version of a section or an action item: who, when, and its fields after.

    The base of a three-way merge is read from here, and nothing anyone wrote is lost.
    `part` is "section:<key>" or "action_item:<id>".
    """

    __tablename__ = "postmortem_changes"
    __table_args__ = (
        UniqueConstraint("postmortem_id", "part", "version", name="uq_postmortem_changes_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    postmortem_id: Mapped[int] = mapped_column(ForeignKey("postmortems.id", ondelete="CASCADE"))
    part: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)


class PostmortemRequirement(db.Model):
    """Whether the incident owes a post-mortem, decided at the all-clear by the playbook's
    rules (`reasons`: [{code, message}]), and the IC's own call on top: `choice` is None,
    "asked" (held although not required) or "waived" (not held although required,
    `choice_reason` says why)."""

    __tablename__ = "postmortem_requirements"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    required: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    engineering_seconds: Mapped[int] = mapped_column(Integer, default=0)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    choice: Mapped[str | None] = mapped_column(String(10))
    choice_reason: Mapped[str | None] = mapped_column(Text)
    choice_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    choice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # A short tag naming the cause ("expired-cert"), set in the post-mortem: SEV3s that
    # share one recur even across services.
    cause_tag: Mapped[str | None] = mapped_column(String(60), index=True)

    choice_by: Mapped[User | None] = relationship(foreign_keys=[choice_by_id])


class PostmortemMilestone(db.Model):
    """One step of the post-mortem's schedule (policy.POSTMORTEM_MILESTONES): due from the
    all-clear, done when it is done; `reminded_at` claims its one reminder across workers."""

    __tablename__ = "postmortem_milestones"
    __table_args__ = (UniqueConstraint("incident_id", "key", name="uq_postmortem_milestones_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PostmortemReview(db.Model):
    """A reviewer the owner asked to review a revision's draft, and their decision
    (policy.REVIEW_DECISIONS; None while awaited)."""

    __tablename__ = "postmortem_reviews"
    __table_args__ = (
        UniqueConstraint("postmortem_id", "reviewer_id", name="uq_postmortem_reviews_reviewer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    postmortem_id: Mapped[int] = mapped_column(
        ForeignKey("postmortems.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    decision: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    asked_by: Mapped[User] = relationship(foreign_keys=[asked_by_id])


class PostmortemActionReview(db.Model):
    """The day-30 action item review: its outcome (policy.ACTION_REVIEW_OUTCOMES), notes, and
    the checklist as it stood - each item's text, owner and state."""

    __tablename__ = "postmortem_action_reviews"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    outcome: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
