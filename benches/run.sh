#!/usr/bin/env bash
# Times `msr run` on a million generated incident tickets: three runs, each one's wall time
# and peak memory, then the median of both.
#
#   benches/run.sh            # generates benches/data/incidents_1m.csv on first use
#
# Needs GNU time at /usr/bin/time (Debian and Ubuntu: apt-get install -y time).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x /usr/bin/time ]]; then
  echo "benches/run.sh needs GNU time at /usr/bin/time: apt-get install -y time" >&2
  exit 1
fi

data=benches/data/incidents_1m.csv
cargo build --release --quiet
if [[ ! -f $data ]]; then
  cargo bench --quiet --bench generate_incidents -- --rows 1000000 --out "$data"
fi

cmd=(target/release/msr run benches/incidents.msr --data benches/data --format json)
echo "data: $data ($(wc -c <"$data") bytes, $(($(wc -l <"$data") - 1)) rows)"
echo "command: ${cmd[*]} > /dev/null"

report=$(mktemp)
trap 'rm -f "$report"' EXIT
walls=()
rss=()
for run in 1 2 3; do
  /usr/bin/time -v -o "$report" "${cmd[@]}" >/dev/null
  # GNU time writes the wall time as [h:]mm:ss.ss; turn it into seconds.
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
           n = split($2, p, ":"); s = 0
           for (i = 1; i <= n; i++) s = s * 60 + p[i]
           printf "%.2f", s }' "$report")
  kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$report")
  echo "run $run: wall ${wall} s, max RSS $((kib / 1024)) MiB"
  walls+=("$wall")
  rss+=("$kib")
done

median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
echo "median: wall $(median "${walls[@]}") s, max RSS $(($(median "${rss[@]}") / 1024)) MiB"
