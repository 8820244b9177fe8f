#!/usr/bin/env bash
# The fault test at full size: moto (SES + S3) behind a fault-injecting proxy on loopback, N submissions
# (default 400) while faults come and go, then redelivery; every accepted submission must arrive exactly
# once. `cargo test -p guidepost-handler` runs the same test with 150. Needs moto_server
# (pip install 'moto[server]'). Usage: tests/fault/run.sh [SUBMISSIONS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
GUIDEPOST_FAULT_SUBMISSIONS="${1:-400}" GUIDEPOST_REQUIRE_MOTO=1 GUIDEPOST_FAULT_REPORT="$report" \
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target-handler}" \
  cargo test -p guidepost-handler --test fault -- --nocapture
cat "$report"
