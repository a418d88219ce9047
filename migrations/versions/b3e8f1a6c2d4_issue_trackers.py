"""issue trackers (GitHub Issues, Jira) per team, and the ticket an action item became

Revision ID: b3e8f1a6c2d4
Revises: 7a1c5e9d3b20
Create Date: 2026-12-04 01:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e8f1a6c2d4'
down_revision = '7a1c5e9d3b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('issue_trackers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('api_url', sa.String(length=500), nullable=False),
    sa.Column('project', sa.String(length=200), nullable=False),
    sa.Column('token', sa.String(length=500), nullable=False),
    sa.Column('webhook_secret', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('team_id')
    )
    with op.batch_alter_table('postmortem_action_items') as batch_op:
        batch_op.add_column(sa.Column('tracker_key', sa.String(length=200), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_postmortem_action_items_tracker_key'), ['tracker_key'], unique=False
        )


def downgrade():
    with op.batch_alter_table('postmortem_action_items') as batch_op:
        batch_op.drop_index(batch_op.f('ix_postmortem_action_items_tracker_key'))
        batch_op.drop_column('tracker_key')
    op.drop_table('issue_trackers')
