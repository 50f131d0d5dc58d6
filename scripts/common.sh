# shellcheck shell=bash
# Shared by the scripts in this folder (sourced, not run): where the repository is, a PATH that
# holds the project's tools, and small helpers for steps and for the local web server.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E_DIR="$ROOT/tests/e2e"

# cargo-installed tools (trunk, wasm-bindgen) and the npm-installed wasm-opt that Trunk.toml pins.
export PATH="$E2E_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Prints a step's title so that a long log can be scanned by eye.
note() {
  printf '\n==> %s\n' "$*"
}

# Prints a free TCP port on the loopback interface.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Succeeds when something accepts connections on 127.0.0.1:$1.
port_is_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

SERVER_PID=""
SERVER_LOG=""

# Serves dist/ on 127.0.0.1:$1 in the background and waits until it answers. The server's own
# log goes to a temporary file; stop_dist_server (set it as an EXIT trap first) ends both.
start_dist_server() {
  local port="$1"
  SERVER_LOG="$(mktemp)"
  python3 -m http.server --bind 127.0.0.1 --directory "$ROOT/dist" "$port" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  local _
  for _ in $(seq 50); do
    if port_is_open "$port"; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "The web server stopped at start; its log follows." >&2
      cat "$SERVER_LOG" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "The web server did not answer on port $port within 5 seconds." >&2
  return 1
}

# Stops the server that start_dist_server started, if any, and removes its log.
stop_dist_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n "$SERVER_LOG" ]]; then
    rm -f "$SERVER_LOG"
  fi
}
