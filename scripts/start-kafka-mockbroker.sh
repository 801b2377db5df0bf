#!/usr/bin/env bash
# Starts the Kafka-protocol test broker (librdkafka's mock cluster, see
# ../shared/tools/kafka-mockbroker/README.md) for the *.kafka.test.ts suites: 3 brokers on
# 127.0.0.1:${MOCK_PORT:-19092}.., every project topic pre-created (the mock cannot create topics on
# request). Writes the bootstrap to .tmp/kafka-bootstrap and the pid to .tmp/kafka-mockbroker.pid,
# and prints the bootstrap. Idempotent: a broker still running with the same topics is reused.
# Installs librdkafka-dev, pkg-config and gcc when missing (needs root). In memory only.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[start-kafka-mockbroker] $*" >&2; }

tool_dir=${KAFKA_MOCKBROKER_DIR:-$(pwd)/../shared/tools/kafka-mockbroker}
port=${MOCK_PORT:-19092}
brokers=${KAFKA_MOCK_BROKERS:-3}
state=.tmp
bootstrap_file=$state/kafka-bootstrap
pid_file=$state/kafka-mockbroker.pid
spec_file=$state/kafka-mockbroker.spec
log_file=$state/kafka-mockbroker.log
err_file=$state/kafka-mockbroker.err
mkdir -p "$state"

[ -x "$tool_dir/start" ] || { log "no mock broker at $tool_dir (set KAFKA_MOCKBROKER_DIR)"; exit 1; }

# One source for the topic list: src/adapters/bus/kafka-topics.ts (topic:partitions).
topics=${KAFKA_MOCK_TOPICS:-$(node --import tsx -e 'import("./src/adapters/bus/kafka-topics.ts").then((m) => console.log(m.kafkaTopicSpecs().join(" ")))')}
spec="port=$port brokers=$brokers topics=$topics"

alive() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null && grep -q mockbroker "/proc/$(cat "$pid_file")/cmdline" 2>/dev/null; }

if alive; then
  if [ "$(cat "$spec_file" 2>/dev/null)" = "$spec" ] && [ -s "$bootstrap_file" ]; then
    cat "$bootstrap_file"
    exit 0
  fi
  log "the running broker has other topics or ports: restarting it"
  bash scripts/stop-kafka-mockbroker.sh
fi
rm -f "$pid_file" "$bootstrap_file" "$spec_file"

bash scripts/install-kafka-mockbroker-deps.sh

taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
range_taken() { for ((p = $1; p < $1 + brokers; p++)); do taken "$p" && return 0; done; return 1; }
if range_taken "$port"; then
  # Another checkout's broker (or anything else) holds the default ports: take the next free range,
  # unless MOCK_PORT asked for these ones.
  [ -n "${MOCK_PORT:-}" ] && { log "127.0.0.1:$port.. is taken by another process: set MOCK_PORT to a free port"; exit 1; }
  while range_taken "$port"; do
    port=$((port + 100))
    [ "$port" -lt 29092 ] || { log "no free ports from 19092 to 29092"; exit 1; }
  done
  log "default ports taken: using 127.0.0.1:$port.."
  spec="port=$port brokers=$brokers topics=$topics"
fi

# setsid: the broker outlives this script and the shell that ran it. Its first stdout line is the
# bootstrap list (the start wrapper compiles the broker first, once).
# shellcheck disable=SC2086 # topics are one word each
MOCK_PORT=$port setsid "$tool_dir/start" "$brokers" $topics >"$log_file" 2>"$err_file" </dev/null &
pid=$!
echo "$pid" >"$pid_file"
for _ in $(seq 1 600); do
  line=$(head -n 1 "$log_file" 2>/dev/null || true)
  if [[ $line == *:[0-9]* && $line != *" "* ]]; then break; fi
  kill -0 "$pid" 2>/dev/null || { log "the broker exited:"; cat "$log_file" "$err_file" >&2; rm -f "$pid_file"; exit 1; }
  line=
  sleep 0.1
done
[ -n "$line" ] || { log "no bootstrap line after 60 s:"; cat "$log_file" "$err_file" >&2; kill "$pid" 2>/dev/null || true; rm -f "$pid_file"; exit 1; }
echo "$line" >"$bootstrap_file"
echo "$spec" >"$spec_file"
log "pid $pid, topics: $topics"
echo "$line"
