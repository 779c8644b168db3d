"""create index on reading.observed_at

Revision ID: 4d5e6f708192
Revises: 3c4d5e6f7081
Create Date: 2024-05-20 10:00:00.000000

The branch point: 5e6f708192a3 and 6f708192a3b4 both start here; 708192a3b4c5 merges them.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "4d5e6f708192"
down_revision = "3c4d5e6f7081"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reading_observed_at", "reading", ["observed_at"])


def downgrade() -> None:
    op.drop_index("ix_reading_observed_at", table_name="reading")
