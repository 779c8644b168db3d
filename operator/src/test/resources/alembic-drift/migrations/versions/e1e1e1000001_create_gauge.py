"""create table gauge, as models.py describes it

Revision ID: e1e1e1000001
Revises:
Create Date: 2026-03-01 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = "e1e1e1000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gauge",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("gauge")
