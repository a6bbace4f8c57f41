#!/usr/bin/env bash
# `make bench`: the shopper-facing read against the same server's /healthz.
#
# Builds the release server and the load generator (server/examples/load.rs), starts the
# demo shop on a fresh SQLite file (or DATABASE_URL when set) on a free loopback port
# with the rate limit lifted, takes the demo customer's token from /demo/session, and
# measures /healthz, then /v1/shops/demo/appearance (every page with a widget asks for
# it), then /v1/shops/demo/loyalty/me, then two recommendation lists (the
# product page's also-bought and the signed-in shopper's blend) in one run on this
# machine: requests per second, p50, p99, and each one's ratio to /healthz.
#
# BENCH_CONNECTIONS (default 32) and BENCH_SECONDS (default 10) tune the run;
# BENCH_SERVER names another server binary to measure (an earlier build, to compare
# before and after in one session).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${CARGO_TARGET_DIR:=$HOME/.cache/comeback-target}"
export CARGO_TARGET_DIR
connections=${BENCH_CONNECTIONS:-32}
seconds=${BENCH_SECONDS:-10}

if [ -n "${BENCH_SERVER:-}" ]; then
  cargo build --release -p comeback-server --example load
  server=$BENCH_SERVER
else
  cargo build --release -p comeback-server --bin comeback-server --example load
  server=$CARGO_TARGET_DIR/release/comeback-server
fi
load=$CARGO_TARGET_DIR/release/examples/load

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

sed 's/^rate_limit_per_minute = .*/rate_limit_per_minute = 100000000/' comeback.demo.toml >"$work/bench.toml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATABASE_URL=${DATABASE_URL:-sqlite://$work/bench.db} PORT=$port RUST_LOG=warn \
  COMEBACK_WWW_DIR="$work/none" COMEBACK_BUNDLE_DIR="$work/none" \
  "$server" serve --config "$work/bench.toml" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
token=$(curl -fsS "http://127.0.0.1:$port/demo/session?shop=demo" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/shops/demo/loyalty/me"

echo "bench: release server, $connections connections, ${seconds}s per endpoint, $(nproc) cores"
"$load" --address "127.0.0.1:$port" --connections "$connections" --seconds "$seconds" \
  --header "Authorization: Bearer $token" \
  --path /healthz --path /v1/shops/demo/appearance --path /v1/shops/demo/loyalty/me \
  --path '/v1/shops/demo/recommendations?kind=also-bought&product=wuyi-oolong-100g&limit=4' \
  --path '/v1/shops/demo/recommendations?kind=blend&limit=8'
