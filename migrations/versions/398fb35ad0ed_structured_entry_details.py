"""structured entry details

Revision ID: 398fb35ad0ed
Revises: a03916cfab7d
Create Date: 2026-11-25 09:46:57.198489

"""

import sqlalchemy as sa
from alembic import op

from incident_room.services.entry_details import DETAIL_FIELDS, complete_details

# revision identifiers, used by Alembic.
revision = "398fb35ad0ed"
down_revision = "a03916cfab7d"
branch_labels = None
depends_on = None

entries = sa.table(
    "timeline_entries", sa.column("kind", sa.String), sa.column("details", sa.JSON)
)


def upgrade():
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=True))

    # Existing entries get their kind's defaults (an old update is for stakeholders).
    op.execute(entries.update().values(details={}))
    for kind in DETAIL_FIELDS:
        op.execute(
            entries.update().where(entries.c.kind == kind).values(details=complete_details(kind, {}))
        )

    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.alter_column("details", existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.drop_column("details")
