# TAC Portal production image: gunicorn (web), Celery worker and Celery beat all run
# from this image; docker-compose.yml chooses the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# curl is used by the web container's health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The runtime dependencies from pyproject.toml and theirs, at the versions pinned in
# requirements.lock and checked against its hashes: requirements-runtime.lock is that
# lock less the development tools, which the image leaves out (`make lock` writes both).
COPY requirements-runtime.lock ./
RUN pip install --require-hashes --no-deps -r requirements-runtime.lock && pip check

# Only what the service runs: no tests, local data or virtualenvs from the build context.
COPY manage.py ./
COPY tac_portal ./tac_portal
COPY agencies ./agencies
COPY cases ./cases
COPY assessments ./assessments
COPY meetings ./meetings
COPY notifications ./notifications
COPY audit ./audit
COPY dashboards ./dashboards
COPY imports ./imports
COPY disclosures ./disclosures
COPY webhooks ./webhooks
COPY retention ./retention
COPY documents ./documents
COPY templates ./templates
COPY static ./static

# Static files are collected at build time; the placeholder values only let the
# production settings load and are not used at run time.
RUN TAC_ENVIRONMENT=production \
    SECRET_KEY=collectstatic-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --no-create-home --home-dir /app tac
USER tac

ENV TAC_ENVIRONMENT=production
EXPOSE 8000
# A request may wait up to TAC_CLAMD_TIMEOUT_SECONDS (60) for the virus scan of an upload:
# gunicorn's own limit (30 s by default) must be longer, or the scan is cut off.
CMD ["gunicorn", "tac_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "90", "--access-logfile", "-"]
