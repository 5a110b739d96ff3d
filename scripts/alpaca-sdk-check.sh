#!/usr/bin/env bash
# Alpaca's official Python SDK (alpaca-py, from PyPI, unmodified) against `bulwark exchange`: installs it in a
# virtualenv (ALPACA_SDK_VENV, default /tmp/bulwark-alpaca-py; version ALPACA_PY_VERSION, default 0.44.0),
# starts the exchange built at BULWARK_BIN (default .build/debug/bulwark) on a free port with a fresh book
# and throw-away keys, and runs scripts/alpaca_sdk_check.py against it: the REST routes, TradingStream (a
# fill pushed on trade_updates) and StockDataStream (a quote pushed over MessagePack). Needs python3 and
# PyPI; `make sdk-check` runs it, and `make test` after the Swift tests. Exit status: the checks' (0 all passed, 1 some failed), 2 when
# it could not run (no python3, no binary, the SDK could not be installed).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${ALPACA_SDK_VENV:-/tmp/bulwark-alpaca-py}"
version="${ALPACA_PY_VERSION:-0.44.0}"
bin="${BULWARK_BIN:-.build/debug/bulwark}"
command -v python3 >/dev/null || { echo "python3 not found" >&2; exit 2; }
[ -x "$bin" ] || { echo "$bin not found: build first (swift build)" >&2; exit 2; }
if ! "$venv/bin/python" -c "import alpaca" 2>/dev/null; then
  python3 -m venv "$venv" || { echo "could not make a virtualenv at $venv" >&2; exit 2; }
  "$venv/bin/pip" install --quiet --timeout 30 --retries 2 "alpaca-py==$version" || { echo "could not install alpaca-py $version" >&2; exit 2; }
fi
work="$(mktemp -d)"
key="PKSDK$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
secret="SK$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
APCA_API_KEY_ID="$key" APCA_API_SECRET_KEY="$secret" "$bin" exchange --port 0 --state-dir "$work/state" --session "${ALPACA_SDK_SESSION:-always}" >"$work/exchange.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
url=""
for _ in $(seq 1 300); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/exchange.log" | head -1 || true)"
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { echo "the exchange did not start:" >&2; cat "$work/exchange.log" >&2; exit 2; }
echo "alpaca-py $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("alpaca-py"))') against $url"
"$venv/bin/python" scripts/alpaca_sdk_check.py "$url" "$key" "$secret"
