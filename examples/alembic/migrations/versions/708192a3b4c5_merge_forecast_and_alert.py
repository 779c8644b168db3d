"""merge 5e6f708192a3 and 6f708192a3b4

Revision ID: 708192a3b4c5
Revises: 5e6f708192a3, 6f708192a3b4
Create Date: 2024-05-28 09:00:00.000000

A merge point: it only joins the two branches and changes nothing itself.
"""


# revision identifiers, used by Alembic.
revision = "708192a3b4c5"
down_revision = ("5e6f708192a3", "6f708192a3b4")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
