#!/usr/bin/env python3
"""Writes the sample data of the standard catalogue: one CSV per canonical dataset.

The data describes 2025 at a mid-sized organisation of six business units, about 600
people, 250 hosts and 50 information systems, as its registers would export it in early
January 2026. Incidents go back to January 2024, so that the incident trend (the last two
periods against the last six) has six quarters of history in 2025.

The output depends only on the fixed seed, so running the script again rewrites the same
files:

    python3 stdlib/catalogue/sample/generate.py
"""

import csv
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

SEED = 27004
OUT = Path(__file__).resolve().parent
# The moment the registers were exported: nothing happens after it.
EXPORT = datetime(2026, 1, 10, tzinfo=timezone.utc)
YEAR_START = datetime(2025, 1, 1, tzinfo=timezone.utc)
YEAR_END = datetime(2026, 1, 1, tzinfo=timezone.utc)

UNITS = ["finance", "sales", "operations", "it", "hr", "research"]
UNIT_WEIGHTS = [10, 25, 30, 15, 5, 15]

rng = random.Random(SEED)


def instant(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ") if t is not None else ""


def day(d):
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.date()
    return d.isoformat()


def flag(b):
    return "true" if b else "false"


def money(x):
    return f"{x:.2f}" if x is not None else ""


def unit():
    return rng.choices(UNITS, UNIT_WEIGHTS)[0]


def between(start, end):
    """A random instant in [start, end), to the minute."""
    minutes = int((end - start).total_seconds() // 60)
    return start + timedelta(minutes=rng.randrange(minutes))


def random_day(start, end):
    return start + timedelta(days=rng.randrange((end - start).days))


def seen(t):
    """A timestamp as the export shows it: empty when it lies after the export."""
    return t if t is not None and t < EXPORT else None


def write(name, header, rows):
    with open(OUT / name, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


# ---------------------------------------------------------------------------------------
# Systems: the inventory shared by the system and access modules.

def systems():
    rows = []
    for i in range(1, 51):
        sid = f"SYS-{i:03d}"
        critical = rng.random() < 0.4
        if i <= 42:
            live = random_day(date(2012, 1, 1), date(2024, 12, 1))
        else:
            # Eight systems go live in 2025, two or three a quarter.
            live = date(2025, 1, 20) + timedelta(days=(i - 43) * 45 + rng.randrange(20))
        retired = None
        if i in (5, 17, 29):
            retired = random_day(date(2025, 2, 1), date(2025, 12, 1))
        # Most systems were authorised before going live; some a few days after, one never.
        r = rng.random()
        if i == 47:
            authorised = None
        elif r < 0.85:
            authorised = live - timedelta(days=rng.randrange(1, 40))
        else:
            authorised = live + timedelta(days=rng.randrange(1, 15))
        rows.append([sid, unit(), flag(critical), day(live), day(retired), day(authorised)])
    write("systems.csv",
          ["system_id", "business_unit", "critical", "live_on", "retired_on", "authorised_on"],
          rows)
    return rows


def system_assessments(inventory):
    """Contingency plan tests once a year, vulnerability assessments once a quarter and, on
    critical systems, a penetration test once a year; now and then one is skipped."""
    rows = []
    for sid, _, critical, live, retired, _ in inventory:
        live = date.fromisoformat(live)
        retired = date.fromisoformat(retired) if retired else date(2026, 1, 10)

        def held(kind, start, end, skip):
            if rng.random() < skip:
                return
            performed = random_day(start, end)
            if live <= performed < retired:
                rows.append([sid, kind, day(performed)])

        for year in (2024, 2025):
            held("contingency_test", date(year, 1, 1), date(year, 12, 20), 0.15)
            if critical == "true":
                held("penetration_test", date(year, 1, 1), date(year, 12, 20), 0.1)
        for q in range(8):
            first = date(2024 + q // 4, 3 * (q % 4) + 1, 1)
            held("vulnerability_assessment", first, first + timedelta(days=88), 0.07)
    rows.sort(key=lambda r: (r[2], r[0]))
    write("system_assessments.csv", ["system_id", "kind", "performed_on"], rows)


# ---------------------------------------------------------------------------------------
# Incidents, from January 2024.

CATEGORIES = ["unauthorised_access", "denial_of_service", "malicious_code", "improper_usage",
              "scans_probes", "investigation"]
CATEGORY_WEIGHTS = [15, 5, 25, 25, 20, 10]
REPORT_DEADLINE = {"unauthorised_access": timedelta(hours=1),
                   "denial_of_service": timedelta(hours=2),
                   "malicious_code": timedelta(hours=24),
                   "improper_usage": timedelta(days=7),
                   "scans_probes": timedelta(days=30),
                   "investigation": timedelta(days=30)}
SEVERITIES = ["low", "medium", "high", "critical"]


def incidents():
    rows = []
    n = 0
    month = datetime(2024, 1, 1, tzinfo=timezone.utc)
    while month < YEAR_END:
        following = (month + timedelta(days=32)).replace(day=1)
        # About a dozen a month, a few more in the second half of 2025.
        count = 10 + rng.randrange(5) + (3 if month >= datetime(2025, 7, 1, tzinfo=timezone.utc) else 0)
        for _ in range(count):
            n += 1
            category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
            severity = rng.choices(SEVERITIES, [40, 35, 18, 7])[0]
            detected = between(month, following)
            occurred = None
            if rng.random() < 0.9:
                occurred = detected - timedelta(minutes=int(rng.expovariate(1 / (18 * 60))))
            deadline = REPORT_DEADLINE[category]
            r = rng.random()
            if r < 0.86:
                reported = detected + deadline * rng.uniform(0.05, 0.95)
            elif r < 0.97:
                reported = detected + deadline * rng.uniform(1.1, 3.0)
            else:
                reported = None
            recovered = detected + timedelta(minutes=int(rng.lognormvariate(7.6, 0.9)))
            loss = None
            if rng.random() < 0.35:
                loss = {"low": 400, "medium": 2500, "high": 9000, "critical": 30000}[severity]
                loss *= rng.uniform(0.3, 1.8)
            response = None
            if rng.random() < 0.8:
                response = {"low": 150, "medium": 700, "high": 2500, "critical": 8000}[severity]
                response *= rng.uniform(0.5, 1.5)
            rows.append([f"INC-{n:05d}", category, severity, unit(), instant(occurred),
                         instant(detected), instant(seen(reported)), instant(seen(recovered)),
                         money(loss), money(response)])
        month = following
    write("incidents.csv",
          ["incident_id", "category", "severity", "business_unit", "occurred_at", "detected_at",
           "reported_at", "recovered_at", "direct_loss", "response_cost"],
          rows)


# ---------------------------------------------------------------------------------------
# Assets, vulnerabilities, scans and patches.

REMEDIATION = {"critical": 15, "high": 30, "medium": 90, "low": 180, "none_rated": 365}
PATCH_DEADLINE = {"critical": 14, "high": 30, "medium": 60, "low": 90}


def assets():
    rows = []
    for i in range(1, 251):
        kind = rng.choices(["workstation", "server", "network_device", "mobile"],
                           [55, 25, 8, 12])[0]
        rows.append([f"H-{i:04d}", kind, unit()])
    write("assets.csv", ["asset_id", "asset_type", "business_unit"], rows)
    return rows


def vulnerabilities(hosts):
    rows = []
    n = 0
    start = datetime(2024, 10, 1, tzinfo=timezone.utc)
    for asset_id, kind, _ in hosts:
        per_year = {"server": 9, "workstation": 4, "network_device": 3, "mobile": 2}[kind]
        for _ in range(rng.randrange(per_year // 2, per_year + per_year // 2 + 1)):
            n += 1
            severity = rng.choices(["none_rated", "low", "medium", "high", "critical"],
                                   [5, 30, 40, 18, 7])[0]
            detected = between(start, YEAR_END)
            deadline = timedelta(days=REMEDIATION[severity])
            r = rng.random()
            status, mitigated = "mitigated", None
            if r < 0.78:
                mitigated = detected + deadline * rng.uniform(0.1, 1.0)
            elif r < 0.93:
                mitigated = detected + deadline * rng.uniform(1.05, 2.5)
            elif r < 0.97:
                status = "risk_accepted"
            else:
                status = "false_positive"
            mitigated = seen(mitigated)
            if status == "mitigated" and mitigated is None:
                status = "open"
            rows.append([f"VUL-{n:05d}", asset_id, severity, status, instant(detected),
                         instant(mitigated)])
    write("vulnerabilities.csv",
          ["finding_id", "asset_id", "severity", "status", "detected_at", "mitigated_at"],
          rows)


def scans(hosts):
    rows = []
    n = 0
    for asset_id, kind, _ in hosts:
        # A few hosts are never reached by the scanner; mobiles often miss a month.
        if rng.random() < 0.03:
            continue
        skip = {"server": 0.03, "workstation": 0.06, "network_device": 0.1, "mobile": 0.3}[kind]
        for month in range(1, 13):
            if rng.random() < skip:
                continue
            n += 1
            first = datetime(2025, month, 1, tzinfo=timezone.utc)
            following = datetime(2025 + month // 12, month % 12 + 1, 1, tzinfo=timezone.utc)
            rows.append([f"SCAN-{n:05d}", asset_id, instant(between(first, following))])
    write("scans.csv", ["scan_id", "asset_id", "scanned_at"], rows)


def patches(hosts):
    rows = []
    n = 0
    for asset_id, kind, _ in hosts:
        if kind == "network_device":
            continue
        for month in range(1, 13, 2):
            n += 1
            # The second Tuesday of the month, or thereabouts.
            released = datetime(2025, month, 8 + rng.randrange(7), 17, 0, tzinfo=timezone.utc)
            criticality = rng.choices(SEVERITIES, [15, 35, 35, 15])[0]
            deadline = timedelta(days=PATCH_DEADLINE[criticality])
            r = rng.random()
            if r < 0.85:
                installed = released + deadline * rng.uniform(0.05, 0.9)
            elif r < 0.96:
                installed = released + deadline * rng.uniform(1.1, 2.0)
            else:
                installed = None
            rows.append([f"PAT-{n:05d}", asset_id, criticality, instant(released),
                         instant(seen(installed))])
    write("patches.csv",
          ["patch_id", "asset_id", "criticality", "released_at", "installed_at"], rows)


# ---------------------------------------------------------------------------------------
# Personnel, training, users and accounts.

def personnel():
    rows = []
    for i in range(1, 641):
        pid = f"P-{i:04d}"
        if i <= 560:
            joined = random_day(date(2008, 1, 1), date(2025, 1, 1))
        else:
            # About seven people join each month of 2025.
            joined = random_day(date(2025, 1, 1), date(2025, 12, 20))
        left = None
        if rng.random() < 0.07:
            left = random_day(max(joined + timedelta(days=30), date(2024, 6, 1)), date(2026, 1, 5))
        security_role = rng.random() < 0.09
        access = joined + timedelta(days=rng.choice([0, 0, 0, 1, 2]))
        r = rng.random()
        if r < 0.95:
            screened = joined - timedelta(days=rng.randrange(3, 40))
        elif r < 0.985:
            screened = access + timedelta(days=rng.randrange(1, 20))
        else:
            screened = None
        r = rng.random()
        if r < 0.93:
            signed = access - timedelta(days=rng.randrange(0, 6))
        elif r < 0.98:
            signed = access + timedelta(days=rng.randrange(1, 10))
        else:
            signed = None
        rows.append([pid, unit(), flag(security_role), day(joined), day(left), day(screened),
                     day(access), day(signed)])
    write("personnel.csv",
          ["person_id", "business_unit", "security_role", "joined_on", "left_on", "screened_on",
           "access_granted_on", "rules_signed_on"],
          rows)
    return rows


def training(people):
    rows = []
    for pid, _, security_role, joined, *_ in people:
        joined = date.fromisoformat(joined)
        # The yearly awareness course: most people take it, some skip a year.
        for year in (2023, 2024, 2025):
            if rng.random() < 0.78:
                taken = random_day(date(year, 1, 1), date(year + 1, 1, 1))
                if taken < joined:
                    taken = joined + timedelta(days=rng.randrange(5, 60))
                if taken < date(2026, 1, 5):
                    rows.append([pid, "awareness", day(taken)])
        # Role-based training for security roles, once a year.
        for year in (2024, 2025):
            if security_role == "true" and rng.random() < 0.88:
                taken = random_day(date(year, 1, 1), date(year, 12, 20))
                rows.append([pid, "role_based", day(max(taken, joined))])
    rows.sort(key=lambda r: (r[2], r[0]))
    write("training.csv", ["person_id", "course_type", "completed_on"], rows)


def users_and_accounts(people):
    users, accounts = [], []
    ids = []
    for pid, business_unit, _, joined, left, *_ in people:
        uid = "u" + pid[2:]
        enabled = not left or date.fromisoformat(left) > date(2026, 1, 10)
        users.append([uid, business_unit, flag(enabled)])
        accounts.append([f"ACC-{uid}", uid, "false", flag(enabled)])
        if enabled:
            ids.append(uid)
    # Shared accounts: team mailboxes, generic administrator and kiosk accounts.
    for k in range(1, 13):
        holders = rng.sample(ids, rng.randrange(2, 7))
        enabled = k != 12
        for uid in holders:
            accounts.append([f"SHARED-{k:02d}", uid, "true", flag(enabled)])
    write("users.csv", ["user_id", "business_unit", "enabled"], users)
    write("accounts.csv", ["account_id", "user_id", "shared", "enabled"], accounts)


def access_reviews(inventory):
    rows = []
    n = 0
    for sid, _, critical, *_ in inventory:
        if critical != "true":
            continue
        # Twice a year on critical systems, now and then late or skipped.
        for due in (date(2024, 12, 15), date(2025, 6, 15), date(2025, 12, 15)):
            r = rng.random()
            if r < 0.12:
                continue
            n += 1
            done = due + timedelta(days=rng.randrange(-30, 10 if r < 0.85 else 80))
            rows.append([f"AR-{n:04d}", sid, day(done if done < date(2026, 1, 10) else None)])
    write("access_reviews.csv", ["review_id", "system_id", "completed_on"], rows)


# ---------------------------------------------------------------------------------------
# Governance: policies, audits, corrective actions, contracts and changes.

def policies():
    rows, reviews = [], []
    for i in range(1, 26):
        pid = f"POL-{i:02d}"
        approved = random_day(date(2015, 1, 1), date(2023, 1, 1)) if i <= 23 else date(2025, 3, 1 + i)
        withdrawn = date(2025, 5, 31) if i == 7 else None
        rows.append([pid, day(approved), day(withdrawn)])
        # A yearly review, in a month of the owner's choosing, now and then skipped.
        month = rng.randrange(1, 13)
        for year in (2022, 2023, 2024, 2025):
            reviewed = date(year, month, rng.randrange(1, 28))
            if reviewed > approved and rng.random() < 0.82:
                reviews.append([pid, day(reviewed)])
    write("policies.csv", ["policy_id", "approved_on", "withdrawn_on"], rows)
    reviews.sort(key=lambda r: (r[1], r[0]))
    write("policy_reviews.csv", ["policy_id", "reviewed_on"], reviews)


def audits():
    rows = []
    plan = [("internal", 1, 20), ("internal", 2, 18), ("third_party", 3, 10),
            ("internal", 4, 15), ("internal", 5, 12), ("certification", 6, 9),
            ("internal", 7, 14), ("third_party", 8, 5), ("internal", 9, 9),
            ("internal", 9, 23), ("internal", 10, 14), ("third_party", 11, 4),
            ("internal", 11, 25), ("internal", 12, 9)]
    for i, (kind, month, d) in enumerate(plan, start=1):
        planned = date(2025, month, d)
        r = rng.random()
        if r < 0.75:
            performed = planned + timedelta(days=rng.randrange(0, 5))
        elif r < 0.9:
            performed = planned + timedelta(days=rng.randrange(20, 60))
        else:
            performed = None
        if i == 10:
            # Postponed into the next quarter.
            performed = date(2025, 10, 21)
        rows.append([f"AUD-{i:02d}", kind, day(planned), day(performed)])
    write("audits.csv", ["audit_id", "kind", "planned_on", "performed_on"], rows)


def actions():
    rows = []
    reasons = ["waiting for a supplier", "budget not yet approved", "depends on a system upgrade",
               "owner on leave", "re-planned by the security committee"]
    for i in range(1, 71):
        raised = random_day(date(2024, 8, 1), date(2025, 10, 1))
        due = raised + timedelta(days=rng.randrange(30, 120))
        r = rng.random()
        if r < 0.68:
            implemented = due - timedelta(days=rng.randrange(0, 25))
        elif r < 0.88:
            implemented = due + timedelta(days=rng.randrange(1, 60))
        else:
            implemented = None
        if implemented is not None and implemented > date(2026, 1, 10):
            implemented = None
        late = implemented is None or implemented > due
        reason = rng.choice(reasons) if late and rng.random() < 0.6 else ""
        origin = rng.choice(["audit", "audit", "incident", "management_review", "risk_assessment"])
        rows.append([f"ACT-{i:03d}", origin, day(raised), day(due), day(implemented), reason])
    rows.sort(key=lambda r: r[3])
    write("actions.csv",
          ["action_id", "origin", "raised_on", "due_on", "implemented_on", "delay_reason"], rows)


def contracts():
    rows = []
    suppliers = ["Arcadia Cloud", "Bergmann IT", "Cobalt Networks", "Delta Payroll",
                 "Eastwick Hosting", "Fjord Analytics", "Granite Security", "Helix Software",
                 "Iberia Telecom", "Juniper Facilities"]
    for i in range(1, 81):
        signed = random_day(date(2019, 1, 1), date(2025, 12, 1))
        ended = None
        if rng.random() < 0.15:
            ended = random_day(max(signed, date(2024, 6, 1)) + timedelta(days=30), date(2026, 6, 1))
        required = rng.choice([0, 8, 10, 10, 12, 15])
        requirements = rng.random() < 0.88 and required > 0
        if requirements:
            present = max(0, required - rng.choice([0, 0, 0, 0, 1, 1, 2, 4]))
        else:
            present = rng.randrange(0, 3) if required else 0
        rows.append([f"CON-{i:03d}", rng.choice(suppliers), day(signed), day(ended),
                     flag(requirements), required, present])
    write("contracts.csv",
          ["contract_id", "supplier", "signed_on", "ended_on", "security_requirements",
           "clauses_required", "clauses_present"],
          rows)


def changes(inventory):
    rows = []
    system_ids = [r[0] for r in inventory]
    n = 0
    for month in range(1, 13):
        first = datetime(2025, month, 1, tzinfo=timezone.utc)
        following = datetime(2025 + month // 12, month % 12 + 1, 1, tzinfo=timezone.utc)
        for _ in range(35 + rng.randrange(15)):
            n += 1
            submitted = between(first, following)
            completed = submitted + timedelta(hours=rng.lognormvariate(4.6, 0.8))
            reviewed = rng.random() < 0.91
            rows.append([f"CHG-{n:05d}", rng.choice(system_ids), instant(submitted),
                         instant(seen(completed)), flag(reviewed)])
    write("changes.csv",
          ["change_id", "system_id", "submitted_at", "completed_at", "security_review"], rows)


def main():
    inventory = systems()
    system_assessments(inventory)
    incidents()
    hosts = assets()
    vulnerabilities(hosts)
    scans(hosts)
    patches(hosts)
    people = personnel()
    training(people)
    users_and_accounts(people)
    access_reviews(inventory)
    policies()
    audits()
    actions()
    contracts()
    changes(inventory)


if __name__ == "__main__":
    main()
