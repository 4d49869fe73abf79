# shellcheck shell=bash
# Start and stop a throw-away UrbanGrid server on loopback for benchmarks and end-to-end checks.
#   start_server BIN DB [extra serve args...]   sets SERVER_PID, SERVER_PORT and SERVER_URL
#   stop_server                                 SIGTERM; fails if the server is not gone within 15 s
# The server's log is appended to SERVER_LOG (default: DB.log). The port is the system's choice
# (--port 0, read back from the server's "serving" log line) so that parallel runs and the
# clients' own ephemeral ports never collide with it; a restart reuses the port of the last start,
# because clients such as the console keep talking to the address they were given.
start_server() {
  local bin="$1" db="$2"; shift 2
  local log="${SERVER_LOG:-$db.log}" url=""
  local seen=0
  [ -f "$log" ] && seen=$(wc -l < "$log")
  "$bin" serve --db "$db" --port "${SERVER_PORT:-0}" "$@" 2>>"$log" &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    # One sed, no pipeline: callers may run under `set -e -o pipefail`, where a grep finding
    # nothing yet would end them.
    [ -n "$url" ] || url=$(sed -n "$((seen + 1)),\$ { /\"message\":\"serving\"/ s/.*\"url\":\"\(http:[^\"]*\)\/\".*/\1/p }" "$log")
    if [ -n "$url" ] && curl -fsS "$url/healthz" >/dev/null 2>&1; then
      SERVER_URL="$url"; SERVER_PORT="${url##*:}"; return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n +"$((seen + 1))" "$log" >&2; echo "server exited" >&2; return 1; }
    sleep 0.5
  done
  echo "server did not start" >&2; return 1
}

stop_server() {
  [ -n "${SERVER_PID:-}" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 60); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      local rc=0
      wait "$SERVER_PID" 2>/dev/null || rc=$?
      SERVER_PID=""
      return "$rc"
    fi
    sleep 0.25
  done
  echo "server did not stop within 15 s of SIGTERM" >&2; return 1
}
