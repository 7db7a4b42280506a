#!/usr/bin/env bash
# Times `msr check` on a generated programme of 1,000 measures (or --measures N): the
# median wall time of five runs, as GNU time reports it.
#
#   benches/check.sh [--measures N]
set -euo pipefail
cd "$(dirname "$0")/.."

measures=1000
if [[ ${1:-} == --measures ]]; then
  measures=${2:?--measures needs a number}
fi

cargo build --release --quiet
file=benches/data/check_${measures}.msr
mkdir -p benches/data

# Four shapes of measure in turn: a filtered count, a grouped mean of durations, a ratio
# of two measures, and a grouped sum with a membership test.
{
  echo 'scale Severity = ordinal [low, medium, high, critical]'
  echo 'dataset incidents { source "incidents.csv"'
  echo '  time opened_at'
  echo '  opened_at : DateTime'
  echo '  resolved_at : DateTime?'
  echo '  severity : Severity'
  echo '  business_unit : Text'
  echo '  cost : Number? }'
  for ((i = 0; i < measures; i++)); do
    case $((i % 4)) in
      0) echo "measure m$i \"Measure $i\" : Count = count(incidents where severity >= high and resolved_at - opened_at <= $((i % 90 + 1))h)" ;;
      1) echo "measure m$i : Duration = mean(resolved_at - opened_at for incidents where resolved_at is not none) by business_unit" ;;
      2) echo "measure m$i : Percent = m$((i - 2)) / m$((i - 2))" ;;
      3) echo "measure m$i : Number = sum(cost for incidents where business_unit in [\"A\", \"B\"]) by month(opened_at)" ;;
    esac
  done
} >"$file"

echo "programme: $file ($measures measures, $(wc -c <"$file") bytes)"
times=()
for run in 1 2 3 4 5; do
  start=$(date +%s%N)
  target/release/msr check "$file" 2>/dev/null
  end=$(date +%s%N)
  ms=$(((end - start) / 1000000))
  echo "run $run: ${ms} ms"
  times+=("$ms")
done
echo "median: $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) ms"
