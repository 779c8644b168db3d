"""Alembic environment for the drift test project: examples/alembic/migrations/env.py with the
application's models as target_metadata, so that `alembic check` (1.9+) compares them with the
database.

The database URL is built from environment variables, never from alembic.ini:

    POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DATABASE

POSTGRES_PORT defaults to 5432 when unset; the other variables are required in online mode.
The password goes straight into sqlalchemy.engine.URL.create (so characters such as '@', ':'
or '/' need no escaping) and is never logged.

Every revision runs in its own transaction (transaction_per_migration=True). PostgreSQL DDL is
transactional, so a revision that fails is rolled back as a whole, and alembic_version is left
at the last revision that completed.
"""
import logging
import os
from logging.config import fileConfig

from alembic import context
from alembic.util import CommandError
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import URL

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

log = logging.getLogger("alembic.env")

# The application's models: what `alembic check` compares the database with.
import sys
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from models import metadata  # noqa: E402

target_metadata = metadata

REQUIRED = ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_HOST", "POSTGRES_DATABASE")


def database_url() -> URL:
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        raise CommandError("missing environment variable(s): " + ", ".join(missing))
    port = os.environ.get("POSTGRES_PORT") or "5432"
    try:
        port_number = int(port)
    except ValueError:
        raise CommandError(f"POSTGRES_PORT is not a number: {port!r}") from None
    return URL.create(
        drivername="postgresql+psycopg2",
        username=os.environ["POSTGRES_USER"],
        password=os.environ["POSTGRES_PASSWORD"],
        host=os.environ["POSTGRES_HOST"],
        port=port_number,
        database=os.environ["POSTGRES_DATABASE"],
    )


def run_migrations_offline() -> None:
    """`alembic upgrade --sql`: print the SQL instead of running it; no database is needed."""
    context.configure(
        dialect_name="postgresql",
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = database_url()
    log.info(
        "Connecting to postgresql://%s@%s:%s/%s", url.username, url.host, url.port, url.database
    )
    engine = create_engine(
        url,
        poolclass=pool.NullPool,
        connect_args={"connect_timeout": 10},
    )
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                transaction_per_migration=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
