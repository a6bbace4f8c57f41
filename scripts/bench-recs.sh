#!/usr/bin/env bash
# `make bench-recs`: our recommendation engine against the `implicit` library on a
# synthetic tea-shop order history: build time on ~1M lines, then recall@10 and NDCG@10
# on a smaller history against popularity, buy-again frequency, cosine, BM25 and ALS.
# Installs implicit, numpy, scipy and pandas from PyPI into a venv once.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="$HOME/.cache/comeback-bench-venv"
DATA="${COMEBACK_BENCH_DATA:-$HOME/.cache/comeback-bench-data}"
: "${CARGO_TARGET_DIR:=$HOME/.cache/comeback-target}"

if ! "$VENV/bin/python" -c 'import implicit, numpy, scipy, pandas' 2>/dev/null; then
  echo "Installing implicit, numpy, scipy, pandas into $VENV"
  python3 -m venv "$VENV"
  if ! "$VENV/bin/pip" install --quiet --only-binary=:all: implicit numpy scipy pandas; then
    echo "PyPI has no wheel of implicit/numpy/scipy/pandas for $(python3 --version) on this machine" >&2
    exit 1
  fi
fi

cargo build --release --quiet -p comeback-recs --examples
EXAMPLES="$CARGO_TARGET_DIR/release/examples"
mkdir -p "$DATA"
echo "Generating order histories into $DATA"
"$EXAMPLES/gen_orders" --customers 100000 --products 50000 --seed 7 \
  --catalogue "$DATA/big-products.csv" > "$DATA/big.csv"
"$EXAMPLES/gen_orders" --customers 20000 --products 10000 --seed 11 \
  --catalogue "$DATA/small-products.csv" > "$DATA/small.csv"

# Ours with the catalogue's categories (a shop's products carry them), and from the
# orders alone, as the baselines see them.
ours_build=$("$EXAMPLES/recs_bench" "$DATA/big.csv" --catalogue "$DATA/big-products.csv" \
  --repeat 3 --serving)
ours_quality=$("$EXAMPLES/recs_bench" "$DATA/small.csv" --catalogue "$DATA/small-products.csv" \
  --evaluate)
ours_orders_only=$("$EXAMPLES/recs_bench" "$DATA/small.csv" --evaluate)
"$VENV/bin/python" scripts/bench_recs.py --big "$DATA/big.csv" --small "$DATA/small.csv" \
  --ours-build "$ours_build" --ours-quality "$ours_quality" --ours-orders-only "$ours_orders_only"
