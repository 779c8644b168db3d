"""The drift project's models: one table, as its only revision creates it."""
import sqlalchemy as sa

metadata = sa.MetaData()

gauge = sa.Table(
    "gauge",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
)
