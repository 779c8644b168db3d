"""the common root of two branches

Revision ID: d00d00000001
Revises:
Create Date: 2026-02-01 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = "d00d00000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("root", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("root")
