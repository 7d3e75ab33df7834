"""The ALERT-ARENA loop: urgent cases acknowledged or escalated, follow-up grants that can be
revoked, feedback on recommendations, alerts without words.

Revision ID: e5f6a7b8c9d0
Revises: d4e5f6a7b8c9
Create Date: 2026-12-07 14:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "e5f6a7b8c9d0"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None


def upgrade():
    """New tables and columns; existing alerts have words and existing cases are not urgent
    (cases of urgent alerts already forwarded are marked from their alerts)."""
    op.create_table(
        "alert_follow_up_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"],
                                name=op.f("fk_alert_follow_up_grants_alert_id_alerts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_follow_up_grants")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_alert_follow_up_grants_token_hash")),
    )
    op.create_index(op.f("ix_alert_follow_up_grants_alert_id"), "alert_follow_up_grants",
                    ["alert_id"])
    op.create_table(
        "recommendation_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("doc_id", sa.String(length=240), nullable=False),
        sa.Column("voter", sa.String(length=40), nullable=False),
        sa.Column("helped", sa.Boolean(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"],
                                name=op.f("fk_recommendation_feedback_alert_id_alerts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_feedback")),
        sa.UniqueConstraint("alert_id", "doc_id", "voter", name="uq_recommendation_feedback"),
    )
    op.create_index(op.f("ix_recommendation_feedback_alert_id"), "recommendation_feedback",
                    ["alert_id"])
    op.create_index(op.f("ix_recommendation_feedback_doc_id"), "recommendation_feedback",
                    ["doc_id"])
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("words_missing", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("arena_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgent", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_arena_cases_urgent"), ["urgent"])
        batch_op.create_foreign_key(batch_op.f("fk_arena_cases_acknowledged_by_id_users"),
                                    "users", ["acknowledged_by_id"], ["id"], ondelete="SET NULL")
    # Cases opened before this version from urgent alerts count as acknowledged: their
    # coordinators were told through the old path, and nobody should be paged about them now.
    op.execute(
        "UPDATE arena_cases SET urgent = true, acknowledged_at = created_at WHERE alert_id IN "
        "(SELECT id FROM alerts WHERE forward_reason = 'urgent')"
    )


def downgrade():
    """Drop the new tables and columns (feedback and grants are lost)."""
    with op.batch_alter_table("arena_cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_arena_cases_acknowledged_by_id_users"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_arena_cases_urgent"))
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("acknowledged_by_id")
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("urgent")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("words_missing")
    op.drop_index(op.f("ix_recommendation_feedback_doc_id"), table_name="recommendation_feedback")
    op.drop_index(op.f("ix_recommendation_feedback_alert_id"), table_name="recommendation_feedback")
    op.drop_table("recommendation_feedback")
    op.drop_index(op.f("ix_alert_follow_up_grants_alert_id"), table_name="alert_follow_up_grants")
    op.drop_table("alert_follow_up_grants")
