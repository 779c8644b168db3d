"""intentional failure (test data)

Revision ID: b2c3d4e5f6a7
Revises: a1b2c3d4e5f6
Create Date: 2024-06-03 10:00:00.000000

The upgrade creates table partial_table and then raises. Each revision runs in its own
transaction, so partial_table is rolled back and alembic_version stays at a1b2c3d4e5f6.

Its error names the connection, password included, plain and URL-encoded, as careless tools and
drivers do: the operator must mask it before the text reaches a status or an Event.

"""
import os
from urllib.parse import quote

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b2c3d4e5f6a7"
down_revision = "a1b2c3d4e5f6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partial_table",
        sa.Column("id", sa.Integer, primary_key=True),
    )
    user = os.environ.get("POSTGRES_USER", "")
    password = os.environ.get("POSTGRES_PASSWORD", "")
    host = os.environ.get("POSTGRES_HOST", "")
    raise RuntimeError(
        "boom: intentional failure in revision b2c3d4e5f6a7"
        f" (connected as {user} with password {password},"
        f" url postgresql://{quote(user, safe='')}:{quote(password, safe='')}@{host}/)"
    )


def downgrade() -> None:
    op.drop_table("partial_table")
