#!/usr/bin/env bash
# Install keyproj from this offline bundle, with no network (docs/deploy.md).
#
#   sudo ./install.sh [PREFIX]        PREFIX defaults to /opt/keyproj
#
# Creates PREFIX/venv from wheels/ (pip --no-index: no registry is asked), puts the code in
# PREFIX/app (an upgrade replaces it whole; the previous one is kept as PREFIX/app.previous) and the
# collected static files in STATIC_ROOT (default /var/lib/keyproj/static). It does not touch the
# database: run migrate afterwards, as docs/deploy.md says. Needs Python 3.11 (PYTHON=… to choose).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
prefix="${1:-/opt/keyproj}"
python="${PYTHON:-python3.11}"
static_root="${STATIC_ROOT:-/var/lib/keyproj/static}"

command -v "$python" >/dev/null || { echo "install.sh: $python not found (apt-get install python3.11-venv)" >&2; exit 1; }
cat "$here/BUNDLE.txt"
mkdir -p "$prefix" "$static_root"

# The virtual environment: created once, its packages replaced by exactly the bundle's.
if [ ! -x "$prefix/venv/bin/python" ]; then
  "$python" -m venv "$prefix/venv"
fi
"$prefix/venv/bin/python" -m pip install --quiet --no-index --find-links "$here/wheels" \
  --requirement "$here/app/requirements.lock"
"$prefix/venv/bin/python" -m pip check

# The code: copied beside the old one, then swapped in.
rm -rf "$prefix/app.new"
cp -a "$here/app" "$prefix/app.new"
if [ -d "$prefix/app" ]; then
  rm -rf "$prefix/app.previous"
  mv "$prefix/app" "$prefix/app.previous"
fi
mv "$prefix/app.new" "$prefix/app"

# Static files: hashed names never clash, so the old ones stay until nginx no longer needs them.
cp -a "$here/static/." "$static_root/"

echo "keyproj installed in $prefix (static files in $static_root)."
echo "Next: the environment file, then as the keyproj user:"
echo "  set -a; . /etc/keyproj/keyproj.env; set +a"
echo "  $prefix/venv/bin/python $prefix/app/manage.py migrate"
echo "  systemctl restart keyproj-web keyproj-worker"
