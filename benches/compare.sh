#!/usr/bin/env bash
# Times msr against DuckDB on the generated incident tickets: the same three questions on
# the same CSV file, with the same number of threads, each tool in a fresh process per
# repetition, alternating. Checks that both give the same answers, then prints the median
# wall time and peak memory of each.
#
#   benches/compare.sh                         # 1,000,000 rows, 5 repetitions
#   benches/compare.sh --rows 10000000 --reps 3
#   benches/compare.sh --msr path/to/msr       # time this binary instead of building one
#
# The questions are those of benches/incidents.msr: (a) the count of high and critical
# incidents; (b) per business unit, the mean time to resolve and the share resolved within
# 72 hours; (c) per month of opened_at, the count and the 90th percentile of the detection
# delay. The DuckDB side is benches/compare.py.
#
# Needs python3 with venv, GNU time at /usr/bin/time (apt-get install -y time), and PyPI:
# DuckDB is installed into benches/.venv on first use (DUCKDB_VERSION=X.Y.Z pins it).
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: benches/compare.sh [--rows N] [--reps R] [--msr BINARY]"
rows=1000000
reps=5
msr_bin=""
# Both tools get this many threads. msr uses every core it may run on, so on a machine
# with more cores both are pinned to this many with taskset.
threads=2

while [[ $# -gt 0 ]]; do
  case $1 in
    --rows) rows=${2:?$usage}; shift 2 ;;
    --reps) reps=${2:?$usage}; shift 2 ;;
    --msr) msr_bin=${2:?$usage}; shift 2 ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1'" >&2; echo "$usage" >&2; exit 2 ;;
  esac
done
rows=${rows//_/}
if ! [[ $rows =~ ^[1-9][0-9]*$ && $reps =~ ^[1-9][0-9]*$ ]]; then
  echo "compare.sh: --rows and --reps take positive whole numbers" >&2
  exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "compare.sh needs GNU time at /usr/bin/time: apt-get install -y time" >&2
  exit 1
fi

# 1. DuckDB in a virtual environment of its own.
venv=benches/.venv
py=$venv/bin/python
if [[ ! -x $py ]]; then
  python3 -m venv "$venv"
fi
if ! "$py" -c 'import duckdb' 2>/dev/null; then
  "$py" -m pip install --quiet --disable-pip-version-check "duckdb${DUCKDB_VERSION:+==$DUCKDB_VERSION}"
fi
duckdb_version=$("$py" -c 'import duckdb; print(duckdb.__version__)')
echo "DuckDB $duckdb_version (Python $("$py" -c 'import platform; print(platform.python_version())'))"

# 2. msr in release, and the data.
if [[ -z $msr_bin ]]; then
  cargo build --release --quiet
  msr_bin=target/release/msr
  changes=$(git status --porcelain -- src Cargo.toml Cargo.lock grammar stdlib 2>/dev/null || true)
  echo "msr: release build of $(git rev-parse --short HEAD 2>/dev/null || echo '?')${changes:+ with uncommitted changes to the source}"
else
  echo "msr: $msr_bin (given with --msr)"
fi

if ((rows % 1000000 == 0)); then
  label=$((rows / 1000000))m
elif ((rows % 1000 == 0)); then
  label=$((rows / 1000))k
else
  label=$rows
fi
csv=benches/data/incidents_$label.csv
if [[ ! -f $csv ]]; then
  cargo bench --quiet --bench generate_incidents -- --rows "$rows" --out "$csv"
fi

# The programme is benches/incidents.msr; for another file than the one its `source`
# names, a copy in the data folder differs only in that line.
source_line="source \"incidents_$label.csv\""
if grep -q "^ *$source_line *\$" benches/incidents.msr; then
  programme=benches/incidents.msr
else
  programme=benches/data/incidents_$label.msr
  sed -E "s/^( *)source \"[^\"]*\"/\1$source_line/" benches/incidents.msr >"$programme"
  if [[ $(grep -c "^ *$source_line *\$" "$programme") -ne 1 ]]; then
    echo "compare.sh: could not point a copy of benches/incidents.msr at $csv" >&2
    exit 1
  fi
fi

pin=()
cores=$(nproc)
if ((cores > threads)); then
  pin=(taskset -c "0-$((threads - 1))")
fi
msr_cmd=("${pin[@]}" "$msr_bin" run "$programme" --data benches/data --format json)
duckdb_cmd=("${pin[@]}" "$py" benches/compare.py duckdb --csv "$csv" --threads "$threads")

model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
memory=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
echo "machine: $cores cores ($model), $memory, Linux $(uname -r); load average at start:$(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/ /')"
echo "data: $csv ($(wc -c <"$csv") bytes, $rows rows)"
if ((cores > threads)); then
  echo "threads: $threads each; both pinned to cores 0-$((threads - 1)) with taskset"
else
  echo "threads: $threads each; DuckDB by SET threads = $threads, msr by using all $cores cores"
fi
echo "msr:    ${msr_cmd[*]} > RESULTS.json"
echo "duckdb: ${duckdb_cmd[*]} --out RESULTS.json"
echo "        (CREATE TABLE with typed columns, COPY the CSV in once, three queries, fetch)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The file is read once beforehand so neither tool pays for the disk, and each tool runs
# once untimed so its binary and libraries are in the page cache too.
cat "$csv" >/dev/null
"${msr_cmd[@]}" >/dev/null
"${duckdb_cmd[@]}" --out "$work/warmup.json"

# GNU time writes the wall time as [h:]mm:ss.ss and the peak memory in KiB.
brief() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
                               for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /Maximum resident set size/ { kib = $2 }
    END { printf "%.2f s, max RSS %d MiB", s, kib / 1024 }' "$1"
}

msr_times=()
duckdb_times=()
pairs=()
for ((rep = 1; rep <= reps; rep++)); do
  /usr/bin/time -v -o "$work/msr_$rep.time" "${msr_cmd[@]}" >"$work/msr_$rep.json"
  /usr/bin/time -v -o "$work/duckdb_$rep.time" "${duckdb_cmd[@]}" --out "$work/duckdb_$rep.json"
  echo "run $rep: msr $(brief "$work/msr_$rep.time"); duckdb $(brief "$work/duckdb_$rep.time")"
  msr_times+=("$work/msr_$rep.time")
  duckdb_times+=("$work/duckdb_$rep.time")
  pairs+=("$work/msr_$rep.json" "$work/duckdb_$rep.json")
done
echo "load average at end:$(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/ /')"
echo

# 4. Both must give the same answers; 5. the figures.
status=0
"$py" benches/compare.py check "${pairs[@]}" || status=$?
echo
"$py" benches/compare.py summary --csv "$csv" --msr "${msr_times[@]}" --duckdb "${duckdb_times[@]}"
exit "$status"
