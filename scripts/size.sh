#!/usr/bin/env bash
# `make size`: per-page download sizes against the budgets (see scripts/size.mjs).
# `--check` fails when a page shape grows past its ratchet ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/size.mjs "$@"
