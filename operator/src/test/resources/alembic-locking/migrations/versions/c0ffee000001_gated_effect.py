"""record one effect, once the test lets it

Revision ID: c0ffee000001
Revises:
Create Date: 2026-01-10 09:00:00.000000

The revision first waits for PostgreSQL advisory lock 4242. A test that holds that lock keeps
the migration running for as long as it likes, and can act mid-run: move the database leader,
delete the resource. The row in `effect` shows how often the revision was applied.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c0ffee000001"
down_revision = None
branch_labels = None
depends_on = None

GATE = 4242


def upgrade() -> None:
    # Released with the transaction: a retry after a rollback waits for the gate again.
    op.execute(f"SELECT pg_advisory_xact_lock({GATE})")
    op.create_table(
        "effect",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.execute("INSERT INTO effect (note) VALUES ('applied')")


def downgrade() -> None:
    op.drop_table("effect")
