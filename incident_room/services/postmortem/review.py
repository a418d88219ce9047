"""The draft's review period: the owner asks reviewers, each approves or requests changes,
and publishing before the period ends needs the owner to say why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ...clock import iso, now
from ...errors import DomainError, invalid
from ...extensions import db
from ...models import Incident, Postmortem, PostmortemReview, User
from ...policy import POSTMORTEM_REVIEW_PERIOD
from ...unit_of_work import EventType
from ...wire.postmortem import ReviewView, review_view
from .workspace import editable_postmortem, ensure_may_publish, record_postmortem_event


def reviews_of(postmortem: Postmortem) -> list[ReviewView]:
    rows = db.session.scalars(
        select(PostmortemReview)
        .where(PostmortemReview.postmortem_id == postmortem.id)
        .order_by(PostmortemReview.id)
    )
    return [review_view(row) for row in rows]


def ask_reviewers(incident: Incident, actor: User, reviewers: list[User]) -> dict[str, Any]:
    """The owner (or the IC) asks people to review this revision's draft; asking someone
    again changes nothing."""
    ensure_may_publish(incident, actor)
    postmortem = editable_postmortem(incident)
    asked = {
        row.reviewer_id
        for row in db.session.scalars(
            select(PostmortemReview).filter_by(postmortem_id=postmortem.id)
        )
    }
    fresh = [person for person in reviewers if person.id not in asked]
    for person in {person.id: person for person in fresh}.values():
        db.session.add(
            PostmortemReview(
                postmortem_id=postmortem.id, reviewer_id=person.id, asked_by_id=actor.id
            )
        )
    db.session.flush()
    data = {"reviews": reviews_of(postmortem)}
    if not fresh:
        return {**data, "unchanged": True}
    record_postmortem_event(incident, postmortem, EventType.POSTMORTEM_REVIEWERS_ASKED, actor, data)
    return data


@dataclass(frozen=True)
class ReviewDecision:
    decision: str  # policy.REVIEW_DECISIONS
    comment: str | None


def decide_review(incident: Incident, actor: User, answer: ReviewDecision) -> dict[str, Any]:
    """A reviewer who was asked approves the draft or requests changes (saying which)."""
    postmortem = editable_postmortem(incident)
    review = db.session.scalar(
        select(PostmortemReview).filter_by(postmortem_id=postmortem.id, reviewer_id=actor.id)
    )
    if review is None:
        raise DomainError(
            "forbidden", "Only the reviewers the post-mortem owner asked decide on the draft."
        )
    if answer.decision == "changes_requested" and not answer.comment:
        raise invalid("comment", "Say which changes the draft needs.")
    review.decision = answer.decision
    review.comment = answer.comment
    review.decided_at = now()
    db.session.flush()
    data = {"review": review_view(review), "reviews": reviews_of(postmortem)}
    record_postmortem_event(incident, postmortem, EventType.POSTMORTEM_REVIEW_DECIDED, actor, data)
    return data


def ensure_review_period_kept(postmortem: Postmortem, reason: str | None) -> None:
    """Publishing before the review period ends needs the owner's reason; it is kept."""
    started = postmortem.review_started_at
    if started is None or now() >= started + POSTMORTEM_REVIEW_PERIOD:
        return
    if not reason:
        raise invalid(
            "reason",
            f"The review period runs until {iso(started + POSTMORTEM_REVIEW_PERIOD)}: "
            "say why you publish before it ends.",
        )
    postmortem.early_publish_reason = reason
