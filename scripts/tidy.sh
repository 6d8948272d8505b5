#!/usr/bin/env bash
# clang-tidy over the project's sources with the checked-in .clang-tidy, using the compile
# database of build/ (CMAKE_EXPORT_COMPILE_COMMANDS is on; run ./setup.sh first). Any finding
# fails (WarningsAsErrors). What is checked:
#   scripts/tidy.sh FILE...        those files;
#   TIDY_BASE=REF scripts/tidy.sh  the translation units changed since the merge base of REF and
#                                  HEAD (commits, staged and unstaged edits, untracked files):
#                                  every changed .cpp, and every .cpp that includes a changed
#                                  header directly or through other project headers (matched by
#                                  file name, so a superset). A change to .clang-tidy, this script,
#                                  a CMakeLists.txt or cmake/ checks the whole tree;
#   scripts/tidy.sh                the whole tree.
# The tree is every .cpp of analysis/, protocol/, server/, cli/, tests/ and bench/ in the compile
# database; headers are checked through them (HeaderFilterRegex). fuzz/ is left out: its targets
# are built only by the clang fuzz build (build-fuzz/), so build/'s database has no entry for them.
# TIDY_JOBS parallel processes (default 2); TIDY_LIST=1 prints the files instead of checking them.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-tidy >/dev/null || {
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq clang-tidy >&2
  else sudo apt-get update -qq && sudo apt-get install -y -qq clang-tidy >&2; fi
}
db=build/compile_commands.json
[ -f "$db" ] || { echo "tidy: $db missing: run ./setup.sh" >&2; exit 1; }
dirs=(analysis protocol server cli tests bench)

# The project's .cpp files that have an entry in the compile database, relative to the root.
mapfile -t tree < <(grep -o '"file": "[^"]*\.cpp"' "$db" | sed -e 's/^"file": "//' -e 's/"$//' \
  -e "s|^$PWD/||" | grep -E "^($(IFS='|'; echo "${dirs[*]}"))/" | sort -u)

# The .cpp files affected by the changes since commit $1; "all" when the
# configuration or the build changed.
affected() {
  local base=$1 changed file name
  mapfile -t changed < <({ git diff --name-only "$base"; git ls-files --others --exclude-standard; } |
    sort -u)
  local -A seen=()
  local queue=()
  for file in "${changed[@]}"; do
    case "$file" in
      .clang-tidy | scripts/tidy.sh | CMakeLists.txt | */CMakeLists.txt | cmake/*) echo all; return ;;
    esac
    [ -f "$file" ] || continue  # deleted
    case "$file" in
      *.cpp) echo "$file" ;;
      *.hpp | *.h) seen[$file]=1; queue+=("$file") ;;
    esac
  done
  # Everything that includes a changed header, transitively through headers.
  while [ ${#queue[@]} -gt 0 ]; do
    name=$(basename "${queue[0]}")
    queue=("${queue[@]:1}")
    while IFS= read -r file; do
      case "$file" in
        *.cpp) echo "$file" ;;
        *) [ -n "${seen[$file]:-}" ] || { seen[$file]=1; queue+=("$file"); } ;;
      esac
    done < <(grep -rlE --include='*.cpp' --include='*.hpp' --include='*.h' \
               "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]*/)?${name//./\\.}\"" "${dirs[@]}")
  done
}

if [ $# -gt 0 ]; then
  files=("$@")
elif [ -n "${TIDY_BASE:-}" ]; then
  base=$(git merge-base "$TIDY_BASE" HEAD) || { echo "tidy: no merge base with $TIDY_BASE" >&2; exit 1; }
  mapfile -t picked < <(affected "$base" | sort -u)
  if printf '%s\n' "${picked[@]}" | grep -qx all; then
    echo "tidy: the configuration or the build changed since $TIDY_BASE: whole tree" >&2
    files=("${tree[@]}")
  else
    # Only files the compile database knows (a changed fuzz/ or example file has no entry).
    mapfile -t files < <(comm -12 <(printf '%s\n' "${picked[@]}") <(printf '%s\n' "${tree[@]}"))
    echo "tidy: ${#files[@]} of ${#tree[@]} translation units affected since $TIDY_BASE" >&2
  fi
else
  files=("${tree[@]}")
fi
[ ${#files[@]} -gt 0 ] && [ -n "${files[0]}" ] || { echo "tidy: nothing to check" >&2; exit 0; }
[ -z "${TIDY_LIST:-}" ] || { printf '%s\n' "${files[@]}"; exit 0; }
# The compile database is g++'s: clang does not know some of its warning flags.
printf '%s\n' "${files[@]}" |
  xargs -P "${TIDY_JOBS:-2}" -n 4 clang-tidy -p build --quiet \
    --extra-arg=-Wno-unknown-warning-option 2> >(grep -v 'warnings generated' >&2)
echo "tidy: ${#files[@]} files clean" >&2
