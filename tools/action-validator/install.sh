#!/usr/bin/env bash
# Ensures action-validator (npm @action-validator/cli: GitHub Actions workflow schema and glob
# checks) under ${SAPP_TOOLS_AV:-$HOME/.cache/action-validator}; prints the path of its binary.
set -euo pipefail
T=${SAPP_TOOLS_AV:-$HOME/.cache/action-validator}
BIN="$T/node_modules/.bin/action-validator"
if [ ! -x "$BIN" ]; then
  mkdir -p "$T"
  npm install --prefix "$T" --no-audit --no-fund --silent @action-validator/cli@0.6.0 >&2
fi
echo "$BIN"
