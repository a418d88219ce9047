"""incident spike notices: a team's leadership hears about a spike week once

Revision ID: 4c8e2a7b19d5
Revises: 9d4b7e1f3a62
Create Date: 2026-12-03 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c8e2a7b19d5'
down_revision = '9d4b7e1f3a62'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incident_spike_notices',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('incidents', sa.Integer(), nullable=False),
    sa.Column('trailing_median', sa.Integer(), nullable=False),
    sa.Column('noticed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'week_start')
    )


def downgrade():
    op.drop_table('incident_spike_notices')
