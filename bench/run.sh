#!/usr/bin/env bash
# Benchmarks guidepost against Hugo, and the form function. BENCHMARKS.md explains what each number means.
#
#   bench/run.sh --quick            N=50, guidepost only (Hugo only when already installed): seconds, for CI
#   bench/run.sh                    N=1,000 and 10,000 against Hugo, serve rebuilds, the form function
#   bench/run.sh --sizes 10000 --runs 3 --skip-function
#
# Options: --quick, --sizes N[,N…] (default 1000,10000), --runs N[,N…] (measured full builds per tool, per size, default 5,3),
# --serve-runs N (default 5), --skip-site, --skip-serve, --skip-function, --skip-criterion,
# --lambda (package with cargo-lambda; without it the stripped binary is zipped), --duration S (wrk, default 10).
# Release builds go to $CARGO_TARGET_DIR (default target-bench/). Corpora, outputs and results go to $BENCH_WORK:
# default target-bench/bench-work, on the disk, where editors and CI build (set BENCH_WORK=/dev/shm/guidepost-bench
# for the figures in memory); results as site/site-results.md, function/function-results.md, criterion.txt
# and lambda-size.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"
WORK="${BENCH_WORK:-$CARGO_TARGET_DIR/bench-work}"
BIN="$CARGO_TARGET_DIR/bench-bin"

quick=0 sizes=1000,10000 runs=5,3 serve_runs=5 duration=10 lambda=0
site=1 serve=1 function=1 criterion=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 sizes=50 runs=3 serve_runs=3 function=0 criterion=0 ;;
    --sizes) sizes="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --serve-runs) serve_runs="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --skip-site) site=0 ;;
    --skip-serve) serve=0 ;;
    --skip-function) function=0 ;;
    --skip-criterion) criterion=0 ;;
    --lambda) lambda=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '\n### %s (load %s)\n' "$*" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2; }

# Installs Debian packages when a tool is missing (full runs only; --quick never installs anything).
need_apt() {
  local missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} with apt-get"
    if [ "$(id -u)" = 0 ]; then apt-get install -y "${missing[@]}" >&2 || { apt-get update >&2 && apt-get install -y "${missing[@]}" >&2; }
    else sudo apt-get install -y "${missing[@]}" >&2; fi
  fi
}

mkdir -p "$WORK" "$BIN"

if [ "$site" = 1 ]; then
  say "building guidepost (release)"
  cargo build --release -p guidepost --quiet
  cp "$CARGO_TARGET_DIR/release/guidepost" "$BIN/guidepost"
  serve_args=()
  if [ "$serve" = 1 ]; then
    say "building guidepost with the dev server (release, --features serve)"
    cargo build --release -p guidepost --features serve --quiet
    cp "$CARGO_TARGET_DIR/release/guidepost" "$BIN/guidepost-serve"
    serve_args=(--serve-bin "$BIN/guidepost-serve")
  fi
  hugo_args=()
  if [ "$quick" = 0 ]; then need_apt hugo:hugo /usr/bin/time:time; fi
  if command -v hugo >/dev/null; then
    hugo_args=(--hugo "$(command -v hugo)")
    say "$(hugo version)"
  else
    say "Hugo is not installed: guidepost only (a full run installs Debian's hugo)"
  fi
  python3 bench/bench.py site --sizes "$sizes" --runs "$runs" --serve-runs "$serve_runs" \
    --guidepost "$BIN/guidepost" "${serve_args[@]}" "${hugo_args[@]}" --work "$WORK/site"
fi

if [ "$criterion" = 1 ]; then
  say "Criterion: parse + validate + route + compose + MIME of network-order, in process"
  cargo bench -p guidepost-forms --bench pipeline 2>&1 | tee "$WORK/criterion.txt"
fi

if [ "$function" = 1 ]; then
  need_apt wrk:wrk zip:zip
  say "building the form function (release; the first build compiles the AWS SDK, ~10 min on 2 cores)"
  cargo build --release -p guidepost-handler --quiet
  cp "$CARGO_TARGET_DIR/release/guidepost-function" "$BIN/guidepost-function"
  [ -x "$BIN/guidepost" ] || { cargo build --release -p guidepost --quiet; cp "$CARGO_TARGET_DIR/release/guidepost" "$BIN/guidepost"; }
  python3 bench/bench.py function --bin "$BIN/guidepost-function" --guidepost "$BIN/guidepost" \
    --wrk "$(command -v wrk)" --duration "$duration" --work "$WORK/function"

  say "packaging size"
  # The package is built with the `lambda` profile (Cargo.toml: size-optimised, fat LTO, stripped), as
  # deploy/package.sh builds it.
  if [ "$lambda" = 1 ]; then
    command -v cargo-lambda >/dev/null || pip install cargo-lambda >&2
    cargo lambda build --profile release-lambda --compiler cargo --output-format zip -p guidepost-handler \
      --no-default-features --features aws >&2
    zipfile="$(find "$CARGO_TARGET_DIR/lambda" -name bootstrap.zip -newer "$BIN/guidepost-function" | head -1)"
    how="cargo lambda build --profile release-lambda --compiler cargo --output-format zip"
  else
    cargo build --profile release-lambda -p guidepost-handler --no-default-features --features aws \
      --bin guidepost-function --quiet
    rm -rf "$WORK/lambda" && mkdir -p "$WORK/lambda"
    cp "$CARGO_TARGET_DIR/release-lambda/guidepost-function" "$WORK/lambda/bootstrap"
    (cd "$WORK/lambda" && zip -q -9 bootstrap.zip bootstrap)
    zipfile="$WORK/lambda/bootstrap.zip"
    how="cargo build --profile release-lambda (stripped), as bootstrap in a zip -9 (what cargo-lambda packages)"
  fi
  glibc="$(objdump -T "$BIN/guidepost-function" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
  # bootstrap alone; the package adds the site files the function reads (~90 kB zipped for the example
  # site), and deploy/package.sh prints the whole folder's zip.
  printf 'Lambda bootstrap zip: %s bytes (%.2f MiB): %s; unstripped binary %s bytes; needs %s\n' \
    "$(stat -c %s "$zipfile")" "$(awk "BEGIN { print $(stat -c %s "$zipfile") / 1048576 }")" "$how" \
    "$(stat -c %s "$BIN/guidepost-function")" "$glibc" | tee "$WORK/lambda-size.txt"
fi

say "done; results in $WORK"
