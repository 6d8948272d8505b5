#!/usr/bin/env bash
# Set up mlroast on a fresh Debian 12 machine (run as root, or with sudo available):
#   1. installs the Debian packages the build and tests need, when any is missing;
#   2. fetches the pinned Python grammar from the npm registry and checks its integrity hash;
#      then `npm ci` in editors/vscode (the editor-client tests) when its lock file changed;
#   3. configures and builds (Release, -j2) into build/.
# Idempotent: a second run only rebuilds what changed.
# Environment: BUILD_DIR (default build), BUILD_TYPE (default Release), CMAKE_ARGS (extra flags).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

packages=(
  build-essential cmake pkg-config git ca-certificates nodejs npm
  libtree-sitter-dev nlohmann-json3-dev libboost-dev libspdlog-dev catch2
  libtomlplusplus-dev libcli11-dev libmimalloc-dev
)
packages+=(neovim emacs-nox elpa-eglot)  # the editor-client tests (tests/editors)

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # node/npm may come from elsewhere than Debian (e.g. a preinstalled Node.js): accept any on PATH.
  local filtered=()
  for p in "${missing[@]}"; do
    case "$p" in
      nodejs) command -v node >/dev/null || filtered+=("$p") ;;
      npm) command -v npm >/dev/null || filtered+=("$p") ;;
      *) filtered+=("$p") ;;
    esac
  done
  if [ ${#filtered[@]} -gt 0 ]; then
    log "installing: ${filtered[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${filtered[@]}" >&2
  fi
}

lock_value() { sed -n "s/^$1=//p" cmake/grammar.lock; }

fetch_grammar() {
  local name version integrity dest stamp
  name=$(lock_value package); version=$(lock_value version); integrity=$(lock_value integrity)
  dest="$root/third_party/$name"
  stamp="$dest/.integrity"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$integrity" ] && [ -f "$dest/src/parser.c" ]; then
    return 0
  fi
  log "fetching $name@$version from the npm registry"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
  local tarball="$tmp/$name-$version.tgz"
  [ -f "$tarball" ] || { log "npm pack produced no $name-$version.tgz"; exit 1; }
  local actual="sha512-$(sha512sum "$tarball" | cut -d' ' -f1 | xxd -r -p | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    log "integrity mismatch for $name@$version"
    log "  expected $integrity"
    log "  got      $actual"
    exit 1
  fi
  rm -rf "$dest"; mkdir -p "$dest"
  tar -xzf "$tarball" -C "$dest" --strip-components=1 package/src package/LICENSE
  echo "$integrity" > "$stamp"
  rm -rf "$tmp"
}

# `npm ci` in each folder with a package-lock.json that the tests use (the VS Code extension and
# its protocol tests in editors/vscode; the SARIF schema test's ajv + schema in tests/sarif),
# exactly as locked, and only when the lock file changed since the last run.
install_node_modules() {
  local dir want stamp
  for dir in "$root/editors/vscode" "$root/tests/sarif"; do
    want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    stamp="$dir/node_modules/.mlroast-lock"
    if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then continue; fi
    log "npm ci in ${dir#"$root"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$want" > "$stamp"
  done
}

build() {
  local dir=${BUILD_DIR:-build} type=${BUILD_TYPE:-Release}
  # shellcheck disable=SC2086
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" ${CMAKE_ARGS:-} >&2
  cmake --build "$dir" -j2 >&2
}

install_packages "${packages[@]}" xxd
fetch_grammar
install_node_modules
build
log "ready: ${BUILD_DIR:-build}/mlroast"
