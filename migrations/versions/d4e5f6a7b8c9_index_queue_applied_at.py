"""Applied index changes are kept (applied_at) so a rebuild can replay what it missed.

Revision ID: d4e5f6a7b8c9
Revises: c3d4e5f6a7b8
Create Date: 2026-12-07 12:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "d4e5f6a7b8c9"
down_revision = "c3d4e5f6a7b8"
branch_labels = None
depends_on = None


def upgrade():
    """Rows queued so far are pending (applied_at empty), as they were."""
    with op.batch_alter_table("search_index_queue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applied_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_search_index_queue_applied_at"), ["applied_at"],
                              unique=False)


def downgrade():
    """Applied rows go (the old code deletes a row once applied); pending ones stay."""
    op.execute("DELETE FROM search_index_queue WHERE applied_at IS NOT NULL")
    with op.batch_alter_table("search_index_queue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_index_queue_applied_at"))
        batch_op.drop_column("applied_at")
