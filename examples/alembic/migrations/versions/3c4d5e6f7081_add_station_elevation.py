"""add column station.elevation_m

Revision ID: 3c4d5e6f7081
Revises: 2b3c4d5e6f70
Create Date: 2024-05-20 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3c4d5e6f7081"
down_revision = "2b3c4d5e6f70"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("station", sa.Column("elevation_m", sa.Integer, nullable=True))


def downgrade() -> None:
    op.drop_column("station", "elevation_m")
