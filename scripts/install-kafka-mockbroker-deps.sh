#!/usr/bin/env bash
# What the Kafka test broker (../shared/tools/kafka-mockbroker) builds with: librdkafka-dev,
# pkg-config and gcc from Debian, installed when missing (needs root). Used by
# start-kafka-mockbroker.sh and by the benchmark's distributed phase.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[install-kafka-mockbroker-deps] $*" >&2; }

if pkg-config --exists rdkafka 2>/dev/null && command -v gcc >/dev/null; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then log "not root: cannot install librdkafka-dev pkg-config gcc"; exit 1; fi
log "installing librdkafka-dev pkg-config gcc"
mkdir -p .tmp
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librdkafka-dev pkg-config gcc; } >.tmp/apt.log 2>&1; then
  cat .tmp/apt.log >&2
  exit 1
fi
