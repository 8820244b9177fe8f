#!/usr/bin/env bash
# Builds the form function for Lambda (cargo lambda, native x86_64, no zig) and assembles
# deploy/.build/function/: the `bootstrap` binary plus the built site (forms.json, pages.json and the form
# pages the function re-renders on errors), which template.yaml's CodeUri names.
# Usage: deploy/package.sh   (build the site first: cargo run --release -p guidepost -- build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
site="${GUIDEPOST_SITE:-$root/public}"

if [[ ! -f "$site/forms/forms.json" ]]; then
  echo "package: $site/forms/forms.json is missing; build the site first:" >&2
  echo "  cargo run --release -p guidepost -- build" >&2
  exit 1
fi
command -v cargo-lambda >/dev/null || {
  echo "package: cargo-lambda is missing: pip install cargo-lambda" >&2
  exit 1
}

cd "$root"
# The `release-lambda` profile (Cargo.toml): optimised for size, fat LTO, stripped; without the SMTP transport
# (Lambda sends through SES), so the zip stays under 5 MB.
cargo lambda build --profile release-lambda --compiler cargo -p guidepost-handler --no-default-features --features aws \
  --bin guidepost-function
binary="${CARGO_TARGET_DIR:-$root/target}/lambda/guidepost-function/bootstrap"
"$here/check-glibc.sh" "$binary"

out="$here/.build/function"
rm -rf "$out"
mkdir -p "$out"
# Without debug info: a smaller package and a faster cold start.
strip --strip-debug -o "$out/bootstrap" "$binary"
cp -R "$site" "$out/public"
# What Lambda loads on a cold start: the binary zipped as sam would.
zipped=$(cd "$out" && zip -q -9 - bootstrap | wc -c)
echo "package: $out ($(du -sh "$out" | cut -f1)); bootstrap zipped: $((zipped / 1000)) kB; ready for sam deploy"
