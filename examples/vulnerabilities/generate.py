#!/usr/bin/env python3
"""Writes assets.csv and findings.jsonl for the vulnerability management example.

assets.csv is an inventory snapshot taken on 2026-01-05: one row per asset, with its
type, business unit, the highest classification of the information it holds, whether it
faces the internet and when it was last scanned.
findings.jsonl holds one JSON object per vulnerability finding that the scanners raised
between November 2024 and December 2025, with its CVSS base score, severity, when it was
detected and, once fixed, when it was mitigated.

The data is drawn from a fixed seed, so running this script again writes the same files:

    python3 examples/vulnerabilities/generate.py

Remediation speed differs by business unit and severity on purpose, so that the
example's indicators show different statuses for different units.
"""

import csv
import json
import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = 80055
UTC = timezone.utc
EXPORTED_AT = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)

# business unit: (share of assets, factor on time to mitigate)
BUSINESS_UNITS = {
    "IT Operations": (30, 0.55),
    "Engineering": (25, 0.8),
    "Sales": (15, 1.5),
    "Finance": (13, 0.95),
    "Human Resources": (9, 1.8),
    "Legal": (8, 2.4),
}
ASSET_TYPES = {"workstation": 55, "server": 25, "network_device": 8, "cloud_instance": 12}
OPERATING_SYSTEMS = {
    "workstation": ["Windows 11", "Windows 10", "macOS 14"],
    "server": ["Windows Server 2022", "Ubuntu 22.04", "RHEL 9", "Windows Server 2016"],
    "network_device": ["Cisco IOS XE", "FortiOS 7.2", "Junos 22.4"],
    "cloud_instance": ["Amazon Linux 2023", "Ubuntu 24.04", "Windows Server 2022"],
}
CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"]

# Weights of CVSS bands by asset type: low (0.1-3.9), medium, high, critical (9.0-10).
CVSS_BANDS = [(0.1, 3.9), (4.0, 6.9), (7.0, 8.9), (9.0, 10.0)]
BAND_WEIGHTS = {
    "workstation": [12, 48, 30, 10],
    "server": [10, 42, 34, 14],
    "network_device": [8, 40, 36, 16],
    "cloud_instance": [15, 50, 27, 8],
}
SEVERITIES = ["low", "medium", "high", "critical"]
LEGACY_HEAVY_UNITS = ("Legal", "Human Resources")
# Median days to mitigate by severity, before the business unit's factor.
MITIGATION_MEDIAN_DAYS = {"critical": 9.0, "high": 17.0, "medium": 38.0, "low": 70.0}

SCANNERS = ["Nessus", "Qualys", "Defender for Endpoint"]
CVE_YEARS = [2021, 2022, 2023, 2024, 2025]
CONFIG_FINDINGS = [
    "TLS 1.0 enabled",
    "SMB signing not required",
    "Default SNMP community string",
    "Weak SSH key exchange algorithms",
    "Self-signed certificate on management interface",
    "Local administrator password reuse",
]


def pick(rng, weights_by_name):
    names = list(weights_by_name)
    return rng.choices(names, weights=[weights_by_name[n] for n in names])[0]


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def make_assets(rng):
    assets = []
    for number in range(1, 641):
        asset_type = pick(rng, ASSET_TYPES)
        unit = pick(rng, {u: w for u, (w, _) in BUSINESS_UNITS.items()})
        weights = [5, 60, 28, 7] if asset_type == "workstation" else [15, 40, 30, 15]
        classification = rng.choices(CLASSIFICATIONS, weights=weights)[0]
        exposed = asset_type in ("server", "cloud_instance", "network_device") and rng.random() < 0.22
        prefix = {"workstation": "ws", "server": "srv", "network_device": "net", "cloud_instance": "cld"}[asset_type]

        # Most assets were scanned in the last fortnight; some drop out of coverage, and
        # unmanaged network kit is often never scanned at all.
        never = rng.random() < (0.08 if asset_type == "network_device" else 0.015)
        if never:
            last_scan = None
        else:
            stale = rng.random() < (0.12 if unit in ("Legal", "Human Resources") else 0.04)
            days_ago = rng.uniform(30, 200) if stale else rng.uniform(0, 14)
            last_scan = (EXPORTED_AT - timedelta(days=days_ago)).replace(microsecond=0)

        assets.append({
            "asset_id": f"AST-{number:05d}",
            "hostname": f"{prefix}-{unit.split()[0].lower()[:3]}-{number:04d}",
            "asset_type": asset_type,
            "os": rng.choice(OPERATING_SYSTEMS[asset_type]),
            "business_unit": unit,
            "classification": classification,
            "internet_facing": exposed,
            "last_scanned_at": last_scan,
        })
    return assets


