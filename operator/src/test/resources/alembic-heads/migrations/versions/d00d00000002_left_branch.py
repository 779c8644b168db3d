"""one branch: two teams each added a revision on the same parent, and nobody merged

Revision ID: d00d00000002
Revises: d00d00000001
Create Date: 2026-02-02 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = "d00d00000002"
down_revision = "d00d00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("left_side", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("left_side")
