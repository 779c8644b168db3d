"""create table station_note

Revision ID: 9a0b1c2d3e4f
Revises: 8192a3b4c5d6
Create Date: 2026-01-20 09:00:00.000000

Test data for the real-cluster (e2e) tier, not part of examples/alembic: the image
localhost/wps-api:build-2 is localhost/wps-api:build-1 plus this one file in
/app/bootstrap/migrations/versions/, so that a new application image brings a new head
(9a0b1c2d3e4f on top of examples/alembic's 8192a3b4c5d6). The table station_note is what a test
checks after the upgrade; downgrade() drops it again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "9a0b1c2d3e4f"
down_revision = "8192a3b4c5d6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_note",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("station_id", sa.Integer, sa.ForeignKey("station.id"), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("station_note")
