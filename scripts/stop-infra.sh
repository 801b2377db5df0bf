#!/usr/bin/env bash
# Stops and removes the compose project's containers (infrastructure and OMS services) and its
# network. Data volumes are kept unless --volumes is given (then PostgreSQL, Kafka, Redis,
# Prometheus, Grafana and the FIX session stores start empty next time).
set -euo pipefail
cd "$(dirname "$0")/.."

COMPOSE_FILE=deploy/compose.yaml
ENV_FILE=deploy/.env

log() { echo "[stop-infra] $*"; }
die() { echo "[stop-infra] ERROR: $*" >&2; exit 1; }

DOWN_ARGS=(--remove-orphans)
case "${1:-}" in
  "") ;;
  --volumes|-v) DOWN_ARGS+=(--volumes) ;;
  *) die "usage: $0 [--volumes]" ;;
esac

command -v docker >/dev/null 2>&1 || die "docker is not installed (or not on PATH)"
docker info >/dev/null 2>&1 || die "the Docker daemon is not reachable (is it running, and may this user use it?)"
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
else
  die "Docker Compose is not installed: neither 'docker compose' (plugin) nor 'docker-compose'"
fi

# `down` must interpolate the file too; without deploy/.env the example's placeholders do.
[ -f "$ENV_FILE" ] || ENV_FILE=deploy/.env.example
log "docker compose down ${DOWN_ARGS[*]}"
"${COMPOSE[@]}" -p oms-sor -f "$COMPOSE_FILE" --env-file "$ENV_FILE" down "${DOWN_ARGS[@]}"
log "stopped"
