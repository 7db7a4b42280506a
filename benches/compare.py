"""Helper of benches/compare.sh: the DuckDB side of the msr-vs-DuckDB benchmark, the check
that both tools give the same answers, and the summary table.

    python compare.py duckdb  --csv FILE --threads N --out RESULTS.json
    python compare.py check   MSR.json DUCKDB.json [MSR.json DUCKDB.json ...]
    python compare.py summary --csv FILE --msr TIME.txt... --duckdb TIME.txt...

Only `duckdb` imports the duckdb package; the other commands use the standard library.

The three questions, as benches/incidents.msr asks them over the whole file:
  (a) the count of high and critical incidents;
  (b) per business unit, the mean time to resolve (over resolved incidents) and the share
      of all the unit's incidents resolved within 72 hours;
  (c) per month of opened_at (UTC), the count and the 90th percentile of detected_at -
      opened_at, interpolated linearly.
msr also reports the total over all groups for (b) and (c), so the DuckDB queries group
by ROLLUP to compute those totals as well, and the check compares them too.
"""

import argparse
import json
import math
import statistics
import sys

# The columns of the generated file, typed as benches/incidents.msr declares them. NOT
# NULL stands for a column msr declares without `?`: msr rejects a row that leaves one
# empty, so DuckDB checks the same.
SEVERITIES = ["low", "medium", "high", "critical"]
CATEGORIES = [
    "phishing",
    "malware",
    "unauthorised_access",
    "policy_violation",
    "lost_device",
    "data_leakage",
    "vulnerability_exploitation",
    "denial_of_service",
]


def sql_list(values):
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


CREATE_TABLE = f"""
CREATE TYPE severity AS ENUM ({sql_list(SEVERITIES)});
CREATE TYPE incident_category AS ENUM ({sql_list(CATEGORIES)});
CREATE TABLE incidents (
    id            VARCHAR     NOT NULL,
    opened_at     TIMESTAMPTZ NOT NULL,
    detected_at   TIMESTAMPTZ,
    resolved_at   TIMESTAMPTZ,
    severity      severity    NOT NULL,
    category      incident_category NOT NULL,
    business_unit VARCHAR     NOT NULL,
    cost          DOUBLE
);
"""

# The dialect is stated in full so DuckDB neither sniffs it nor guesses types.
COPY = """
COPY incidents FROM '{path}'
    (FORMAT csv, HEADER true, AUTO_DETECT false, DELIMITER ',', QUOTE '"', ESCAPE '"')
"""

# Durations are taken in whole microseconds, as msr holds them. DuckDB's own interval
# arithmetic would not do: avg() of an INTERVAL averages its day and microsecond parts
# apart, which drifts from the exact mean by a fraction of a second. An ENUM compared
# with `>=` and a text literal compares text in this DuckDB, so (a) names the categories.
QUERY_A = """
SELECT count(*) FROM incidents WHERE severity IN ('high', 'critical')
"""

QUERY_B = """
SELECT
    grouping(business_unit) AS is_total,
    business_unit,
    avg(epoch_us(resolved_at) - epoch_us(opened_at)) / 1e6 AS mean_seconds,
    count(*) FILTER (WHERE epoch_us(resolved_at) - epoch_us(opened_at) <= 259200000000)
        / count(*) AS share_72h
FROM incidents
GROUP BY ROLLUP (business_unit)
"""

QUERY_C = """
SELECT
    grouping(month) AS is_total,
    strftime(month, '%Y-%m') AS month,
    count(*) AS incidents,
    quantile_cont(epoch_us(detected_at) - epoch_us(opened_at), 0.9) / 1e6 AS p90_seconds
FROM (SELECT date_trunc('month', opened_at) AS month, opened_at, detected_at FROM incidents)
GROUP BY ROLLUP (month)
"""

TOTAL = "(total)"
NONE = "(none)"


def run_duckdb(args):
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(args.threads)}")
    # msr's periods and month buckets are in UTC.
    con.execute("SET TimeZone = 'UTC'")
    con.execute(CREATE_TABLE)
    con.execute(COPY.format(path=args.csv.replace("'", "''")))

    (high_or_critical,) = con.execute(QUERY_A).fetchone()
    by_unit = {}
    for is_total, unit, mean_seconds, share in con.execute(QUERY_B).fetchall():
        key = TOTAL if is_total else (NONE if unit is None else unit)
        by_unit[key] = {"mean_seconds": mean_seconds, "share_72h": share}
    by_month = {}
    for is_total, month, count, p90 in con.execute(QUERY_C).fetchall():
        key = TOTAL if is_total else (NONE if month is None else month)
        by_month[key] = {"count": count, "p90_seconds": p90}

    results = {
        "tool": "duckdb",
        "version": duckdb.__version__,
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "high_or_critical": high_or_critical,
        "by_unit": by_unit,
        "by_month": by_month,
    }
    with open(args.out, "w") as out:
        json.dump(results, out, indent=1, sort_keys=True)


def msr_answers(path):
    """The answers to (a), (b) and (c) in an `msr run --format json` report."""
    with open(path) as f:
        report = json.load(f)
    measures = {m["name"]: m for m in report["measures"]}

    def groups(name):
        m = measures[name]
        values = {g["key"]: g["value"] for g in m["groups"]}
        values[TOTAL] = m["value"]
        return values

    mean = groups("mean_time_to_resolve")
    share = groups("sla_rate")
    count = groups("incidents_by_month")
    p90 = groups("p90_detection_delay")
    return {
        "whole_data": report["whole_data"],
        "high_or_critical": measures["high_or_critical"]["value"],
        "by_unit": {k: {"mean_seconds": mean[k], "share_72h": share.get(k)} for k in mean},
        "by_month": {k: {"count": count[k], "p90_seconds": p90.get(k)} for k in count},
    }


