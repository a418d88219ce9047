"""incident bridge url: the war-room call made for SEV1 and SEV2

Revision ID: d8f3b6a1e2c9
Revises: c5d2a9e4f7b1
Create Date: 2026-12-04 02:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd8f3b6a1e2c9'
down_revision = 'c5d2a9e4f7b1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('incidents') as batch_op:
        batch_op.add_column(sa.Column('bridge_url', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('incidents') as batch_op:
        batch_op.drop_column('bridge_url')
