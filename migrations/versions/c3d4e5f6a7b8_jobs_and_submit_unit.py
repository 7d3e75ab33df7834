"""Durable jobs, scheduled runs, an alert's submission key and decision time, and when a
rate-limit window expires.

Revision ID: c3d4e5f6a7b8
Revises: b7c1d2e3f4a5
Create Date: 2026-12-07 10:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c3d4e5f6a7b8"
down_revision = "b7c1d2e3f4a5"
branch_labels = None
depends_on = None


def upgrade():
    """New tables for the worker; older alerts keep decided_at empty so the scheduled
    reconciliation checks each of them once."""
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_state"), "jobs", ["state"])
    op.create_index(op.f("ix_jobs_run_after"), "jobs", ["run_after"])
    op.create_table(
        "scheduled_runs",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("last_started", sa.DateTime(), nullable=True),
        sa.Column("last_finished", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduled_runs")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submission_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_alerts_submission_hash"),
                                          ["submission_hash"])
        batch_op.create_index(batch_op.f("ix_alerts_decided_at"), ["decided_at"])
    with op.batch_alter_table("rate_limit_counters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.create_index(batch_op.f("ix_rate_limit_counters_expires"), ["expires"])


def downgrade():
    """Drop the worker's tables (queued jobs are lost) and the new columns."""
    with op.batch_alter_table("rate_limit_counters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_limit_counters_expires"))
        batch_op.drop_column("expires")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_decided_at"))
        batch_op.drop_constraint(batch_op.f("uq_alerts_submission_hash"), type_="unique")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("submission_hash")
    op.drop_table("scheduled_runs")
    op.drop_index(op.f("ix_jobs_run_after"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_state"), table_name="jobs")
    op.drop_table("jobs")
