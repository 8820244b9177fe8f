#!/usr/bin/env bash
# End-to-end form delivery through SES: every form in content/forms/ is posted to the form function,
# which sends through the real aws-sdk-sesv2 client to a local moto server (started by the test itself
# on a free 127.0.0.1 port). The test lives in functions/handler/tests/e2e_forms/.
#
#   tests/e2e_forms/run.sh            # installs moto[server] with pip if missing, then runs the test
#
# Here a missing moto_server is a failure (GUIDEPOST_REQUIRE_MOTO=1); a plain `cargo test` skips instead.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v moto_server >/dev/null 2>&1; then
    python3 -m pip install --quiet 'moto[server]'
fi
python3 -c 'import moto; print("moto", moto.__version__)'

export GUIDEPOST_REQUIRE_MOTO=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-handler}"
exec cargo test -p guidepost-handler --test e2e_forms -- --nocapture "$@"
