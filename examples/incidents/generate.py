#!/usr/bin/env python3
"""Writes incidents.csv: a year of security incident tickets for the incidents example.

The tickets look like an export from a service desk taken on 2026-01-05. Each row is
an incident detected in 2025, with when it began (if the investigation established it),
when it was detected, when it was resolved (empty while open), its severity, category,
business unit, who detected it and, for assessed incidents, its direct cost in EUR.

The data is drawn from a fixed seed, so running this script again writes the same file:

    python3 examples/incidents/generate.py

Response times differ by business unit and severity on purpose, so that the example's
indicators show different statuses for different units.
"""

import csv
import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = 27004
EXPORTED_AT = datetime(2026, 1, 5, 6, 0, tzinfo=timezone.utc)
YEAR_START = datetime(2025, 1, 1, tzinfo=timezone.utc)

# Incidents detected per month; September carries a phishing campaign.
MONTHLY_VOLUME = [150, 142, 161, 155, 168, 149, 172, 158, 231, 176, 163, 145]

CATEGORIES = {
    # category: (weight, severity weights low..critical)
    "phishing": (28, [48, 38, 11, 3]),
    "malware": (15, [30, 42, 21, 7]),
    "unauthorised_access": (12, [20, 40, 30, 10]),
    "policy_violation": (12, [65, 28, 6, 1]),
    "lost_device": (10, [50, 38, 10, 2]),
    "data_leakage": (8, [15, 35, 35, 15]),
    "vulnerability_exploitation": (8, [10, 30, 40, 20]),
    "denial_of_service": (7, [20, 40, 30, 10]),
}
SEVERITIES = ["low", "medium", "high", "critical"]

# business unit: (weight, factor on resolution time)
BUSINESS_UNITS = {
    "IT Operations": (30, 0.45),
    "Engineering": (22, 0.75),
    "Sales": (18, 1.45),
    "Finance": (14, 0.9),
    "Human Resources": (9, 1.9),
    "Legal": (7, 2.6),
}

# Who noticed the incident first, by category: internal controls, a user, or an outsider.
DETECTION = {
    "phishing": [25, 70, 5],
    "malware": [80, 15, 5],
    "unauthorised_access": [65, 15, 20],
    "policy_violation": [55, 40, 5],
    "lost_device": [5, 93, 2],
    "data_leakage": [30, 20, 50],
    "vulnerability_exploitation": [60, 5, 35],
    "denial_of_service": [85, 10, 5],
}
DETECTED_BY = ["internal_control", "user_report", "external_party"]
# Median time from onset to detection, in hours, by who detected it.
DETECTION_MEDIAN_HOURS = {"internal_control": 2.5, "user_report": 9.0, "external_party": 120.0}

# Median time from detection to resolution, in hours, by severity, before the unit factor.
RESOLUTION_MEDIAN_HOURS = {"critical": 14.0, "high": 36.0, "medium": 60.0, "low": 96.0}

ASSIGNMENT_GROUPS = {"low": "Service Desk", "medium": "SOC Tier 1", "high": "SOC Tier 2", "critical": "CSIRT"}
COST_MEDIAN_EUR = {"low": 180.0, "medium": 900.0, "high": 6500.0, "critical": 42000.0}
COST_ASSESSED = {"low": 0.1, "medium": 0.35, "high": 0.85, "critical": 1.0}


def pick(rng, weights_by_name):
    names = list(weights_by_name)
    return rng.choices(names, weights=[weights_by_name[n] for n in names])[0]


def lognormal_hours(rng, median, sigma):
    return median * math.exp(rng.gauss(0.0, sigma))


def stamp(moment, offset_hours=0):
    """RFC 3339 in UTC, or in a local offset for the regional desk's tickets."""
    if offset_hours == 0:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    local = moment.astimezone(timezone(timedelta(hours=offset_hours)))
    return local.isoformat(timespec="seconds")


def month_start(month):
    return datetime(2025, month, 1, tzinfo=timezone.utc)


def detection_times(rng):
    """Detection instants for the whole year, in order, with office hours more likely."""
    times = []
    for month, volume in enumerate(MONTHLY_VOLUME, start=1):
        start = month_start(month)
        end = month_start(month + 1) if month < 12 else datetime(2026, 1, 1, tzinfo=timezone.utc)
        span = (end - start).total_seconds()
        for _ in range(volume):
            moment = start + timedelta(seconds=rng.uniform(0, span))
            # Most alerts and reports come in during the working day.
            if rng.random() < 0.6 and not 7 <= moment.hour < 19:
                moment = moment.replace(hour=rng.randint(8, 17))
            times.append(moment.replace(microsecond=0))
    times.sort()
    return times


