#!/usr/bin/env bash
# Builds the form function for Lambda (cargo lambda, native x86_64, no zig) and assembles
# deploy/.build/function/: the `bootstrap` binary plus the built site (forms.json, pages.json and the form
# pages the function re-renders on errors; nothing else of the site, which the site bucket serves), which
# template.yaml's CodeUri names.
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
# Of the site, only what the function reads: forms/ (forms.json, pages.json, desks.json, messages.json)
# and each form's page as pages.json lists it.
mkdir -p "$out/public"
cp -R "$site/forms" "$out/public/forms"
python3 - "$site" "$out/public" <<'PY'
import json, os, shutil, sys
site, dest = sys.argv[1], sys.argv[2]
with open(os.path.join(site, "forms", "pages.json"), encoding="utf-8") as f:
    pages = json.load(f)
for rel in sorted(set(pages.values())):
    rel = rel.lstrip("/")
    if os.path.isabs(rel) or ".." in rel.split("/"):
        sys.exit(f"package: form page `{rel}` in forms/pages.json is not a path inside the site")
    os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
    shutil.copyfile(os.path.join(site, rel), os.path.join(dest, rel))
PY
# What Lambda loads: the folder zipped as sam does.
zipped=$(cd "$out" && zip -q -9 -r - . | wc -c)
echo "package: $out ($(du -sh "$out" | cut -f1)); zipped: $zipped bytes; ready for sam deploy"
if (( zipped > 5000000 )); then
  echo "package: warning: the zip is over 5 MB ($zipped bytes); BENCHMARKS.md, \"The Lambda package\", says where the size goes" >&2
fi
