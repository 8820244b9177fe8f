#!/usr/bin/env bash
# Runs every fuzz target for a bounded time each (default 60 s): fuzz/run.sh [SECONDS]
# Needs a nightly toolchain and cargo-fuzz (see fuzz/README.md). Exits non-zero on the first crash.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
for target in body_parser identifiers email_composer router; do
  echo "== fuzz $target for ${seconds}s"
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048
done
