#!/usr/bin/env bash
# Checks deploy/template.yaml (and deploy/waf.yaml beside it): cfn-lint on the SAM source, then the template expanded offline with
# aws-sam-translator (SAM resources become plain CloudFormation, which cfn-lint checks fully), linted too;
# then the checkov security scan over both, offline. Installs cfn-lint and aws-sam-translator with pip, and
# checkov into its own virtual environment (it pins boto3 versions that would break moto), when missing.
# Exit 0 when clean or cfn-lint warnings only (printed), non-zero on any error or failed checkov check.
# Usage: deploy/check-template.sh [template]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
template="${1:-$here/template.yaml}"
python="${PYTHON:-python3}"

if ! "$python" -c 'import cfnlint, samtranslator' 2>/dev/null; then
  echo "installing cfn-lint and aws-sam-translator (pip)"
  "$python" -m pip install --quiet --disable-pip-version-check cfn-lint aws-sam-translator || exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
expanded="$work/expanded.json"
failed=0
AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-eu-north-1}" "$python" - "$template" "$expanded" <<'PY' || failed=1
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.public.exceptions import InvalidDocumentException
from samtranslator.yaml_helper import yaml_parse

source, target = sys.argv[1], sys.argv[2]
with open(source) as f:
    template = yaml_parse(f.read())
# Offline: a placeholder package location instead of the local build folder.
placeholder = "s3://placeholder-bucket/guidepost-function.zip"
for resource in template.get("Resources", {}).values():
    if resource.get("Type") == "AWS::Serverless::Function":
        properties = resource.setdefault("Properties", {})
        if "CodeUri" in properties:
            properties["CodeUri"] = placeholder
globals_function = template.get("Globals", {}).get("Function", {})
if "CodeUri" in globals_function:
    globals_function["CodeUri"] = placeholder

class Plugins:  # no managed-policy lookups: every policy here is inline
    def load(self):
        return {}

try:
    expanded = transform(template, {}, Plugins())
except InvalidDocumentException as error:
    for cause in error.causes:
        print(f"sam-translator: {cause.message}", file=sys.stderr)
    sys.exit(1)
with open(target, "w") as f:
    json.dump(expanded, f, indent=1)
PY

files=("$template")
if [[ -s "$expanded" ]]; then
  files+=("$expanded")
else
  echo "sam-translator: the template did not expand" >&2
  failed=1
fi

# The per-IP rate limit is defined twice: in deploy/waf.yaml (for stacks outside us-east-1) and in the
# template (made in-stack in us-east-1). Both are linted, and must be the same web ACL.
waf="$(dirname "$template")/waf.yaml"
if [[ -f "$waf" ]]; then
  files+=("$waf")
  "$python" - "$template" "$waf" <<'PY' || failed=1
import sys
def block(path):
    text = open(path).read()
    start = text.find("  # --- begin rate limit")
    end = text.find("  # --- end rate limit ---")
    if start < 0 or end < 0:
        sys.exit(f"{path}: no `# --- begin rate limit` … `# --- end rate limit ---` block")
    lines = text[start:end].splitlines()
    return [line for line in lines if line.strip() != "Condition: CreatesWebAcl"]
template, waf = block(sys.argv[1]), block(sys.argv[2])
if template != waf:
    for a, b in zip(template, waf):
        if a != b:
            print(f"rate limit differs: template.yaml has {a.strip()!r}, waf.yaml has {b.strip()!r}", file=sys.stderr)
            break
    else:
        print("rate limit differs in length between template.yaml and waf.yaml", file=sys.stderr)
    sys.exit(1)
print("rate limit: template.yaml and waf.yaml define the same web ACL")
PY
fi

# The per-IP limit is on by default and guards the form posts: a regression here (a default switched to
# "off", a rule that no longer reaches the distribution or counts other paths) fails the check.
"$python" - "$template" <<'PY' || failed=1
import json, sys
from samtranslator.yaml_helper import yaml_parse
t = yaml_parse(open(sys.argv[1]).read())
problems = []
if t["Parameters"].get("RateLimiting", {}).get("Default") != "on":
    problems.append("parameter RateLimiting must default to \"on\"")
acl = t["Resources"].get("FormsWebAcl", {})
rules = acl.get("Properties", {}).get("Rules", [])
rate = [r for r in rules if "RateBasedStatement" in r.get("Statement", {})]
if not rate:
    problems.append("FormsWebAcl has no rate-based rule")
