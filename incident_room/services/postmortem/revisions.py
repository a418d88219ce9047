"""Opening the post-mortem at all-clear, and starting a new revision after publishing."""

from __future__ import annotations

from sqlalchemy import select

from ...errors import DomainError
from ...extensions import db
from ...models import Incident, Postmortem, PostmortemSection, User
from ...wire.postmortem import SECTION_KEYS
from .action_items import copy_action_items
from .sections import add_section
from .workspace import create_revision, current_postmortem, ensure_may_publish, require_postmortem


def open_postmortem(incident: Incident, actor: User) -> Postmortem:
    """Revision 1 with every section blank; the existing one if it is already open."""
    existing = current_postmortem(incident.id)
    if existing is not None:
        return existing
    postmortem = create_revision(incident, actor, 1)
    for key in SECTION_KEYS:
        add_section(postmortem, key, actor)
    db.session.flush()
    return postmortem


def start_new_revision(incident: Incident, actor: User) -> Postmortem:
    """A draft that starts from the published revision's sections and action items."""
    published = require_postmortem(incident)
    if published.status != "published":
        raise DomainError(
            "invalid", "Publish this revision before starting a new one.", field="status"
        )
    ensure_may_publish(incident, actor)
    postmortem = create_revision(incident, actor, published.revision + 1)
    sections = db.session.scalars(select(PostmortemSection).filter_by(postmortem_id=published.id))
    for section in sections:
        add_section(postmortem, section.key, actor, section.text, list(section.authors))
    copy_action_items(published, postmortem, actor)
    db.session.flush()
    return postmortem
