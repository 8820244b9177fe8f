#!/usr/bin/env bash
# Publishes the built site to the stack's bucket and invalidates CloudFront.
# Usage: deploy/publish-site.sh STACK_NAME   (needs the AWS CLI and credentials; build the site first)
set -euo pipefail
stack="${1:?usage: deploy/publish-site.sh STACK_NAME}"
root="$(cd "$(dirname "$0")/.." && pwd)"
site="${GUIDEPOST_SITE:-$root/public}"
output() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
bucket="$(output SiteBucketName)"
distribution="$(output DistributionId)"
# HTML and the form definitions must be fresh after each publish; the rest may be cached.
aws s3 sync "$site/" "s3://$bucket/" --delete --exclude "*.html" --exclude "forms/*.json" \
  --cache-control "public, max-age=3600"
# forms/desks.json stays out: the function reads it from its own package, readers need no desk addresses.
aws s3 sync "$site/" "s3://$bucket/" --delete --exclude "*" --include "*.html" --include "forms/*.json" \
  --exclude "forms/desks.json" --cache-control "no-cache"
aws cloudfront create-invalidation --distribution-id "$distribution" --paths "/*" >/dev/null
echo "published $site to s3://$bucket and invalidated $distribution"
