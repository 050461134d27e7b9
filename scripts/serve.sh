#!/usr/bin/env bash
# The serve command: installs whatever is missing, then builds the app and serves it on
# http://127.0.0.1:8080 (trunk rebuilds and reloads the page when a source file changes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=install.sh
source scripts/install.sh
install_all
export TRUNK_SKIP_VERSION_CHECK=true
say "serving StatefulSet Playground on http://127.0.0.1:8080 (Ctrl+C stops)"
exec trunk serve --release --offline "$@"
