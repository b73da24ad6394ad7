#!/usr/bin/env bash
# From the checkout: run the vault behind a TLS-terminating proxy that serves it as https://vault.example.
set -euo pipefail
export TESSERA_DATA_DIR="${TESSERA_DATA_DIR:-/srv/tessera}" # tessera.db and master.key: back them up together
export TESSERA_PUBLIC_URL=https://vault.example             # the origin the frame and the CORS checks use
export TESSERA_TRUST_PROXY=1                                # client address and TLS from X-Forwarded-*
PORT="${PORT:-8787}"

# A bad value stops the vault at once: exit 1, one line naming the variable.
TESSERA_ACQUIRER_TIMEOUT_MS=soon node bin/tessera.js serve --port "$PORT" || echo "refused to start (exit $?)"

node bin/tessera.js serve --port "$PORT" &
vault=$!
trap 'kill $vault' EXIT
# Ready once the public keys answer; the API reference is at /docs.
curl -fsS --retry 30 --retry-delay 1 --retry-all-errors "http://127.0.0.1:$PORT/v1/jwks" -o /dev/null
curl -fsS "http://127.0.0.1:$PORT/v1/openapi.json" -o /dev/null -w "OpenAPI document: %{http_code}\n"
curl -fsS "http://127.0.0.1:$PORT/docs" -o /dev/null -w "API reference: %{http_code}\n"
