#!/usr/bin/env bash
# Builds the console for the browser and serves it on this machine until Ctrl+C.
# PORT chooses the port (default 8080; a free one is taken when 8080 is busy).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$ROOT/scripts/setup.sh"

note "Building the console (release)"
cd "$ROOT"
trunk build --release --offline

port="${PORT:-8080}"
if port_is_open "$port"; then
  port="$(free_port)"
fi
trap stop_dist_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_dist_server "$port"

printf '\n  Brewery twin console: http://127.0.0.1:%s/\n\n  Press Ctrl+C to stop.\n\n' "$port"
wait "$SERVER_PID"
