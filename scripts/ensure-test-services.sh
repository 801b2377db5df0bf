#!/usr/bin/env bash
# Makes sure the services the service-backed test suites talk to are installed and running on this
# machine: PostgreSQL on 127.0.0.1:5432 (trust auth, database `test`), Redis on 127.0.0.1:6379, and
# Chromium for the browser tests.
# Idempotent; needs root to install.
set -euo pipefail

log() { echo "[ensure-test-services] $*"; }

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then log "not root: cannot install $*"; return 1; fi
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  log "installing PostgreSQL"
  apt_install postgresql postgresql-client
fi
if ! pg_ready; then
  log "starting PostgreSQL"
  cluster_version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi
pg_ready || { log "PostgreSQL is not reachable on 127.0.0.1:5432"; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; then
  log "creating database test"
  su postgres -c "psql -Atc \"select 1 from pg_database where datname='test'\"" | grep -q 1 || su postgres -c "createdb test"
fi
log "PostgreSQL ready"

redis_ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! command -v redis-server >/dev/null 2>&1; then
  log "installing Redis"
  apt_install redis-server
fi
if ! redis_ready; then
  log "starting Redis"
  # Started directly, not through systemd (containers have none); no persistence: tests only.
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no --logfile /tmp/redis-test-services.log
  for _ in $(seq 1 30); do redis_ready && break; sleep 1; done
fi
redis_ready || { log "Redis is not reachable on 127.0.0.1:6379"; exit 1; }
log "Redis ready"

# The web blotter's browser tests (test/browser) drive Debian's chromium through playwright-core:
# Playwright's own browser download is not reachable from here.
if ! command -v chromium >/dev/null 2>&1; then
  log "installing Chromium"
  apt_install chromium
fi
command -v chromium >/dev/null 2>&1 || { log "chromium is not installed"; exit 1; }
log "Chromium ready ($(chromium --version 2>/dev/null || echo 'version unknown'))"
