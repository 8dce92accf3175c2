#!/usr/bin/env bash
# Lint every synthesized template with AWS's cfn-lint (the Python tool;
# the npm package of that name is a different, stale one). Run `pnpm synth`
# first. Fails on any error or warning except the ones ignored below.
#
# Ignored, with reasons:
#   W3005  "dependency already enforced by GetAtt": CDK adds an explicit
#          DependsOn on a role's policy next to the GetAtt on the role, so
#          the policy exists before the resource uses the role. Redundant
#          for ordering, harmless, and not ours to change.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint not found: pip install cfn-lint" >&2
  exit 1
fi
shopt -s nullglob
templates=(cdk.out/*.template.json)
if [ "${#templates[@]}" -eq 0 ]; then
  echo "no templates in infra/cdk.out: run pnpm synth first" >&2
  exit 1
fi
echo "cfn-lint $(cfn-lint --version | awk '{print $2}') over ${#templates[@]} template(s): ${templates[*]}"
cfn-lint --ignore-checks W3005 -- "${templates[@]}"
echo "cfn-lint: clean"
