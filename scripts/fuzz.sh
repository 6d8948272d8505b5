#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*_fuzz.cpp) with clang, ASan and UBSan into build-fuzz/ and
# runs each for a bounded time on its committed seed corpus (fuzz/corpus/<target>/; analysis_fuzz
# also reads tests/fixtures/). New corpus entries go to a scratch directory, never into the tree.
# Fails (exit 1) on a crash, a sanitizer report, a leak, a timeout (one input running longer
# than FUZZ_TIMEOUT) or an out-of-memory; the reproducer is left in build-fuzz/artifacts/.
# Installs clang and libclang-rt-14-dev when missing (Debian 12, as root or with sudo).
# Environment:
#   FUZZ_SECONDS  seconds per target (default 35: four targets fit the CI's former 3 x 45 s)
#   FUZZ_RUNS     stop each target after this many executions instead (0 = time only; default 0);
#                 with FUZZ_SECONDS also set, whichever comes first
#   FUZZ_TARGETS  space-separated subset of targets (default: every fuzz/*_fuzz.cpp)
#   FUZZ_TIMEOUT  seconds one input may take (default 10)
#   FUZZ_JOBS     parallel fuzzing processes per target (default 1)
#   FUZZ_MAX_LEN  the largest input tried (default 8192; rpc_fuzz 16384)
#   FUZZ_ARGS     further libFuzzer flags, e.g. `-entropic=0`: libFuzzer's entropic scheduling
#                 spends ~40% of a long analysis_fuzz campaign updating its feature frequencies
#                 (90,000 features), so long campaigns turn it off for 2-3x more inputs per second
#   FUZZ_KEEP     directory to keep the grown corpora in (default: a deleted scratch directory)
#   FUZZ_SANITIZE sanitizers of the build (default address,undefined, in build-fuzz/; any other
#                 list builds in build-fuzz-<list>/). `undefined` alone runs 2-3x more inputs per
#                 second, for long campaigns; it does not see leaks or most memory errors, so
#                 replay the grown corpus under the default build afterwards (FUZZ_RUNS=1:
#                 libFuzzer runs every corpus input once, then one more)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${FUZZ_SECONDS:-35}
runs=${FUZZ_RUNS:-0}
timeout=${FUZZ_TIMEOUT:-10}
jobs=${FUZZ_JOBS:-1}
sanitize=${FUZZ_SANITIZE:-address,undefined}
build=build-fuzz
[ "$sanitize" = "address,undefined" ] || build="build-fuzz-${sanitize//,/-}"

log() { printf 'fuzz: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
fi

if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  targets=()
  for f in fuzz/*_fuzz.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMLROAST_FUZZ=ON \
  -DMLROAST_FUZZ_SANITIZERS="$sanitize" >&2
cmake --build "$build" -j2 --target "${targets[@]}" >&2

scratch=${FUZZ_KEEP:-$(mktemp -d)}
[ -n "${FUZZ_KEEP:-}" ] || trap 'rm -rf "$scratch"' EXIT
mkdir -p "$build/artifacts"

# Per-target extras: the largest input tried and seed directories besides the committed corpus.
max_len_of() {
  if [ -n "${FUZZ_MAX_LEN:-}" ]; then echo "$FUZZ_MAX_LEN"; return; fi
  case "$1" in rpc_fuzz) echo 16384 ;; *) echo 8192 ;; esac
}
extra_seeds_of() { case "$1" in analysis_fuzz) echo "$root/tests/fixtures" ;; esac; }

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for t in "${targets[@]}"; do
  work="$scratch/$t"; mkdir -p "$work"
  args=(-max_len="$(max_len_of "$t")" -timeout="$timeout" -rss_limit_mb=2048
        -artifact_prefix="$root/$build/artifacts/$t-" -print_final_stats=1)
  [ "$runs" -gt 0 ] && args+=(-runs="$runs")
  [ "$runs" -eq 0 ] || [ -n "${FUZZ_SECONDS:-}" ] && args+=(-max_total_time="$seconds")
  [ -f "fuzz/$t.dict" ] && args+=(-dict="fuzz/$t.dict")
  [ "$jobs" -gt 1 ] && args+=(-jobs="$jobs" -workers="$jobs")
  # shellcheck disable=SC2206
  [ -n "${FUZZ_ARGS:-}" ] && args+=($FUZZ_ARGS)
  # shellcheck disable=SC2046
  log "$t: ${args[*]}"
  if "$build/fuzz/$t" "${args[@]}" "$work" "fuzz/corpus/$t" $(extra_seeds_of "$t") \
      2> "$scratch/$t.log"; then
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' \
      "$scratch/$t.log" | sed "s/^/fuzz: $t: /" >&2 || true
  else
    status=1
    log "$t FAILED; last lines of its log:"
    tail -n 60 "$scratch/$t.log" >&2
  fi
done
[ "$status" -eq 0 ] && log "all targets passed" || log "a target failed"
exit "$status"
