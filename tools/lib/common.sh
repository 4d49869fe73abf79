# shellcheck shell=bash
# Shared set-up for tools/run, tools/test, tools/bench-* and tools/build-sample-city.
# Source it; it sets ROOT (the repository) and defines:
#   apt_ensure PKG...     install the Debian packages dpkg does not report as installed
#   ensure_system_deps    the libraries the Swift package links and needs at run time
#   swift_build [debug|release]   build the urbangrid executable, sets URBANGRID_BIN

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT

apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  echo "installing Debian packages: ${missing[*]}" >&2
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}" >&2; then
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}" >&2
  fi
}

ensure_system_deps() {
  # SpatiaLite (+ GEOS, rttopo), SQLite, PROJ with its database, ncurses (console).
  apt_ensure libspatialite-dev libsqlite3-dev libproj-dev proj-data libncurses-dev pkg-config
}

swift_build() {
  local config="${1:-debug}"
  command -v swift >/dev/null || { echo "swift is not on PATH (Swift 6.3 expected at /opt/swift)" >&2; exit 1; }
  (cd "$ROOT" && swift build -c "$config" --product urbangrid >&2)
  URBANGRID_BIN="$ROOT/.build/$config/urbangrid"
  export URBANGRID_BIN
}
