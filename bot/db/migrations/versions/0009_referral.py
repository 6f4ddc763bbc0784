"""Referral notes for social workers, and the tally that outlives them.

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality_nis", sa.String(length=5), nullable=False),
        sa.Column("client_group", sa.String(length=20), nullable=False),
        sa.Column("age_bands", sa.JSON(), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("barriers", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=True),
        sa.Column("organisation", sa.String(length=20), nullable=True),
        sa.Column("offerings", sa.JSON(), nullable=False),
        sa.Column("hints", sa.JSON(), nullable=False),
        sa.Column("local_door", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
        sa.UniqueConstraint("code", name=op.f("uq_referral_code")),
    )
    op.create_index(op.f("ix_referral_expires_at"), "referral", ["expires_at"])
    op.create_index(op.f("ix_referral_municipality_nis"), "referral", ["municipality_nis"])
    op.create_table(
        "referral_tally",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("municipality_nis", sa.String(length=5), nullable=False),
        sa.Column("barrier", sa.String(length=30), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "municipality_nis", "barrier",
                                name=op.f("pk_referral_tally")),
    )


def downgrade() -> None:
    op.drop_table("referral_tally")
    op.drop_index(op.f("ix_referral_municipality_nis"), table_name="referral")
    op.drop_index(op.f("ix_referral_expires_at"), table_name="referral")
    op.drop_table("referral")
