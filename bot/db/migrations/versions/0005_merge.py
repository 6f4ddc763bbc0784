"""Join the catalogue, needs and feedback branches into one line of history.

Revision ID: 0005
Revises: 0002, 0003, 0004
Create Date: 2026-11-24
"""
revision = "0005"
down_revision = ("0002", "0003", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
