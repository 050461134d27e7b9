#!/usr/bin/env bash
# Installs whatever the build and the tests need and is not there yet. Idempotent: every step
# checks first and skips what is installed, so a warm run takes about a second.
# Sourced by scripts/serve.sh and scripts/test.sh; run on its own it installs everything.
#
# Pinned versions (see docs/toolchain.md for why these):
TRUNK_VERSION=0.21.14        # 0.22.x needs rustc >= 1.96.1
NODE_PACKAGES_DIR=tests/e2e  # playwright-core and binaryen (wasm-opt 132) from package-lock.json
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() {
  printf '\nerror: %s\n' "$*" >&2
  exit 1
}

export PATH="$HOME/.cargo/bin:$ROOT/$NODE_PACKAGES_DIR/node_modules/.bin:$PATH"

have() { command -v "$1" >/dev/null 2>&1; }

apt_install() {
  # Debian packages; only where apt exists. $@ = package names.
  if ! have apt-get; then
    die "this machine has no apt-get, so these packages cannot be installed for you: $*
Install them with your system's package manager, then run this command again."
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    have sudo || die "installing $* needs root (or sudo). Install them by hand, then rerun."
    sudo="sudo"
  fi
  say "apt-get install $*"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

need_rust() {
  have cargo && have rustup || die "the Rust toolchain is missing: install rustup (https://rustup.rs), then rerun."
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      say "rustup component add $component"
      rustup component add "$component"
    fi
  done
}

# The wasm-bindgen version Cargo.lock resolved: the CLI must match it exactly.
locked_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_wasm_bindgen() {
  local want
  want="$(locked_wasm_bindgen)"
  [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen version; run 'cargo generate-lockfile'."
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "cargo install wasm-bindgen-cli $want (about 2 minutes, once)"
    # --locked fails on this registry mirror (a pinned dependency is missing), so fall back.
    cargo install wasm-bindgen-cli --version "$want" --locked --quiet 2>/dev/null ||
      cargo install wasm-bindgen-cli --version "$want" --quiet
  fi
}

need_trunk() {
  if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
    say "cargo install trunk $TRUNK_VERSION (about 4 minutes, once)"
    # No default features: trunk's own downloaders are never used (we run offline), and a thin
    # release profile halves the build time with identical output.
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install trunk --version "$TRUNK_VERSION" --locked --no-default-features --quiet
  fi
}

need_node_packages() {
  have node && have npm || apt_install nodejs npm
  local stamp="$NODE_PACKAGES_DIR/node_modules/.installed-lock"
  if ! cmp -s "$NODE_PACKAGES_DIR/package-lock.json" "$stamp" 2>/dev/null; then
    say "npm ci (playwright-core, binaryen for wasm-opt)"
    (cd "$NODE_PACKAGES_DIR" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$NODE_PACKAGES_DIR/package-lock.json" "$stamp"
  fi
  [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" = 132 ] ||
    die "wasm-opt 132 was expected from $NODE_PACKAGES_DIR/node_modules/.bin; delete $NODE_PACKAGES_DIR/node_modules and rerun."
}

need_chromium() {
  if ! have chromium || ! have chromedriver; then
    apt_install chromium chromium-driver
  fi
}

need_crates() {
  # trunk runs cargo with --offline; fetch once so every crate is in the local registry.
  cargo fetch --quiet
}

install_all() {
  local start=$SECONDS
  need_rust
  need_crates
  need_wasm_bindgen
  need_trunk
  need_node_packages
  need_chromium
  say "tools ready ($((SECONDS - start)) s)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  install_all
fi