def severity_of(cvss):
    if cvss >= 9.0:
        return "critical"
    if cvss >= 7.0:
        return "high"
    if cvss >= 4.0:
        return "medium"
    return "low"


def make_finding(rng, asset, detected_at):
    weights = BAND_WEIGHTS[asset["asset_type"]]
    # Units running older software versions carry more serious findings.
    if asset["business_unit"] in LEGACY_HEAVY_UNITS:
        weights = [weights[0] * 0.6, weights[1] * 0.8, weights[2] * 1.4, weights[3] * 1.6]
    band = rng.choices(CVSS_BANDS, weights=weights)[0]
    cvss = round(rng.uniform(*band), 1)
    severity = severity_of(cvss)

    finding = {"asset_id": asset["asset_id"]}
    if rng.random() < 0.12:
        finding["title"] = rng.choice(CONFIG_FINDINGS)
    else:
        finding["cve"] = f"CVE-{rng.choice(CVE_YEARS)}-{rng.randint(1000, 52999)}"

    factor = BUSINESS_UNITS[asset["business_unit"]][1]
    # Internet-facing systems are patched first.
    if asset["internet_facing"]:
        factor *= 0.6
    days = MITIGATION_MEDIAN_DAYS[severity] * factor * math.exp(rng.gauss(0.0, 0.7))
    mitigated_at = (detected_at + timedelta(days=days)).replace(microsecond=0)

    roll = rng.random()
    if roll < 0.02:
        status, mitigated_at = "false_positive", None
    elif roll < 0.05 and severity != "critical":
        status, mitigated_at = "risk_accepted", None
    elif mitigated_at > EXPORTED_AT or roll > 0.97:
        # Still open at the export, or waiting on a vendor fix with no date.
        status, mitigated_at = "open", None
    else:
        status = "mitigated"

    finding.update({
        "cvss": cvss,
        "severity": severity,
        "business_unit": asset["business_unit"],
        "detected_at": stamp(detected_at),
        "mitigated_at": stamp(mitigated_at) if mitigated_at else None,
        "status": status,
        "exploit_available": severity in ("high", "critical") and rng.random() < 0.3,
        "scanner": rng.choice(SCANNERS),
    })
    return finding


def make_findings(rng, assets):
    # Servers and exposed systems carry more findings than a laptop.
    weights = [
        (3 if a["asset_type"] in ("server", "cloud_instance") else 1) * (2 if a["internet_facing"] else 1)
        for a in assets
    ]
    scanned = [a for a in assets if a["last_scanned_at"] is not None]
    scanned_weights = [w for a, w in zip(assets, weights) if a["last_scanned_at"] is not None]

    start = datetime(2024, 11, 1, tzinfo=UTC)
    end = datetime(2026, 1, 1, tzinfo=UTC)
    span = (end - start).total_seconds()
    moments = []
    for _ in range(1500):
        moment = start + timedelta(seconds=rng.uniform(0, span))
        # Scans run overnight, so most findings are raised in the small hours.
        moment = moment.replace(hour=rng.choice([1, 2, 2, 3, 3, 4, 10, 14]), microsecond=0)
        moments.append(moment)
    moments.sort()

    findings = []
    for number, moment in enumerate(moments, start=1):
        asset = rng.choices(scanned, weights=scanned_weights)[0]
        finding = {"finding_id": f"VF-{number:06d}"}
        finding.update(make_finding(rng, asset, moment))
        findings.append(finding)
    return findings


def main():
    rng = random.Random(SEED)
    assets = make_assets(rng)
    findings = make_findings(rng, assets)
    here = Path(__file__).parent

    with (here / "assets.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        columns = ["asset_id", "hostname", "asset_type", "os", "business_unit", "classification",
                   "internet_facing", "last_scanned_at"]
        writer.writerow(columns)
        for a in assets:
            writer.writerow([
                a["asset_id"], a["hostname"], a["asset_type"], a["os"], a["business_unit"],
                a["classification"], "yes" if a["internet_facing"] else "no",
                stamp(a["last_scanned_at"]) if a["last_scanned_at"] else "",
            ])

    with (here / "findings.jsonl").open("w", encoding="utf-8") as out:
        for f in findings:
            out.write(json.dumps(f) + "\n")

    print(f"wrote {len(assets)} assets and {len(findings)} findings to {here}")


if __name__ == "__main__":
    main()