def same_number(a, b):
    if a is None or b is None:
        return a is None and b is None
    # msr prints durations rounded to the microsecond; DuckDB's are doubles.
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=2e-6)


def differences(msr, duck):
    """Every disagreement between the two sets of answers, as text, and the largest gap
    seen in each float answer."""
    problems = []
    gaps = {"mean_seconds": 0.0, "share_72h": 0.0, "p90_seconds": 0.0}
    if not msr["whole_data"]:
        problems.append("msr did not use the whole file (a period was applied)")
    if msr["high_or_critical"] != duck["high_or_critical"]:
        problems.append(
            f"(a) high or critical: msr {msr['high_or_critical']}, "
            f"duckdb {duck['high_or_critical']}"
        )

    def compare(label, ours, theirs, fields, counted):
        for key in sorted(set(ours) | set(theirs)):
            if key not in theirs:
                # msr lists a bucket with no rows (count 0, no value); DuckDB has no row.
                if counted and ours[key].get("count") == 0:
                    continue
                problems.append(f"{label} {key!r}: only msr has it: {ours[key]}")
                continue
            if key not in ours:
                problems.append(f"{label} {key!r}: only duckdb has it: {theirs[key]}")
                continue
            for field in fields:
                a, b = ours[key][field], theirs[key][field]
                if field == "count":
                    ok = a == b
                else:
                    ok = same_number(a, b)
                    if a is not None and b is not None:
                        gaps[field] = max(gaps[field], abs(a - b))
                if not ok:
                    problems.append(f"{label} {key!r} {field}: msr {a}, duckdb {b}")

    compare("(b) unit", msr["by_unit"], duck["by_unit"], ["mean_seconds", "share_72h"], False)
    compare("(c) month", msr["by_month"], duck["by_month"], ["count", "p90_seconds"], True)
    return problems, gaps


def run_check(args):
    if len(args.files) % 2:
        sys.exit("check: give msr and DuckDB results in pairs")
    pairs = list(zip(args.files[::2], args.files[1::2]))
    failed = False
    for rep, (msr_path, duck_path) in enumerate(pairs, 1):
        msr = msr_answers(msr_path)
        with open(duck_path) as f:
            duck = json.load(f)
        problems, gaps = differences(msr, duck)
        if rep == 1:
            units = sum(1 for k in msr["by_unit"] if k != TOTAL)
            months = sum(1 for k in msr["by_month"] if k != TOTAL)
            print(
                f"answers compared: (a) high or critical = {msr['high_or_critical']} "
                f"(duckdb {duck['high_or_critical']}); (b) {units} units and the total; "
                f"(c) {months} months and the total"
            )
            print(
                "largest gaps: mean time to resolve {:.3g} s, share within 72 h {:.3g}, "
                "p90 detection delay {:.3g} s".format(
                    gaps["mean_seconds"], gaps["share_72h"], gaps["p90_seconds"]
                )
            )
        if problems:
            failed = True
            print(f"MISMATCH in repetition {rep} ({len(problems)} differences):")
            for p in problems[:40]:
                print("  " + p)
            if len(problems) > 40:
                print(f"  ... and {len(problems) - 40} more")
    if failed:
        sys.exit(1)
    print(f"answers agree in all {len(pairs)} repetitions")


def time_report(path):
    """Wall time (s), max RSS (KiB), CPU time (s) and exit status from `/usr/bin/time -v`."""
    fields = {}
    with open(path) as f:
        for line in f:
            name, _, value = line.strip().rpartition(": ")
            fields[name] = value
    wall = 0.0
    # [h:]mm:ss.ss
    for part in fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return {
        "wall": wall,
        "rss_kib": int(fields["Maximum resident set size (kbytes)"]),
        "cpu": float(fields["User time (seconds)"]) + float(fields["System time (seconds)"]),
        "status": int(fields["Exit status"]),
    }


def mib(kib):
    return kib / 1024


def run_summary(args):
    import os

    size = os.path.getsize(args.csv)
    tools = [("msr", [time_report(p) for p in args.msr]),
             ("duckdb", [time_report(p) for p in args.duckdb])]
    medians = {}
    rows = []
    for name, runs in tools:
        wall = statistics.median(r["wall"] for r in runs)
        rss = statistics.median(r["rss_kib"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        medians[name] = (wall, rss)
        rows.append((
            name,
            f"{wall:.2f} s",
            ", ".join(f"{r['wall']:.2f}" for r in runs),
            f"{mib(rss):.0f} MiB",
            f"{cpu:.2f} s",
        ))
    header = ("tool", "median wall", "all runs (s)", "median max RSS", "median CPU (user+sys)")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    (mw, mr), (dw, dr) = medians["msr"], medians["duckdb"]
    print(f"ratio msr/duckdb of the medians: wall {mw / dw:.2f}x, max RSS {mr / dr:.2f}x")
    verdict = "within" if mr * 1024 <= size else "over"
    print(
        f"CSV file: {size} bytes ({size / 2**20:.0f} MiB); msr's peak is "
        f"{mr * 1024 / size:.2f}x the file: {verdict} the target of at most the file size"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("duckdb", help="load the CSV into DuckDB and answer the questions")
    p.add_argument("--csv", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=run_duckdb)
    p = sub.add_parser("check", help="compare msr's answers with DuckDB's")
    p.add_argument("files", nargs="+", metavar="MSR.json DUCKDB.json")
    p.set_defaults(run=run_check)
    p = sub.add_parser("summary", help="print the timing table")
    p.add_argument("--csv", required=True)
    p.add_argument("--msr", nargs="+", required=True)
    p.add_argument("--duckdb", nargs="+", required=True)
    p.set_defaults(run=run_summary)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
