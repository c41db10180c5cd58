# syntax=docker/dockerfile:1

# Builder: install the locked dependencies (requirements/app.txt, hash-checked) into a venv,
# then build the wheel (with the migrations inside it) with the locked hatchling
# (requirements/build.txt, in a venv of its own) and add it to the venv without dependencies.
FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /build
COPY requirements/app.txt requirements/build.txt ./requirements/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --require-hashes -r requirements/app.txt \
    && python -m venv /opt/build \
    && /opt/build/bin/pip install --require-hashes -r requirements/build.txt
COPY pyproject.toml README.md ./
COPY alembic ./alembic
COPY src ./src
RUN /opt/build/bin/pip wheel --no-build-isolation --no-deps --wheel-dir /wheels . \
    && /opt/venv/bin/pip install --no-deps /wheels/oversight-*.whl \
    && /opt/venv/bin/pip check

# Runtime: the venv alone, run by an unprivileged user; data and the generated secret
# live in /var/lib/oversight (mount a volume there, or point OVERSIGHT_DATABASE_URL
# at PostgreSQL and set OVERSIGHT_SECRET_KEY).
FROM python:3.11-slim AS runtime
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    OVERSIGHT_VAR_DIR=/var/lib/oversight \
    OVERSIGHT_DATABASE_URL=sqlite:////var/lib/oversight/oversight.db
RUN groupadd --system --gid 10001 oversight \
    && useradd --system --uid 10001 --gid oversight --home-dir /var/lib/oversight \
       --create-home --shell /usr/sbin/nologin oversight
COPY --from=builder /opt/venv /opt/venv
WORKDIR /var/lib/oversight
USER 10001:10001
VOLUME ["/var/lib/oversight"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# One image, every role: `docker run IMAGE` serves; `docker run IMAGE db upgrade` migrates
# (once per release), `docker run IMAGE worker` delivers webhooks, `docker run IMAGE serve
# --host 0.0.0.0 --no-migrate --workers 2` serves on a host of many (docs/deployment.md).
ENTRYPOINT ["oversight"]
CMD ["serve", "--host", "0.0.0.0"]
