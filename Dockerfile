# thidua-bot in a container: `thidua init`, then `thidua run`, as a user without privileges.
# The database lives on the /data volume; tokens come from the environment (compose.yaml's
# env_file), never from this file. docs/deploy.en.md, "Docker", shows it in use.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Installed as `make` installs it: the project from pyproject.toml (without the dev tools).
WORKDIR /opt/thidua
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN pip install --no-cache-dir .

RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin thidua \
    && mkdir -p /data /etc/thidua \
    && chown thidua:thidua /data
# The example configuration; mount your own config.toml over it (compose.yaml does).
COPY config.example.toml /etc/thidua/config.toml

# The environment wins over the file: the database on the volume, the web app reachable from
# outside the container (publish the port on 127.0.0.1 only, for nginx on the host).
ENV THIDUA_CONFIG=/etc/thidua/config.toml \
    THIDUA_DATABASE__PATH=/data/thidua.sqlite3 \
    THIDUA_WEB__LISTEN=0.0.0.0:8080

USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8080

# The slim image has no curl: Python fetches /healthz, and a 503 (or no answer) fails the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]

# init creates or migrates the database; exec hands PID 1 to `thidua run`, which stops on SIGTERM.
CMD ["sh", "-c", "thidua init && exec thidua run"]
