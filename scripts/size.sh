#!/usr/bin/env bash
# Prints raw, gzip and brotli sizes of every file a shop page downloads for the loyalty
# widget, against the budgets. `--check` exits non-zero when the loader is over its budget
# or the whole bundle grows past the regression ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."

LOADER_BUDGET=3072    # loader.js, brotli bytes (issue 2)
TOTAL_BUDGET=61440    # loader + JS glue + wasm, brotli bytes (issue 2's target)
TOTAL_CEILING=158720  # ratchet: the bundle may not grow past this while above the target

files=(pkg/loader.js pkg/comeback.js pkg/comeback_bg.wasm)
for file in "${files[@]}"; do
  [ -f "$file" ] || { echo "size: $file is missing; run 'make bundle' first" >&2; exit 1; }
done

printf '%-22s %10s %10s %10s\n' file raw gzip brotli
total_raw=0 total_gz=0 total_br=0
for file in "${files[@]}"; do
  raw=$(wc -c <"$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  br=$(brotli -q 11 -c "$file" | wc -c)
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
  printf '%-22s %10d %10d %10d\n' "${file#pkg/}" "$raw" "$gz" "$br"
  [ "$file" = pkg/loader.js ] && loader_br=$br
done
printf '%-22s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"

verdict() { if [ "$1" -le "$2" ]; then echo "within"; else echo "OVER"; fi; }
echo "loader budget  ${LOADER_BUDGET} B brotli: $(verdict "$loader_br" "$LOADER_BUDGET")"
echo "bundle target  ${TOTAL_BUDGET} B brotli: $(verdict "$total_br" "$TOTAL_BUDGET")"
echo "bundle ceiling ${TOTAL_CEILING} B brotli: $(verdict "$total_br" "$TOTAL_CEILING")"

if [ "${1:-}" = --check ]; then
  [ "$loader_br" -le "$LOADER_BUDGET" ] || { echo "size: loader.js is over its budget" >&2; exit 1; }
  [ "$total_br" -le "$TOTAL_CEILING" ] || { echo "size: the bundle grew past its ceiling" >&2; exit 1; }
fi
