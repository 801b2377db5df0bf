#!/usr/bin/env bash
# Builds everything: npm ci, npm run build (TypeScript -> dist/), then the one Docker image that
# runs all seven services (tag: $OMS_IMAGE, default oms-sor:dev, as deploy/compose.yaml expects).
# Set SKIP_DOCKER=1 to stop after the npm build.
set -euo pipefail
cd "$(dirname "$0")/.."

OMS_IMAGE=${OMS_IMAGE:-oms-sor:dev}

log() { echo "[build-all] $*"; }
die() { echo "[build-all] ERROR: $*" >&2; exit 1; }

command -v npm >/dev/null 2>&1 || die "npm is not installed (Node.js 20 is needed)"
if [ "${SKIP_DOCKER:-0}" != 1 ]; then
  # Checked first, so a missing Docker fails before minutes of npm work.
  command -v docker >/dev/null 2>&1 || die "docker is not installed (or not on PATH); install Docker Engine, or run with SKIP_DOCKER=1 to build without the image"
  docker info >/dev/null 2>&1 || die "the Docker daemon is not reachable (is it running, and may this user use it?)"
fi

log "npm ci"
npm ci --no-audit --no-fund
log "npm run build"
npm run build

if [ "${SKIP_DOCKER:-0}" = 1 ]; then
  log "SKIP_DOCKER=1: image not built"
  exit 0
fi
log "docker build -t $OMS_IMAGE ."
docker build -t "$OMS_IMAGE" .
log "built $OMS_IMAGE; start with: docker compose -p oms-sor -f deploy/compose.yaml --env-file deploy/.env up -d"
