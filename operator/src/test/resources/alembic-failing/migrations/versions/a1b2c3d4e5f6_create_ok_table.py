"""create table ok_table

Revision ID: a1b2c3d4e5f6
Revises:
Create Date: 2024-06-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1b2c3d4e5f6"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ok_table",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("ok_table")
