"""Unmet needs and ideas, with their status history.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=True),
        sa.Column("barriers", sa.JSON(), nullable=False),
        sa.Column("municipality_nis", sa.String(length=5), nullable=True),
        sa.Column("audience", sa.String(length=50), nullable=True),
        sa.Column("age_band", sa.String(length=20), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=True),
        sa.Column("consent_given", sa.Boolean(), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("public_reply", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need")),
        sa.UniqueConstraint("code", name=op.f("uq_need_code")),
    )
    op.create_index(op.f("ix_need_sender_id"), "need", ["sender_id"])
    op.create_index(op.f("ix_need_status"), "need", ["status"])
    op.create_table(
        "need_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("changed_by", sa.String(length=50), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["need.id"],
            name=op.f("fk_need_status_change_need_id_need"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_status_change")),
    )
    op.create_index(
        op.f("ix_need_status_change_need_id"), "need_status_change", ["need_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_need_status_change_need_id"), table_name="need_status_change")
    op.drop_table("need_status_change")
    op.drop_index(op.f("ix_need_status"), table_name="need")
    op.drop_index(op.f("ix_need_sender_id"), table_name="need")
    op.drop_table("need")
