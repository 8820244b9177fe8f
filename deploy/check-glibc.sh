#!/usr/bin/env bash
# Checks that the Lambda binary runs on Amazon Linux 2023: it may need no newer glibc than 2.34, and its
# architecture must match the template's (x86_64). Usage: deploy/check-glibc.sh [bootstrap | bootstrap.zip]
# Default: $CARGO_TARGET_DIR (or target)/lambda/guidepost-function/bootstrap. Exit 0 ok, 1 too new or
# wrong architecture, 2 no binary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-${CARGO_TARGET_DIR:-$root/target}/lambda/guidepost-function/bootstrap}"
max="${GLIBC_MAX:-2.34}"

if [[ ! -f "$binary" ]]; then
  echo "check-glibc: no binary at $binary (build it with deploy/package.sh)" >&2
  exit 2
fi
if [[ "$binary" == *.zip ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  unzip -p "$binary" bootstrap > "$work/bootstrap"
  binary="$work/bootstrap"
fi

arch="$(objdump -f "$binary" | sed -n 's/^architecture: \([^,]*\).*/\1/p')"
if [[ "$arch" != "i386:x86-64" ]]; then
  echo "check-glibc: $binary is $arch, but template.yaml deploys x86_64" >&2
  exit 1
fi

needed="$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1 | sed 's/^GLIBC_//' || true)"
if [[ -z "$needed" ]]; then
  echo "check-glibc: ok, $binary needs no glibc symbols"
  exit 0
fi
newest="$(printf '%s\n%s\n' "$needed" "$max" | sort -V | tail -1)"
if [[ "$newest" != "$max" ]]; then
  echo "check-glibc: $binary needs glibc $needed, Amazon Linux 2023 has $max" >&2
  exit 1
fi
echo "check-glibc: ok, $binary needs glibc $needed (≤ $max), $arch"
