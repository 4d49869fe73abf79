# shellcheck shell=bash
# Source this file, then call `ensure_venv` to get the repository's Python venv.
#
#   ensure_venv [DIR [REQUIREMENTS]] -> creates/updates <repo>/DIR (default .venv) from
#                                       REQUIREMENTS (default tools/requirements.txt), sets VENV_PYTHON
#
# The venv is built from Debian's /usr/bin/python3 (not a pyenv/other python3 on
# PATH: Debian's build can load SQLite extensions such as mod_spatialite).
# `pip install -r tools/requirements.txt` runs only when that file changed since
# the last successful install (sha256 stamp in .venv/.requirements.sha256).

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

_python_venv_repo_root() {
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  (cd "$here/../.." && pwd)
}


ensure_venv() {
  local root venv req stamp want
  root="$(_python_venv_repo_root)"
  venv="$root/${1:-.venv}"
  req="$root/${2:-tools/requirements.txt}"
  stamp="$venv/.requirements.sha256"

  # A venv made from another interpreter is replaced.
  if [ -f "$venv/pyvenv.cfg" ] && ! grep -Eq '^home = /usr/bin/?$' "$venv/pyvenv.cfg"; then
    echo "ensure_venv: $venv was not built from /usr/bin/python3; recreating it" >&2
    rm -rf -- "$venv"
  fi
  if [ ! -x "$venv/bin/python" ]; then
    apt_ensure python3 python3-venv
    /usr/bin/python3 -m venv "$venv"
    rm -f -- "$stamp"
  fi

  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "ensure_venv: installing ${2:-tools/requirements.txt} into ${1:-.venv}" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
    echo "$want" >"$stamp"
  fi
  VENV_PYTHON="$venv/bin/python"
  export VENV_PYTHON
}
