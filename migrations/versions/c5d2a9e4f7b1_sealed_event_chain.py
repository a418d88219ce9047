"""sealed event chain: each event's hash and each incident's head sealed with the chain key

Revision ID: c5d2a9e4f7b1
Revises: 804008673dfa
Create Date: 2026-12-04 01:55:00.000000

Existing events are sealed here with the key of the app running the upgrade (CHAIN_KEY,
else derived from SECRET_KEY): run the upgrade with the server's own settings.
"""
from alembic import op
import sqlalchemy as sa

from incident_room.unit_of_work.chain import GENESIS, chain_key, seal_of


# revision identifiers, used by Alembic.
revision = 'c5d2a9e4f7b1'
down_revision = '804008673dfa'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('incident_events') as batch_op:
        batch_op.add_column(sa.Column('seal', sa.String(length=64), nullable=True))
    with op.batch_alter_table('incidents') as batch_op:
        batch_op.add_column(sa.Column('head_seal', sa.String(length=64), nullable=True))
    _seal_what_exists()


def _seal_what_exists():
    key = chain_key()
    bind = op.get_bind()
    events = sa.table('incident_events', sa.column('id'), sa.column('hash'), sa.column('seal'))
    for row in bind.execute(sa.select(events.c.id, events.c.hash)).all():
        bind.execute(
            events.update().where(events.c.id == row.id).values(seal=seal_of(row.hash, key))
        )
    incidents = sa.table(
        'incidents',
        sa.column('id'),
        sa.column('last_seq'),
        sa.column('chain_head'),
        sa.column('head_seal'),
    )
    for row in bind.execute(
        sa.select(incidents.c.id, incidents.c.last_seq, incidents.c.chain_head)
    ).all():
        head = f"{row.id}:{row.last_seq}:{row.chain_head or GENESIS}"
        bind.execute(
            incidents.update().where(incidents.c.id == row.id).values(head_seal=seal_of(head, key))
        )


def downgrade():
    with op.batch_alter_table('incidents') as batch_op:
        batch_op.drop_column('head_seal')
    with op.batch_alter_table('incident_events') as batch_op:
        batch_op.drop_column('seal')
