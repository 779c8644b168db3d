"""add column alert.acknowledged_at

Revision ID: 8192a3b4c5d6
Revises: 708192a3b4c5
Create Date: 2024-06-03 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "8192a3b4c5d6"
down_revision = "708192a3b4c5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alert", sa.Column("acknowledged_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("alert", "acknowledged_at")
