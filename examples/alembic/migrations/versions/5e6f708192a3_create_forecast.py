"""create table forecast

Revision ID: 5e6f708192a3
Revises: 4d5e6f708192
Create Date: 2024-05-27 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5e6f708192a3"
down_revision = "4d5e6f708192"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forecast",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column(
            "station_id",
            sa.Integer,
            sa.ForeignKey("station.id", name="fk_forecast_station_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text),
        sa.CheckConstraint("valid_to > valid_from", name="ck_forecast_valid_range"),
    )


def downgrade() -> None:
    op.drop_table("forecast")
