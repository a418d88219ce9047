"""event hash chain

Revision ID: a03916cfab7d
Revises: 6f1349880fa2
Create Date: 2026-11-25 09:43:06.281856

"""

from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from incident_room.unit_of_work.chain import GENESIS, event_hash

# revision identifiers, used by Alembic.
revision = "a03916cfab7d"
down_revision = "6f1349880fa2"
branch_labels = None
depends_on = None

events = sa.table(
    "incident_events",
    sa.column("id", sa.Integer),
    sa.column("incident_id", sa.Integer),
    sa.column("seq", sa.Integer),
    sa.column("type", sa.String),
    sa.column("actor_id", sa.Integer),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("data", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
incidents = sa.table("incidents", sa.column("id", sa.Integer), sa.column("chain_head", sa.String))


def _chain_existing_events() -> None:
    """Hash the log written before the chain existed, so every incident verifies."""
    bind = op.get_bind()
    heads: dict[int, str] = {}
    rows = bind.execute(sa.select(events).order_by(events.c.incident_id, events.c.seq))
    for row in rows.mappings().all():
        previous = heads.get(row["incident_id"], GENESIS)
        digest = event_hash(previous, SimpleNamespace(**row))
        bind.execute(
            events.update()
            .where(events.c.id == row["id"])
            .values(prev_hash=previous, hash=digest)
        )
        heads[row["incident_id"]] = digest
    for incident_id, head in heads.items():
        bind.execute(
            incidents.update().where(incidents.c.id == incident_id).values(chain_head=head)
        )


def upgrade():
    with op.batch_alter_table("incident_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))

    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_head", sa.String(length=64), nullable=True))

    _chain_existing_events()

    with op.batch_alter_table("incident_events", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("chain_head")

    with op.batch_alter_table("incident_events", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
