#!/usr/bin/env bash
# Runs distributed mode on this machine without containers: the seven services as background
# processes (node dist/main.js --service <name>) against PostgreSQL, Kafka and Redis that already
# run (POSTGRES_*, KAFKA_BOOTSTRAP, REDIS_* from the environment, with the usual defaults).
#
#   bash scripts/run-distributed-local.sh start     # build, start all seven, wait until healthy
#   bash scripts/run-distributed-local.sh stop      # SIGTERM all seven, wait for them to exit
#
# Logs, pids and (unless SERVICE_AUTH_SECRET is set) the service-token secret go to .tmp/distributed/.
# Without OIDC_ISSUER_URL the services run in the development auth mode (acknowledged here, with a
# warning). Kafka topics must exist (see src/adapters/bus/kafka-topics.ts;
# scripts/start-kafka-mockbroker.sh creates them on the test broker).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.tmp/distributed
services=(marketdata-simulator broker-simulator risk-service oms-core sor-engine execution-adapter oms-ingest)
http_port() { case $1 in oms-ingest) echo 8080;; oms-core) echo 8081;; sor-engine) echo 8082;; execution-adapter) echo 8083;; risk-service) echo 8084;; marketdata-simulator) echo 8085;; broker-simulator) echo 8086;; esac; }

stop() {
  for s in "${services[@]}"; do
    [[ -f $dir/$s.pid ]] || continue
    pid=$(cat "$dir/$s.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$dir/$s.pid"
  done
}

start() {
  mkdir -p "$dir"
  npm run build >/dev/null
  export MARKET_FEED=${MARKET_FEED:-redis}
  # Without an identity provider (OIDC_ISSUER_URL unset) this local run uses the development mode:
  # requests without a token act with every role. Set AUTH_MODE=oidc and OIDC_* for real tokens.
  if [[ -z ${OIDC_ISSUER_URL:-} ]]; then
    export AUTH_MODE=${AUTH_MODE:-dev}
    [[ $AUTH_MODE == dev ]] && export AUTH_INSECURE_DEV_MODE_ACKNOWLEDGED=true && echo "note: AUTH_MODE=dev (no OIDC_ISSUER_URL): not for production" >&2
  fi
  # oms-core's service tokens for risk-service: unless given, one secret for this directory's runs,
  # kept so that a service started again later still shares it with the others.
  if [[ -z ${SERVICE_AUTH_SECRET:-} ]]; then
    [[ -s $dir/service-auth-secret ]] || (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' >"$dir/service-auth-secret")
    SERVICE_AUTH_SECRET=$(cat "$dir/service-auth-secret")
    export SERVICE_AUTH_SECRET
  fi
  for s in "${services[@]}"; do
    [[ -f $dir/$s.pid ]] && kill -0 "$(cat "$dir/$s.pid")" 2>/dev/null && { echo "$s already running"; continue; }
    node dist/main.js --service "$s" >"$dir/$s.log" 2>&1 &
    echo $! >"$dir/$s.pid"
    port=$(http_port "$s")
    for _ in $(seq 1 120); do
      curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && break
      kill -0 "$(cat "$dir/$s.pid")" 2>/dev/null || { echo "$s exited; see $dir/$s.log" >&2; tail -5 "$dir/$s.log" >&2; exit 1; }
      sleep 0.5
    done
    curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null || { echo "$s not healthy; see $dir/$s.log" >&2; exit 1; }
    echo "$s up on :$port"
  done
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
