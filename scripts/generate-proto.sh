#!/usr/bin/env bash
# Regenerates src/gen from proto/ (package oms.v1) with buf and protoc-gen-es, both from
# node_modules: no network and no protoc needed. The output is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
buf lint
buf generate
echo "generated: $(find src/gen -name '*.ts' | sort | tr '\n' ' ')"
