"""Thumbs up or down on bot answers (the widget's feedback), for the staff review.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=True),
        sa.Column("message_index", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=4), nullable=False),
        sa.Column("message_text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("value IN ('up', 'down')", name=op.f("ck_answer_feedback_value")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_feedback")),
        sa.UniqueConstraint("sender_id", "message_index",
                            name=op.f("uq_answer_feedback_sender_id")),
    )
    op.create_index(op.f("ix_answer_feedback_sender_id"), "answer_feedback", ["sender_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_answer_feedback_sender_id"), table_name="answer_feedback")
    op.drop_table("answer_feedback")
