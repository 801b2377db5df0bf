#!/usr/bin/env bash
# Builds QuickFIX C++'s example acceptor (`executor`, fills every LIMIT order) and initiator
# (`tradeclient`) from Debian's libquickfix-doc into .tmp/quickfix/bin, for the interoperability
# suite (test/interop). Installs libquickfix-dev/-doc first when missing (needs root, as in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES=/usr/share/doc/libquickfix-doc/examples
if [[ ! -d "$EXAMPLES/executor" || ! -f /usr/include/quickfix/Session.h ]]; then
  if [[ $(id -u) -ne 0 ]]; then echo "libquickfix-dev and libquickfix-doc are missing; install them as root" >&2; exit 1; fi
  apt-get install -y --no-install-recommends libquickfix-dev libquickfix-doc >/dev/null || {
    apt-get update >/dev/null && apt-get install -y --no-install-recommends libquickfix-dev libquickfix-doc >/dev/null
  }
fi

OUT=.tmp/quickfix
BIN="$OUT/bin"
if [[ -x "$BIN/executor" && -x "$BIN/tradeclient" ]]; then exit 0; fi
rm -rf "$OUT" && mkdir -p "$BIN" "$OUT/src" "$OUT/examples/executor" "$OUT/examples/tradeclient"
# The examples include a generated config.h and, for tradeclient, ../../src/getopt-repl.h: empty ones do.
touch "$OUT/examples/executor/config.h" "$OUT/examples/tradeclient/config.h" "$OUT/src/getopt-repl.h"

copy_example() { # <source dir> <target dir>: sources may be gzipped by Debian
  for file in "$1"/*.cpp "$1"/*.h "$1"/*.cpp.gz "$1"/*.h.gz; do
    [[ -e "$file" ]] || continue
    case "$file" in
      *.gz) zcat "$file" >"$2/$(basename "${file%.gz}")" ;;
      *) cp "$file" "$2/" ;;
    esac
  done
}
copy_example "$EXAMPLES/executor/C++" "$OUT/examples/executor"
copy_example "$EXAMPLES/tradeclient" "$OUT/examples/tradeclient"

# QuickFIX 1.15's headers use dynamic exception specifications, gone in C++17.
CXXFLAGS=(-std=c++14 -O1 -w)
g++ "${CXXFLAGS[@]}" -I"$OUT/examples/executor" -o "$BIN/executor" "$OUT/examples/executor/executor.cpp" "$OUT/examples/executor/Application.cpp" -lquickfix -lpthread
g++ "${CXXFLAGS[@]}" -I"$OUT/examples/tradeclient" -o "$BIN/tradeclient" "$OUT/examples/tradeclient/tradeclient.cpp" "$OUT/examples/tradeclient/Application.cpp" -lquickfix -lpthread
echo "built $BIN/executor and $BIN/tradeclient"
