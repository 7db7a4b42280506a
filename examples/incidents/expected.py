#!/usr/bin/env python3
"""Works out key results of incidents.msr for 2025-Q3 straight from incidents.csv.

This reads the CSV with the standard library and applies the measures' definitions by
hand, without msr, so that the interpreter's results can be checked against it:

    python3 examples/incidents/expected.py            # print the values
    python3 examples/incidents/expected.py --write    # also update the test fixture

The period is half-open in UTC: an incident detected at 2025-10-01T01:30:00+02:00 is
2025-09-30T23:30:00Z, so it belongs to Q3.
"""

import csv
import json
import sys
from datetime import datetime, timezone
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).parent
FIXTURE = HERE.parent.parent / "tests" / "fixtures" / "examples_expected.json"
PERIOD = "2025-Q3"
START = datetime(2025, 7, 1, tzinfo=timezone.utc)
END = datetime(2025, 10, 1, tzinfo=timezone.utc)
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}
SERVICE_LEVEL_HOURS = {"critical": 24, "high": 72, "medium": 5 * 24, "low": 10 * 24}


def instant(text):
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def micros(delta):
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def in_period(moment):
    return moment is not None and START <= moment < END


def main():
    with (HERE / "incidents.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for column in ("occurred_at", "detected_at", "resolved_at"):
            r[column] = instant(r[column])

    detected = [r for r in rows if in_period(r["detected_at"])]
    resolved = [r for r in detected if r["resolved_at"] is not None]
    to_resolve = [micros(r["resolved_at"] - r["detected_at"]) for r in resolved]

    high_or_critical = sum(1 for r in detected if SEVERITY_RANK[r["severity"]] >= 2)
    within_72h = sum(1 for t in to_resolve if t <= 72 * 3_600_000_000)
    within_target = sum(
        1
        for r in resolved
        if micros(r["resolved_at"] - r["detected_at"]) <= SERVICE_LEVEL_HOURS[r["severity"]] * 3_600_000_000
    )
    # msr keeps durations in whole microseconds and rounds a mean to the nearest one.
    mean_micros = round(Fraction(sum(to_resolve), len(to_resolve)))
    resolved_in_period = sum(1 for r in rows if in_period(r["resolved_at"]))
    finance = sum(1 for r in detected if r["business_unit"] == "Finance")

    measures = {
        "incidents_detected": len(detected),
        "high_or_critical": high_or_critical,
        "sla_72h_rate": within_72h / len(detected),
        "service_level_rate": within_target / len(detected),
        "mean_time_to_resolve": mean_micros / 1_000_000,
        "incidents_resolved": resolved_in_period,
        "incidents_by_unit.Finance": finance,
    }
    expected = {"incidents": {"period": PERIOD, "measures": measures}}
    text = json.dumps(expected, indent=2) + "\n"
    print(text, end="")
    print(
        f"(resolved within 72h: {within_72h}; within their service level: {within_target}; "
        f"mean time to resolve: {sum(to_resolve)} us over {len(to_resolve)} incidents)",
        file=sys.stderr,
    )
    if "--write" in sys.argv[1:]:
        FIXTURE.write_text(text, encoding="utf-8")
        print(f"wrote {FIXTURE}", file=sys.stderr)


if __name__ == "__main__":
    main()
