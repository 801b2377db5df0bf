#!/usr/bin/env bash
# Stops the test broker that scripts/start-kafka-mockbroker.sh started (its data goes with it).
set -euo pipefail
cd "$(dirname "$0")/.."
pid_file=.tmp/kafka-mockbroker.pid
if [ -f "$pid_file" ]; then
  pid=$(cat "$pid_file")
  # Only our broker: a stale pid file may name a process that reused the number.
  if kill -0 "$pid" 2>/dev/null && grep -q mockbroker "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
  fi
fi
rm -f "$pid_file" .tmp/kafka-bootstrap .tmp/kafka-mockbroker.spec
echo "[stop-kafka-mockbroker] stopped" >&2
