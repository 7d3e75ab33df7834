"""The index queue names items (type:slug), not language versions: a longer doc_id.

Revision ID: b7c1d2e3f4a5
Revises: eebf618abd9f
Create Date: 2026-12-05 18:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "b7c1d2e3f4a5"
down_revision = "eebf618abd9f"
branch_labels = None
depends_on = None


def upgrade():
    """Queued changes of the old form are dropped: the new index is built by a rebuild."""
    op.execute("DELETE FROM search_index_queue")
    with op.batch_alter_table("search_index_queue", schema=None) as batch_op:
        batch_op.alter_column("doc_id", existing_type=sa.String(length=60),
                              type_=sa.String(length=220), existing_nullable=False)


def downgrade():
    """Back to per-version ids (queued item changes cannot be kept)."""
    op.execute("DELETE FROM search_index_queue")
    with op.batch_alter_table("search_index_queue", schema=None) as batch_op:
        batch_op.alter_column("doc_id", existing_type=sa.String(length=220),
                              type_=sa.String(length=60), existing_nullable=False)
