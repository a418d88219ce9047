"""all-clear request: the IC's all-clear of a SEV1/SEV2 waits for a second participant

Revision ID: e1a7c3f9b2d6
Revises: d8f3b6a1e2c9
Create Date: 2026-12-04 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a7c3f9b2d6'
down_revision = 'd8f3b6a1e2c9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('incidents') as batch_op:
        batch_op.add_column(sa.Column('all_clear_asked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('all_clear_asked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('all_clear_owner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_incidents_all_clear_asked_by_id_users', 'users', ['all_clear_asked_by_id'], ['id']
        )
        batch_op.create_foreign_key(
            'fk_incidents_all_clear_owner_id_users', 'users', ['all_clear_owner_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('incidents') as batch_op:
        batch_op.drop_constraint('fk_incidents_all_clear_owner_id_users', type_='foreignkey')
        batch_op.drop_constraint('fk_incidents_all_clear_asked_by_id_users', type_='foreignkey')
        batch_op.drop_column('all_clear_owner_id')
        batch_op.drop_column('all_clear_asked_at')
        batch_op.drop_column('all_clear_asked_by_id')