def incident(rng, detected_at, severity=None, unit=None):
    category = pick(rng, {c: w for c, (w, _) in CATEGORIES.items()})
    drawn_severity = rng.choices(SEVERITIES, weights=CATEGORIES[category][1])[0]
    drawn_unit = pick(rng, {u: w for u, (w, _) in BUSINESS_UNITS.items()})
    severity = severity or drawn_severity
    unit = unit or drawn_unit
    detected_by = rng.choices(DETECTED_BY, weights=DETECTION[category])[0]

    to_detect = lognormal_hours(rng, DETECTION_MEDIAN_HOURS[detected_by], 1.0)
    occurred_at = (detected_at - timedelta(hours=to_detect)).replace(microsecond=0)

    factor = BUSINESS_UNITS[unit][1]
    to_resolve = lognormal_hours(rng, RESOLUTION_MEDIAN_HOURS[severity] * factor, 0.8)
    # A few tickets wait weeks on a supplier or a legal hold.
    if rng.random() < 0.02:
        to_resolve += rng.uniform(30, 120) * 24
    resolved_at = (detected_at + timedelta(hours=to_resolve)).replace(microsecond=0)
    still_open = resolved_at > EXPORTED_AT
    # Some tickets are left open long after the work is done.
    if rng.random() < 0.008:
        still_open = True

    # The onset is established by the investigation: often unknown while a ticket is open.
    onset_known = rng.random() < (0.45 if still_open else 0.93)

    cost = None
    if not still_open and rng.random() < COST_ASSESSED[severity]:
        cost = round(lognormal_hours(rng, COST_MEDIAN_EUR[severity], 0.9), 2)

    return {
        "occurred_at": occurred_at if onset_known else None,
        "detected_at": detected_at,
        "resolved_at": None if still_open else resolved_at,
        "severity": severity,
        "category": category,
        "business_unit": unit,
        "detected_by": detected_by,
        "assignment_group": ASSIGNMENT_GROUPS[severity],
        "cost_eur": cost,
    }


def boundary_cases():
    """Tickets on the edges of periods: (detected at, UTC offset written, severity, unit).

    The first two are written by the regional desk in local time. The second is
    2025-09-30T23:30Z, in September and Q3 in UTC though its local date is 1 October. The
    third is 2025-07-01T00:00Z, the first instant of Q3; the fourth the first of Q4.
    """
    utc = timezone.utc
    return [
        (datetime(2025, 6, 30, 23, 59, 59, tzinfo=utc), 2, "high", "Finance"),
        (datetime(2025, 9, 30, 23, 30, 0, tzinfo=utc), 2, "critical", "Finance"),
        (datetime(2025, 7, 1, 0, 0, 0, tzinfo=utc), 0, "medium", "Sales"),
        (datetime(2025, 10, 1, 0, 0, 0, tzinfo=utc), 0, "high", "Sales"),
    ]


def main():
    rng = random.Random(SEED)
    rows = []
    for detected_at in detection_times(rng):
        row = incident(rng, detected_at)
        # The regional desk in Frankfurt writes local times with their offset.
        row["offset"] = (1 if detected_at.month in (1, 2, 3, 11, 12) else 2) if rng.random() < 0.07 else 0
        rows.append(row)
    for detected_at, offset, severity, unit in boundary_cases():
        row = incident(rng, detected_at, severity, unit)
        row["offset"] = offset
        rows.append(row)
    rows.sort(key=lambda r: r["detected_at"])

    path = Path(__file__).with_name("incidents.csv")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([
            "id", "occurred_at", "detected_at", "resolved_at", "severity", "category",
            "business_unit", "detected_by", "assignment_group", "cost_eur",
        ])
        for number, row in enumerate(rows, start=1):
            offset = row["offset"]
            writer.writerow([
                f"INC-2025-{number:05d}",
                stamp(row["occurred_at"], offset) if row["occurred_at"] else "",
                stamp(row["detected_at"], offset),
                stamp(row["resolved_at"], offset) if row["resolved_at"] else "",
                row["severity"],
                row["category"],
                row["business_unit"],
                row["detected_by"],
                row["assignment_group"],
                "" if row["cost_eur"] is None else f"{row['cost_eur']:.2f}",
            ])
    print(f"wrote {len(rows)} incidents to {path}")


if __name__ == "__main__":
    main()
