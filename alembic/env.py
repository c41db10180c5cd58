"""Migrations run on the engine handed in by the application, or on OVERSIGHT_DATABASE_URL."""

from alembic import context

from oversight.config import get_settings
from oversight.db import make_engine
from oversight.models import Base

config = context.config
engine = config.attributes.get("engine") or make_engine(get_settings().database_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
