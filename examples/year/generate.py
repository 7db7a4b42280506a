#!/usr/bin/env python3
"""Writes the data of the twelve-month example: a year of an ISMS's records.

Everything is drawn from a fixed seed, so running this script again writes the same
files:

    python3 examples/year/generate.py

The files look like exports taken on 2026-01-05:

- units.csv: the organisation chart, each unit and the unit it reports to;
- incidents.csv: security incidents detected in 2025, with their unit, severity, when they
  were detected and resolved, and their direct cost in EUR;
- staff.csv: the workforce, with the date of each person's last awareness training;
- assets.csv: the asset inventory, with the unit that owns each asset and whether it faces
  the internet;
- findings.csv: vulnerability scanner findings on those assets, with when each was
  detected and mitigated (empty while open);
- reviews.csv: the policies of the ISMS and when each was last reviewed.

The year has a shape, so that the trend criteria have something to find: incidents climb
through the summer and peak in October, resolution slows down in the second half, the
awareness campaign of March and April shows in the training window, and two units
(Sales and Legal) lag behind throughout.
"""

import csv
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

SEED = 27004_2025
HERE = Path(__file__).parent
UTC = timezone.utc

UNITS = [
    ("Group", ""),
    ("Operations", "Group"),
    ("IT Operations", "Operations"),
    ("Engineering", "Operations"),
    ("Commercial", "Group"),
    ("Sales", "Commercial"),
    ("Marketing", "Commercial"),
    ("Corporate", "Group"),
    ("Finance", "Corporate"),
    ("Legal", "Corporate"),
    ("Human Resources", "Corporate"),
]
LEAVES = [u for u, _ in UNITS if u not in {p for _, p in UNITS}]
# How slow each unit is, as a factor on resolution and remediation times.
SLOWNESS = {
    "IT Operations": 0.5,
    "Engineering": 0.8,
    "Sales": 1.9,
    "Marketing": 1.1,
    "Finance": 0.9,
    "Legal": 2.2,
    "Human Resources": 1.3,
}
UNIT_WEIGHTS = {
    "IT Operations": 26,
    "Engineering": 22,
    "Sales": 16,
    "Marketing": 8,
    "Finance": 12,
    "Legal": 6,
    "Human Resources": 10,
}

SEVERITIES = ["low", "medium", "high", "critical"]
SEVERITY_WEIGHTS = [45, 35, 15, 5]
# Hours to resolve an incident, typically, by severity.
RESOLVE_HOURS = {"low": 60, "medium": 40, "high": 30, "critical": 12}
# Incidents detected per month: climbing through the summer, peaking in October.
MONTHLY_INCIDENTS = [62, 58, 66, 64, 71, 78, 86, 95, 104, 150, 118, 90]
# Resolution gets slower in the second half of the year.
MONTHLY_PRESSURE = [1.0, 0.95, 1.0, 1.0, 1.05, 1.1, 1.2, 1.3, 1.35, 1.5, 1.4, 1.25]


def timestamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def pick(rng, weights):
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def write(name, header, rows):
    with open(HERE / name, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def incidents(rng):
    rows = []
    number = 0
    for month, count in enumerate(MONTHLY_INCIDENTS, start=1):
        start = datetime(2025, month, 1, tzinfo=UTC)
        days = (datetime(2025 + month // 12, month % 12 + 1, 1, tzinfo=UTC) - start).days
        for _ in range(count):
            number += 1
            unit = pick(rng, UNIT_WEIGHTS)
            severity = rng.choices(SEVERITIES, SEVERITY_WEIGHTS)[0]
            detected = start + timedelta(seconds=rng.randrange(days * 86400))
            hours = rng.expovariate(1 / RESOLVE_HOURS[severity])
            hours *= SLOWNESS[unit] * MONTHLY_PRESSURE[month - 1]
            resolved = detected + timedelta(hours=hours)
            # A few stay open past the export.
            open_ = rng.random() < 0.02 or resolved > datetime(2026, 1, 5, tzinfo=UTC)
            cost = ""
            if severity in ("high", "critical") or rng.random() < 0.2:
                base = {"low": 400, "medium": 2500, "high": 12000, "critical": 60000}[severity]
                cost = f"{base * rng.lognormvariate(0, 0.6):.2f}"
            rows.append([
                f"INC-{number:05d}",
                unit,
                severity,
                timestamp(detected),
                "" if open_ else timestamp(resolved),
                cost,
            ])
    write(
        "incidents.csv",
        ["id", "business_unit", "severity", "detected_at", "resolved_at", "cost_eur"],
        rows,
    )


def staff(rng):
    rows = []
    for number in range(1, 421):
        unit = pick(rng, UNIT_WEIGHTS)
        lag = SLOWNESS[unit]
        r = rng.random()
        if r < 0.04 * lag:
            trained = ""
        elif r < 0.42:
            # The campaign of March and April 2025.
            trained = date(2025, 3, 1) + timedelta(days=rng.randrange(61))
        elif r < 0.52:
            trained = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
        else:
            # Trained in the second half of 2024, dropping out of the 365-day window in
            # the second half of 2025.
            trained = date(2024, 6, 1) + timedelta(days=rng.randrange(214))
        if trained and lag > 1.5 and rng.random() < 0.35:
            trained = date(2023, 6, 1) + timedelta(days=rng.randrange(200))
        rows.append([f"E{number:04d}", unit, trained.isoformat() if trained else ""])
    write("staff.csv", ["employee", "business_unit", "trained_on"], rows)


def assets_and_findings(rng):
    assets = []
    for number in range(1, 241):
        unit = pick(rng, UNIT_WEIGHTS)
        exposed = rng.random() < 0.15
        assets.append([f"A{number:04d}", f"host-{number:04d}", unit, "true" if exposed else "false"])
    write("assets.csv", ["asset_id", "hostname", "business_unit", "internet_facing"], assets)

    findings = []
    number = 0
    for month in range(1, 13):
        for _ in range(rng.randrange(55, 85)):
            number += 1
            asset = rng.choice(assets)
            unit = asset[2]
            severity = rng.choices(SEVERITIES, [40, 35, 18, 7])[0]
            detected = datetime(2025, month, 1, tzinfo=UTC) + timedelta(
                seconds=rng.randrange(28 * 86400)
            )
            typical = {"low": 120, "medium": 60, "high": 25, "critical": 6}[severity]
            days = rng.expovariate(1 / typical) * SLOWNESS[unit]
            mitigated = detected + timedelta(days=days)
            open_ = mitigated > datetime(2026, 1, 5, tzinfo=UTC) or rng.random() < 0.03
            findings.append([
                f"F{number:05d}",
                asset[0],
                severity,
                timestamp(detected),
                "" if open_ else timestamp(mitigated),
            ])
    write(
        "findings.csv",
        ["finding_id", "asset_id", "severity", "detected_at", "mitigated_at"],
        findings,
    )


def reviews():
    rows = [
        ["Information security policy", "2025-02-14"],
        ["Access control policy", "2025-05-20"],
        ["Incident management procedure", "2024-09-30"],
        ["Backup policy", "2025-08-11"],
        ["Acceptable use policy", "2024-11-03"],
    ]
    write("reviews.csv", ["policy", "reviewed_on"], rows)


def main():
    rng = random.Random(SEED)
    write("units.csv", ["unit", "parent"], UNITS)
    incidents(rng)
    staff(rng)
    assets_and_findings(rng)
    reviews()


if __name__ == "__main__":
    main()
