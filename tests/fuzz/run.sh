#!/usr/bin/env bash
# Runs the fuzz targets with cargo-fuzz, each for a fixed time, seeded from the shipped
# programmes and data, and prints how many inputs each one executed.
#
#   tests/fuzz/run.sh                      # every target, 300 s each, one after another
#   tests/fuzz/run.sh --seconds 60 load_csv parse_check
#
# Needs a nightly toolchain (rustup toolchain install nightly) and cargo-fuzz
# (cargo install cargo-fuzz). The corpus grows in tests/fuzz/corpus/TARGET and crashes land
# in tests/fuzz/artifacts/TARGET; neither is committed. A crash is turned into a regression
# test under tests/ before it is fixed.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage="usage: tests/fuzz/run.sh [--seconds N] [TARGET...]"
seconds=300
targets=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) seconds=${2:?$usage}; shift 2 ;;
    -h | --help) echo "$usage"; exit 0 ;;
    -*) echo "run.sh: unknown option '$1'" >&2; echo "$usage" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(parse_check format load_csv load_jsonl)
fi

# Seeds: every programme of the corpus and the examples for the parser and the formatter,
# and the heads of the shipped data files for the loaders.
seed() {
  local target=$1 dir=tests/fuzz/corpus/$1
  mkdir -p "$dir"
  case $target in
    parse_check | format)
      find tests/corpus examples benches stdlib -name '*.msr' -exec cp {} "$dir/" \; ;;
    load_csv)
      for f in tests/fuzz/seeds/*.csv examples/*/*.csv; do
        [[ -f $f ]] && head -c 4096 "$f" >"$dir/$(basename "$f")"
      done ;;
    load_jsonl)
      for f in tests/fuzz/seeds/*.jsonl examples/*/*.jsonl; do
        [[ -f $f ]] && head -c 4096 "$f" >"$dir/$(basename "$f")"
      done ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  seed "$target"
  log=$(mktemp)
  echo "fuzzing $target for $seconds s"
  if cargo +nightly fuzz run --fuzz-dir tests/fuzz "$target" "tests/fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=8192 -print_final_stats=1 >"$log" 2>&1; then
    runs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log")
    echo "$target: $runs executions in $seconds s, nothing found"
  else
    status=1
    echo "$target: failed; the end of its log:"
    tail -40 "$log"
  fi
  rm -f "$log"
done
exit "$status"
