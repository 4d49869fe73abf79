# shellcheck shell=bash
# Start and stop a throw-away UrbanGrid server on loopback for benchmarks and end-to-end checks.
#   start_server BIN DB [extra serve args...]   sets SERVER_PID and SERVER_URL
#   stop_server
start_server() {
  local bin="$1" db="$2"; shift 2
  local port=$(( 20000 + RANDOM % 20000 ))
  "$bin" serve --db "$db" --port "$port" "$@" 2>"$db.log" &
  SERVER_PID=$!
  SERVER_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 240); do
    curl -fsS "$SERVER_URL/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$db.log" >&2; echo "server exited" >&2; return 1; }
    sleep 0.5
  done
  echo "server did not start" >&2; return 1
}

stop_server() {
  [ -n "${SERVER_PID:-}" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