else:
    statement = rate[0]["Statement"]["RateBasedStatement"]
    scope = json.dumps(statement.get("ScopeDownStatement", {}))
    if statement.get("AggregateKeyType") != "IP" or statement.get("Limit") != {"Ref": "FormPostsPerIpPer5Min"}:
        problems.append("the rate-based rule must count per IP, limited by FormPostsPerIpPer5Min")
    if '"POST"' not in scope or '"/forms/"' not in scope:
        problems.append("the rate-based rule must count only POST /forms/…")
    if rate[0].get("Action", {}).get("Block", {}).get("CustomResponse", {}).get("ResponseCode") != 429:
        problems.append("the rate-based rule must answer 429")
distribution = [r for r in t["Resources"].values() if r.get("Type") == "AWS::CloudFront::Distribution"]
if not distribution or "FormsWebAcl" not in json.dumps(distribution[0]["Properties"]["DistributionConfig"].get("WebACLId")):
    problems.append("the distribution's WebACLId must use FormsWebAcl when the stack creates it")
if "RateLimitingNeedsWebAcl" not in t.get("Rules", {}):
    problems.append("rule RateLimitingNeedsWebAcl (a WebAclArn outside us-east-1) is missing")
for p in problems:
    print(f"rate limit: {p}", file=sys.stderr)
if not problems:
    print("rate limit: on by default, per IP, POST /forms/* only, attached to the distribution")
sys.exit(1 if problems else 0)
PY

# One cfn-lint run over the SAM source and the expanded template. Its exit code is a set of bit flags:
# 2 error, 4 warning, 8 informational (1 a crash).
"$python" -c 'import sys; from cfnlint.runner import main; sys.argv[0] = "cfn-lint"; sys.exit(main())' \
  --format parseable -- "${files[@]}"
status=$?
if (( status & 1 || status & 2 )); then
  echo "cfn-lint: errors (exit $status)" >&2
  failed=1
elif (( status & 4 )); then
  echo "cfn-lint: warnings (exit $status)" >&2
fi

# checkov, pinned, in a virtual environment of its own (GUIDEPOST_CHECKOV_VENV to move it). Offline: no
# API key, no download of external checks. Deliberate exceptions are `Metadata: checkov: skip:` entries on
# the resources, each with its reason; the SAM expansion keeps resource Metadata, so the same skips (and
# reasons) apply to the expanded template.
checkov_version="3.3.30"
venv="${GUIDEPOST_CHECKOV_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/guidepost-checkov-$checkov_version}"
if [[ ! -x "$venv/bin/checkov" ]]; then
  echo "installing checkov $checkov_version (pip, into $venv)"
  "$python" -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$checkov_version" || exit 1
fi
for file in "${files[@]}"; do
  report="$work/checkov.json"
  BC_API_KEY="" timeout 300 "$venv/bin/checkov" --file "$file" --framework cloudformation --skip-download \
    --output json --soft-fail > "$report" 2> "$work/checkov.err"
  "$python" - "$report" "$file" <<'PY' || failed=1
import json, sys
report, name = sys.argv[1], sys.argv[2]
try:
    data = json.load(open(report))
except ValueError:
    print(f"checkov: no report for {name}", file=sys.stderr)
    sys.exit(1)
if isinstance(data, list):
    data = data[0]
results = data.get("results", {})
failed = results.get("failed_checks", [])
skipped = results.get("skipped_checks", [])
summary = data.get("summary", {})
print(f"checkov {name.rsplit('/', 1)[-1]}: {summary.get('passed', 0)} passed, {len(failed)} failed, {len(skipped)} skipped")
for check in skipped:
    reason = (check.get("check_result") or {}).get("suppress_comment", "")
    print(f"  skipped {check['check_id']} on {check['resource']}: {reason}")
    if not reason.strip():
        print(f"checkov: the skip of {check['check_id']} on {check['resource']} gives no reason", file=sys.stderr)
        failed.append(check)
for check in failed:
    print(f"  FAILED {check['check_id']} on {check['resource']}: {check['check_name']}", file=sys.stderr)
sys.exit(1 if failed else 0)
PY
done

if (( failed )); then
  echo "template check: FAILED" >&2
  exit 1
fi
echo "template check: ok ($template)"
