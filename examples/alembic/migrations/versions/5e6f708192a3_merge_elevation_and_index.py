"""merge 3c4d5e6f7081 and 4d5e6f708192

Revision ID: 5e6f708192a3
Revises: 3c4d5e6f7081, 4d5e6f708192
Create Date: 2024-05-21 09:00:00.000000

A merge point: it only joins the two branches and changes nothing itself.

"""


# revision identifiers, used by Alembic.
revision = "5e6f708192a3"
down_revision = ("3c4d5e6f7081", "4d5e6f708192")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
