#!/usr/bin/env bash
# clang-tidy over the project's sources with the checked-in .clang-tidy, using the compile
# database of build/ (CMAKE_EXPORT_COMPILE_COMMANDS is on; run ./setup.sh first). Any finding
# fails (WarningsAsErrors). Arguments: files to check (default: every .cpp of analysis/,
# protocol/, server/ and cli/). TIDY_JOBS parallel processes (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-tidy >/dev/null || {
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq clang-tidy >&2
  else sudo apt-get update -qq && sudo apt-get install -y -qq clang-tidy >&2; fi
}
[ -f build/compile_commands.json ] || { echo "tidy: build/compile_commands.json missing: run ./setup.sh" >&2; exit 1; }
if [ $# -gt 0 ]; then files=("$@"); else
  mapfile -t files < <(find analysis protocol server cli -name '*.cpp' | sort)
fi
# The compile database is g++'s: clang does not know some of its warning flags.
printf '%s\n' "${files[@]}" |
  xargs -P "${TIDY_JOBS:-2}" -n 4 clang-tidy -p build --quiet \
    --extra-arg=-Wno-unknown-warning-option 2> >(grep -v 'warnings generated' >&2)
echo "tidy: ${#files[@]} files clean" >&2
