#!/usr/bin/env bash
# Starts the infrastructure of the distributed mode with Docker Compose (deploy/compose.yaml):
# PostgreSQL, Kafka (KRaft) + its topics, Redis, Keycloak, Prometheus and Grafana, then waits
# until each is healthy (kafka-init: until it has created the topics and exited 0).
# The OMS services themselves: docker compose -p oms-sor -f deploy/compose.yaml --env-file deploy/.env up -d
#
# Environment: WAIT_SECONDS (default 300) how long to wait for health.
set -euo pipefail
cd "$(dirname "$0")/.."

COMPOSE_FILE=deploy/compose.yaml
ENV_FILE=deploy/.env
INFRA=(postgres kafka kafka-init redis keycloak prometheus grafana)
WAIT_SECONDS=${WAIT_SECONDS:-300}

log() { echo "[start-infra] $*"; }
die() { echo "[start-infra] ERROR: $*" >&2; exit 1; }

command -v docker >/dev/null 2>&1 || die "docker is not installed (or not on PATH). Install Docker Engine with the Compose plugin: https://docs.docker.com/engine/install/"
docker info >/dev/null 2>&1 || die "the Docker daemon is not reachable (is it running, and may this user use it?)"
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
else
  die "Docker Compose is not installed: neither 'docker compose' (plugin) nor 'docker-compose'"
fi

if [ ! -f "$ENV_FILE" ]; then
  cp deploy/.env.example "$ENV_FILE"
  log "created $ENV_FILE from deploy/.env.example: it holds DEVELOPMENT-ONLY passwords, change them for any shared host"
fi
compose() { "${COMPOSE[@]}" -p oms-sor -f "$COMPOSE_FILE" --env-file "$ENV_FILE" "$@"; }

log "starting ${INFRA[*]}"
compose up -d "${INFRA[@]}"

# Waits for one service: healthy, or (one-shot services without a healthcheck) exited with 0.
wait_for() {
  local service=$1 deadline=$((SECONDS + WAIT_SECONDS)) id state health code
  while :; do
    id=$(compose ps -q "$service" 2>/dev/null || true)
    if [ -z "$id" ]; then
      # A finished one-shot container is not listed by every compose version without --all.
      id=$(compose ps -a -q "$service" 2>/dev/null || true)
    fi
    if [ -n "$id" ]; then
      state=$(docker inspect -f '{{.State.Status}}' "$id")
      health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id")
      code=$(docker inspect -f '{{.State.ExitCode}}' "$id")
      if [ "$health" = healthy ]; then log "$service is healthy"; return 0; fi
      if [ "$health" = none ] && [ "$state" = exited ]; then
        [ "$code" = 0 ] && { log "$service finished"; return 0; }
        compose logs --tail 50 "$service" >&2 || true
        die "$service exited with code $code"
      fi
      if [ "$health" = unhealthy ]; then
        compose logs --tail 50 "$service" >&2 || true
        die "$service is unhealthy"
      fi
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      compose logs --tail 50 "$service" >&2 || true
      die "$service is not ready after ${WAIT_SECONDS}s"
    fi
    sleep 2
  done
}

for service in "${INFRA[@]}"; do wait_for "$service"; done

log "ready:"
log "  PostgreSQL  127.0.0.1:5432 (database/user from $ENV_FILE)"
log "  Kafka       kafka:9092 inside compose, 127.0.0.1:29092 from this host"
log "  Redis       127.0.0.1:6379"
log "  Keycloak    http://localhost:8180 (realm oms)"
log "  Prometheus  http://localhost:9090"
log "  Grafana     http://localhost:3000"
