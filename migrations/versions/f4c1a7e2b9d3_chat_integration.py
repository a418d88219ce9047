"""chat (Slack, Mattermost): settings, linked identities, incident threads, the outbox

Revision ID: f4c1a7e2b9d3
Revises: c31d95dede97
Create Date: 2026-12-04 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4c1a7e2b9d3'
down_revision = 'c31d95dede97'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('chat_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signing_secret', sa.String(length=200), nullable=False),
    sa.Column('bot_token', sa.String(length=500), nullable=False),
    sa.Column('mattermost_token', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=100), nullable=False),
    sa.Column('api_url', sa.String(length=500), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('chat_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace', sa.String(length=64), nullable=False),
    sa.Column('chat_user_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace', 'chat_user_id')
    )
    op.create_index(op.f('ix_chat_identities_user_id'), 'chat_identities', ['user_id'], unique=False)
    op.create_table('chat_threads',
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=100), nullable=False),
    sa.Column('ts', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('incident_id')
    )
    op.create_index('ix_chat_threads_channel_ts', 'chat_threads', ['channel', 'ts'], unique=True)
    op.create_table('chat_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=64), nullable=True),
    sa.Column('ephemeral_to', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('starts_thread', sa.Boolean(), nullable=False),
    sa.Column('pin', sa.Boolean(), nullable=False),
    sa.Column('ts', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_chat_messages_incident_id'), 'chat_messages', ['incident_id'], unique=False)
    op.create_index(op.f('ix_chat_messages_status'), 'chat_messages', ['status'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_chat_messages_status'), table_name='chat_messages')
    op.drop_index(op.f('ix_chat_messages_incident_id'), table_name='chat_messages')
    op.drop_table('chat_messages')
    op.drop_index('ix_chat_threads_channel_ts', table_name='chat_threads')
    op.drop_table('chat_threads')
    op.drop_index(op.f('ix_chat_identities_user_id'), table_name='chat_identities')
    op.drop_table('chat_identities')
    op.drop_table('chat_settings')
