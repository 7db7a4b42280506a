#!/usr/bin/env bash
# Times re-evaluation at the `msr repl` prompt over a million generated incident tickets:
# a scripted session loads benches/incidents.msr, reads the dataset once, then redefines
# measures of three shapes and evaluates an expression, each ten times, with `:set timing
# on`. Prints the time of the first evaluation (which reads the dataset) and the median
# time of each shape. A time covers the whole input: parsing, checking the programme,
# evaluating and printing.
#
#   benches/repl.sh            # generates benches/data/incidents_1m.csv on first use
set -euo pipefail
cd "$(dirname "$0")/.."

data=benches/data/incidents_1m.csv
cargo build --release --quiet
if [[ ! -f $data ]]; then
  cargo bench --quiet --bench generate_incidents -- --rows 1000000 --out "$data"
fi

script=$(mktemp)
trap 'rm -f "$script"' EXIT
{
  echo ":set timing on"
  echo "incidents_total"
  # A filtered count that nothing else uses.
  for s in high critical medium high critical medium high critical medium high; do
    echo "measure high_or_critical : Count = count(incidents where severity >= $s)"
  done
  # A count that a rate and an indicator use, both by business unit.
  for h in 48 72 96 24 48 72 96 24 48 72; do
    echo "measure resolved_within_72h : Count = count(incidents where resolved_at - opened_at <= ${h}h)"
  done
  # A 90th percentile by month, which keeps every value.
  for p in 90 95 50 90 95 50 90 95 50 90; do
    echo "measure p90_detection_delay : Duration ="
    echo "  percentile($p, detected_at - opened_at for incidents) by month(opened_at)"
  done
  # An expression, not kept.
  for c in 100 500 1000 5000 100 500 1000 5000 100 500; do
    echo "count(incidents where cost > $c)"
  done
} >"$script"

cmd=(target/release/msr repl benches/incidents.msr --data benches/data)
echo "data: $data ($(wc -c <"$data") bytes, $(($(wc -l <"$data") - 1)) rows)"
echo "command: ${cmd[*]} < script ($(wc -l <"$script") lines)"

"${cmd[@]}" <"$script" | awk '
  /^time: / { t[++n] = $2 }
  function median(from, to,   i, j, k, v, tmp) {
    k = 0
    for (i = from; i <= to; i++) v[++k] = t[i]
    for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
      tmp = v[j]; v[j] = v[j - 1]; v[j - 1] = tmp
    }
    return (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
  }
  END {
    if (n != 42) { print "expected 42 timed inputs, got " n > "/dev/stderr"; exit 1 }
    printf "first evaluation, reading the dataset: %.1f ms\n", t[2]
    printf "redefined filtered count, nothing depends on it: median %.1f ms\n", median(3, 12)
    printf "redefined count with a rate and an indicator by business unit: median %.1f ms\n", median(13, 22)
    printf "redefined percentile by month: median %.1f ms\n", median(23, 32)
    printf "expression: median %.1f ms\n", median(33, 42)
  }'
