#!/usr/bin/env bash
# Runs every test of guidepost on a fresh machine, installing what the tests need when it is missing:
# Debian's chromium (browser tests), Python's moto (local SES v2 server) and aiosmtpd (a local SMTP relay), npm's playwright-core, axe-core
# and vnu-jar (accessibility and HTML checks). Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '\n== %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} (apt)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if ! command -v moto_server >/dev/null 2>&1; then
  say "installing moto[server] (pip)"
  python3 -m pip install -q 'moto[server]>=5.1,<6'
fi
if ! python3 -c 'import aiosmtpd, cryptography' >/dev/null 2>&1; then
  say "installing aiosmtpd (pip): the SMTP relay the SMTP transport's tests send to"
  python3 -m pip install -q 'aiosmtpd>=1.4,<2' cryptography
fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ] || [ ! -d tests/browser/node_modules/vnu-jar ]; then
  say "installing browser test tools (npm)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

say "Rust: unit, fixture and end-to-end tests"
export GUIDEPOST_REQUIRE_MOTO=1 GUIDEPOST_REQUIRE_SMTP=1
cargo test --workspace --locked 2>&1

say "AWS SAM template: cfn-lint and checkov on the source and on the offline expansion"
deploy/check-template.sh

say "Benchmark script at a tiny size (the benchmarks themselves run on demand: BENCHMARKS.md)"
bench/run.sh --quick

say "Browser: axe-core, Nu validator, forms in headless Chromium (with and without JavaScript, keyboard only)"
cargo build -q --locked -p guidepost --features serve
guidepost="${CARGO_TARGET_DIR:-target}/debug/guidepost"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$guidepost" serve --no-watch --port "$port" --out "$work/site" --mail-dir "$work/mail" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/', timeout=1)" 2>/dev/null && break
  sleep 0.1
done
# The search index is built after the pages, on a thread of its own: wait for it.
for _ in $(seq 1 600); do
  grep -q "search index updated" "$work/serve.log" && break
  sleep 0.1
done
node tests/browser/run.mjs --base "http://127.0.0.1:$port" --site "$work/site" --mail "$work/mail" --artifacts tests/artifacts --guidepost "$guidepost"
