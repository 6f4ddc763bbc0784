"""Handling needs on the staff dashboard: assignment, "dubbel van" links, internal notes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

The new columns are added and dropped with ALTER TABLE on every backend (never a batch
"recreate"): rebuilding the need table on SQLite drops it first, and with foreign keys on, that
deletes every need's status history through ON DELETE CASCADE.
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("need", recreate="never") as batch:
        batch.add_column(sa.Column("assigned_to", sa.String(length=50), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # Alembic adds a foreign key as a separate constraint, which SQLite cannot ALTER in;
        # SQLite does accept it inline on the new column. No ON DELETE clause: SQLAlchemy does
        # not reflect one written inline, so the schema check would see a difference; the ORM
        # relationship clears the links before a need is deleted.
        op.execute(
            "ALTER TABLE need ADD COLUMN duplicate_of_id INTEGER"
            " CONSTRAINT fk_need_duplicate_of_id_need REFERENCES need (id)"
        )
    else:
        op.add_column(
            "need",
            sa.Column(
                "duplicate_of_id",
                sa.Integer(),
                sa.ForeignKey("need.id", name=op.f("fk_need_duplicate_of_id_need")),
                nullable=True,
            ),
        )
    op.create_index(op.f("ix_need_assigned_to"), "need", ["assigned_to"])
    op.create_index(op.f("ix_need_duplicate_of_id"), "need", ["duplicate_of_id"])
    op.create_index(op.f("ix_need_created_at"), "need", ["created_at"])
    op.create_table(
        "need_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_need_note_need_id_need"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_note")),
    )
    op.create_index(op.f("ix_need_note_need_id"), "need_note", ["need_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_need_note_need_id"), table_name="need_note")
    op.drop_table("need_note")
    op.drop_index(op.f("ix_need_created_at"), table_name="need")
    op.drop_index(op.f("ix_need_duplicate_of_id"), table_name="need")
    op.drop_index(op.f("ix_need_assigned_to"), table_name="need")
    # SQLite (3.35+) drops these in place; its column-level REFERENCES clause does not block it.
    with op.batch_alter_table("need", recreate="never") as batch:
        batch.drop_column("duplicate_of_id")
        batch.drop_column("assigned_to")
