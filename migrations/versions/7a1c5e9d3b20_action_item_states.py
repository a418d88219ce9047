"""action item states: open, in progress, done, won't do (with its reason), and when done

Revision ID: 7a1c5e9d3b20
Revises: 4c8e2a7b19d5
Create Date: 2026-12-04 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a1c5e9d3b20'
down_revision = '4c8e2a7b19d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('postmortem_action_items') as batch_op:
        batch_op.add_column(
            sa.Column('state', sa.String(length=20), server_default='open', nullable=False)
        )
        batch_op.add_column(sa.Column('state_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('done_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('postmortem_action_items') as batch_op:
        batch_op.drop_column('done_at')
        batch_op.drop_column('state_reason')
        batch_op.drop_column('state')
