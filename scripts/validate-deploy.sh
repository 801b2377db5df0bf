#!/usr/bin/env bash
# Validates the deployment files offline (nothing here runs Docker or a cluster):
#   - Dockerfile syntax (dockerfile-utils) and its contract (stages, non-root, ENTRYPOINT/CMD,
#     COPY sources present and not excluded by .dockerignore);
#   - deploy/compose.yaml against the Compose Specification JSON schema (shipped by dclint),
#     `docker-compose config` (Debian's docker-compose v1, installed here when missing and
#     root) and `docker compose config` when the plugin exists;
#   - deploy/k8s/* against the Kubernetes schemas (kubernetes-models) plus unknown fields
#     (TypeScript's excess-property check on kubernetes-models' types), `kubectl kustomize`
#     when kubectl exists;
#   - the contract: env names, ports, probes, topics, venues, Prometheus targets, Grafana
#     provisioning, the Keycloak realm, and the scripts (bash -n, shellcheck when present);
#   - Prometheus' config and alert rules with `promtool check config` (Debian's prometheus
#     package, installed here when missing and root), and every metric the dashboards and
#     rules name against the code's registry (scripts/validate-observability.ts).
# Exits non-zero on any problem. Needs `npm ci` first (the devDependencies).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[validate-deploy] $*"; }

if [ ! -d node_modules/kubernetes-models ] || [ ! -d node_modules/dclint ]; then
  log "ERROR: run npm ci first (devDependencies missing)"
  exit 1
fi

# docker-compose v1 (Python, Debian) validates the file offline; install it where we can.
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's docker-compose (v1) for 'docker-compose config'"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null 2>&1 \
      || log "could not install docker-compose; that check is skipped"
  else
    log "docker-compose not installed and not root: that check is skipped"
  fi
fi

# promtool (Debian's prometheus package) checks the config and the rules file it loads.
if ! command -v promtool >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "installing Debian's prometheus package for 'promtool'"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 \
    || log "could not install prometheus; the promtool check is skipped"
fi

status=0
if command -v promtool >/dev/null 2>&1; then
  promtool check config deploy/prometheus/prometheus.yml || status=1
else
  log "promtool not installed: the Prometheus config and rules are checked only against the code's metrics"
fi
node --import tsx scripts/validate-observability.ts || status=1
node --import tsx scripts/validate-deploy.ts "$@" || status=1
exit "$status"
