"""create table reading

Revision ID: 2b3c4d5e6f70
Revises: 1a2b3c4d5e6f
Create Date: 2024-05-13 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "2b3c4d5e6f70"
down_revision = "1a2b3c4d5e6f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reading",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column(
            "station_id",
            sa.Integer,
            sa.ForeignKey("station.id", name="fk_reading_station_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("temperature_c", sa.Numeric(5, 2)),
        sa.Column("humidity_pct", sa.Numeric(5, 2)),
    )


def downgrade() -> None:
    op.drop_table("reading")
