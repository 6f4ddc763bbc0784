"""Join the staff (need handling, conversation review) and referral branches.

Revision ID: 0010
Revises: 0007, 0008, 0009
Create Date: 2026-11-24
"""
revision = "0010"
down_revision = ("0007", "0008", "0009")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
