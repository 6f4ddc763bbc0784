"""Conversation review: which conversations staff marked as reviewed.

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("reviewed_by", sa.String(length=50), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_review")),
        sa.UniqueConstraint("sender_id", name=op.f("uq_conversation_review_sender_id")),
    )


def downgrade() -> None:
    op.drop_table("conversation_review")
