"""create table alert

Revision ID: 6f708192a3b4
Revises: 4d5e6f708192
Create Date: 2024-05-27 10:00:00.000000

The second branch from 4d5e6f708192, written in parallel with 5e6f708192a3.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "6f708192a3b4"
down_revision = "4d5e6f708192"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column(
            "station_id",
            sa.Integer,
            sa.ForeignKey("station.id", name="fk_alert_station_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("alert")
