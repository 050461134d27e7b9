#!/usr/bin/env bash
# The test command: installs whatever is missing, then runs every check and every test layer:
#   format, clippy (native and wasm32), the engine-only build, native tests (engine, scenarios),
#   wasm-bindgen-test in headless Chromium, the release build with its size report, and the
#   end-to-end tests (Playwright driving Chromium against the release build on 127.0.0.1).
# Every step runs even when an earlier one failed; the last line is "N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=install.sh
source scripts/install.sh
set +e
install_all || exit 1

export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export TRUNK_SKIP_VERSION_CHECK=true
LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"
PASSED=0
FAILED=0
FAILURES=()
T0=$SECONDS

# step NAME COMMAND...: run a check; count the tests it reports (cargo and node test runners),
# or count it as one check when it reports none.
step() {
  local name="$1"
  shift
  local log="$LOGS/${name// /-}.log" start=$SECONDS
  say "$name"
  "$@" >"$log" 2>&1
  local rc=$?
  local p f
  p=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}')
  if grep -q '^# pass ' "$log"; then
    p=$((p + $(awk '/^# pass /{print $3}' "$log")))
    f=$((f + $(awk '/^# fail /{print $3}' "$log")))
  fi
  if [ "$p" = 0 ] && [ "$f" = 0 ]; then
    if [ $rc = 0 ]; then p=1; else f=1; fi
  elif [ $rc != 0 ] && [ "$f" = 0 ]; then
    f=1 # the runner failed without a failing test (a build error, say)
  fi
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  grep -E '^# (screenshot|timing|size)' "$log" | sed 's/^# /    /'
  if [ $rc = 0 ]; then
    printf '    ok: %s passed (%ss)\n' "$p" $((SECONDS - start))
  else
    FAILURES+=("$name")
    printf '    FAILED (%ss); the end of %s:\n' $((SECONDS - start)) "${log#"$ROOT"/}"
    tail -n 40 "$log" | sed 's/^/    | /'
  fi
}

no_web_crates_in_engine() {
  cargo build --no-default-features --quiet || return 1
  local found
  found=$(cargo tree --no-default-features -e normal --prefix none | grep -E '^(yew|web-sys|gloo|wasm-bindgen|js-sys) ' || true)
  if [ -n "$found" ]; then
    echo "the engine build pulls in web crates:"
    echo "$found"
    return 1
  fi
  echo "engine build has no web crates"
}

release_build_and_size() {
  trunk build --release --offline || return 1
  node scripts/size-report.mjs dist
}

step "cargo fmt --check" cargo fmt --all --check
step "clippy native" cargo clippy --all-targets --locked -- -D warnings
step "clippy wasm32" cargo clippy --target wasm32-unknown-unknown --features web --lib --bins --tests --locked -- -D warnings
step "engine without web crates" no_web_crates_in_engine
step "native tests" cargo test --locked
step "browser component tests" cargo test --target wasm32-unknown-unknown --features web --bin playground --locked
step "release build and size" release_build_and_size
step "end-to-end in Chromium" node --test --test-concurrency=1 tests/e2e/

echo
say "finished in $((SECONDS - T0)) s; logs in target/test-logs/"
if [ ${#FAILURES[@]} -gt 0 ]; then
  printf 'failed steps: %s\n' "${FAILURES[*]}"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
