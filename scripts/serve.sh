#!/usr/bin/env bash
# The serve command: installs whatever is missing, then builds the app and serves it on
# http://127.0.0.1:8080 (trunk rebuilds and reloads the page when a source file changes).
# It serves from target/serve/, not dist/: trunk serve adds its live-reload script to the page,
# which a static host must not get. dist/ is what `trunk build --release` (the test command)
# writes, and what to publish.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=install.sh
source scripts/install.sh
install_all
export TRUNK_SKIP_VERSION_CHECK=true
say "serving StatefulSet Playground on http://127.0.0.1:8080 (Ctrl+C stops)"
exec trunk serve --release --offline --dist target/serve "$@"
