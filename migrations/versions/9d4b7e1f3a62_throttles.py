"""throttles: failed logins and bad API tokens with their back-off

Revision ID: 9d4b7e1f3a62
Revises: 7c1e5a2d9b40
Create Date: 2026-12-03 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d4b7e1f3a62'
down_revision = '7c1e5a2d9b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('throttles',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('throttles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttles_last_failure_at'), ['last_failure_at'], unique=False)


def downgrade():
    with op.batch_alter_table('throttles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttles_last_failure_at'))

    op.drop_table('throttles')
