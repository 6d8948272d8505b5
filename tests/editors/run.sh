#!/usr/bin/env bash
# Runs one editor-client test (registered in tests/editors/CMakeLists.txt). A missing editor or
# missing node_modules is a failure with a message, never a skip: ./setup.sh installs them.
# Environment: MLROAST_SOURCE_DIR (the repository), MLROAST_BINARY (the mlroast to test).
set -euo pipefail
src=${MLROAST_SOURCE_DIR:?MLROAST_SOURCE_DIR is not set}
: "${MLROAST_BINARY:?MLROAST_BINARY is not set}"

fail() { echo "editor test: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "'$1' is not installed ($2; ./setup.sh installs it)"; }
need_node_modules() {
  need node "Node.js"
  [ -d "$src/editors/vscode/node_modules/vscode-languageserver-protocol" ] ||
    fail "editors/vscode/node_modules is missing: run 'npm ci' there (./setup.sh does)"
}

case "${1:-}" in
  vscode-compile)
    need_node_modules
    cd "$src/editors/vscode" && exec node node_modules/typescript/bin/tsc -p ./ ;;
  node)
    need_node_modules
    cd "$src/editors/vscode" && exec node --test --test-reporter=spec "test/${2:?test name}.test.js" ;;
  nvim)
    need nvim "Debian package neovim"
    exec nvim --headless --clean -c "luafile $src/tests/editors/nvim_test.lua" </dev/null ;;
  emacs)
    need emacs "Debian packages emacs-nox and elpa-eglot"
    exec emacs -Q --batch -l "$src/tests/editors/emacs_test.el" </dev/null ;;
  *) fail "usage: run.sh vscode-compile | node NAME | nvim | emacs" ;;
esac
