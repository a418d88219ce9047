"""status page: a component's manual state, a maintenance's announced clock status

Revision ID: b5d2e8a4c7f1
Revises: a017f5f64aaa
Create Date: 2026-12-04 07:40:00.000000

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5d2e8a4c7f1'
down_revision = 'a017f5f64aaa'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('status_components', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('manual_state', sa.String(length=24), server_default='operational', nullable=False)
        )
    with op.batch_alter_table('status_maintenances', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('clock_status', sa.String(length=16), server_default='scheduled', nullable=False)
        )
    # Windows already under way or over count as announced: the clock's job tells of the
    # starts and ends still ahead, not of those passed before this upgrade.
    maintenances = sa.table(
        'status_maintenances',
        sa.column('starts_at', sa.DateTime(timezone=True)),
        sa.column('ends_at', sa.DateTime(timezone=True)),
        sa.column('clock_status', sa.String(length=16)),
    )
    at = datetime.now(UTC)
    op.execute(
        maintenances.update()
        .where(maintenances.c.starts_at <= at, maintenances.c.ends_at > at)
        .values(clock_status='in_progress')
    )
    op.execute(
        maintenances.update()
        .where(maintenances.c.ends_at <= at)
        .values(clock_status='completed')
    )


def downgrade():
    with op.batch_alter_table('status_maintenances', schema=None) as batch_op:
        batch_op.drop_column('clock_status')
    with op.batch_alter_table('status_components', schema=None) as batch_op:
        batch_op.drop_column('manual_state')
