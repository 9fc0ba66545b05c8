# Sourced by scripts/run and scripts/test: make or reuse .venv with the project installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SALESBOT_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "salesbot needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
  fi
  echo "setting up $VENV (first run only)…" >&2
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
fi
# Reinstall only when the project's requirements changed since the last install.
stamp="$VENV/.salesbot-installed"
want="$(cat "$ROOT/pyproject.toml" | sha1sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "installing salesbot and its dependencies into $VENV…" >&2
  if ! "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]" >"$VENV/install.log" 2>&1; then
    cat "$VENV/install.log" >&2
    echo "installation failed (log: $VENV/install.log)" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
