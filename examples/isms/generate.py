#!/usr/bin/env python3
"""Writes the exports that the ISMS programme of Halden Freight reads.

Halden Freight is a fictional logistics company of about 440 people, with its head office
in Hamburg. Its registers were exported on 2026-01-05, each by its own tool and in that
tool's own format: the ticketing system, the HR system, the learning platform, the
phishing simulator, the directory, the vulnerability scanner, the patch management system
and the configuration management database (CMDB).

Everything is drawn from one fixed seed, so running this script again writes the same
files:

    python3 examples/isms/generate.py

The year 2025 has a story, told by the parameters below:

- Incidents. Two analysts leave the security operations team in February; from March to
  May incidents are reported late, noticed late and recovered from slowly, while a
  phishing wave in April and May raises their number. A new team lead and a managed
  detection service arrive in June; from July nearly every incident is reported in time.
- Patching. A data-centre migration ties up the server team from November 2024: server
  patches are not installed until a patch sprint from mid-June to late August (five
  legacy servers follow in September), and critical server findings detected from
  mid-February to May wait for the same sprint.
- Awareness. The 2024 awareness campaign ran from April to June 2024; the 2025 campaign,
  put off by the migration, runs from July to September, so the share of people trained in
  the last year collapses in May and June and recovers in the third quarter. Phishing
  simulations show fewer clicks after it.
- Access. Until June, leavers' accounts are disabled by hand, often days late, and some
  joiners sign the acceptable use policy after receiving access; a joiner-mover-leaver
  workflow from July disables accounts on the last day and asks for the signature first.
  Four of the twelve critical systems have their July access review signed off in August.
- Continuity. Critical systems have their disaster-recovery test every May and November;
  in May 2025 four of them slip to late June. One system goes live in April before it is
  authorised.

Incidents go back to July 2024 and patches and findings to the summer of 2024, so that the
indicators that look back (the incident trend over six months, the patch backlog's trend
over three) can be judged from January 2025.
"""

import csv
import json
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

SEED = 20250105
OUT = Path(__file__).resolve().parent / "data"
UTC = timezone.utc
EXPORTED = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)

# The organisation chart: each unit and the unit it reports to.
UNITS = [
    ("Halden Freight", ""),
    ("Operations", "Halden Freight"),
    ("Warehousing", "Operations"),
    ("Transport", "Operations"),
    ("Customer Service", "Operations"),
    ("Technology", "Halden Freight"),
    ("IT Operations", "Technology"),
    ("Software Engineering", "Technology"),
    ("Security Office", "Technology"),
    ("Corporate", "Halden Freight"),
    ("Finance", "Corporate"),
    ("HR", "Corporate"),
    ("Legal", "Corporate"),
    ("Commercial", "Halden Freight"),
    ("Sales", "Commercial"),
    ("Marketing", "Commercial"),
]
# People per department in July 2024, and the share of them in a security role.
HEADCOUNT = {
    "Warehousing": 120,
    "Transport": 85,
    "Customer Service": 55,
    "IT Operations": 30,
    "Software Engineering": 40,
    "Security Office": 7,
    "Finance": 28,
    "HR": 14,
    "Legal": 9,
    "Sales": 38,
    "Marketing": 16,
}
SECURITY_ROLE = {"IT Operations": 0.6, "Software Engineering": 0.25, "Security Office": 1.0}

# Incidents detected per month, from July 2024; the phishing wave is April and May 2025.
INCIDENTS = {
    (2024, 7): 24, (2024, 8): 22, (2024, 9): 26, (2024, 10): 25, (2024, 11): 23,
    (2024, 12): 21, (2025, 1): 24, (2025, 2): 26, (2025, 3): 30, (2025, 4): 46,
    (2025, 5): 38, (2025, 6): 27, (2025, 7): 25, (2025, 8): 23, (2025, 9): 24,
    (2025, 10): 22, (2025, 11): 21, (2025, 12): 19,
}
# The share of the incidents with a reporting deadline that are reported late, per month
# until June 2025 (NORMAL_LATE in the months not listed); the number late is this share of
# the month's incidents, rounded. From July none is late, but for one slip in November.
LATE_REPORTING = {(2025, 3): 0.25, (2025, 4): 0.38, (2025, 5): 0.32, (2025, 6): 0.12}
NORMAL_LATE = 0.07
# Mean hours from onset to detection, and from detection to recovery.
DETECTION_HOURS = {"normal": 9, "spring": 40, "june": 18, "summer": 5}
RECOVERY_HOURS = {"normal": 26, "spring": 95, "june": 45, "summer": 18}
# Ticket types of the service desk, as its export writes them, with their weight.
TICKET_TYPES = [
    ("Unauthorised access", 15),
    ("Denial of service", 5),
    ("Malware", 30),
    ("Misuse", 20),
    ("Scan/probe", 15),
    ("Investigation", 15),
]
# The reporting deadline of each ticket type under the incident procedure, in hours.
DEADLINE_HOURS = {
    "Unauthorised access": 1,
    "Denial of service": 2,
    "Malware": 24,
    "Misuse": 7 * 24,
    "Scan/probe": 30 * 24,
}
PRIORITIES = [("P1", 7), ("P2", 18), ("P3", 35), ("P4", 40)]
LOSS_EUR = {"P1": 25000, "P2": 6000, "P3": 1200, "P4": 200}
SUMMARIES = {
    "Unauthorised access": "Sign-in from an unknown location",
    "Denial of service": "Customer portal unreachable",
    "Malware": "Endpoint protection alert",
    "Misuse": "Data copied to a private device",
    "Scan/probe": "Port scan from the internet",
    "Investigation": "Suspicious activity under review",
}

# Phishing simulations: recipients per month and the share who clicked.
PHISHING_CLICKS = {
    1: 0.14, 2: 0.15, 3: 0.13, 4: 0.16, 5: 0.14, 6: 0.13,
    7: 0.11, 8: 0.08, 9: 0.05, 10: 0.04, 11: 0.03, 12: 0.04,
}
PHISHING_RECIPIENTS = 150

# Leavers whose account is disabled more than a day late, as a share of the month's
# leavers, until the joiner-mover-leaver workflow starts on 2025-07-01.
LATE_DISABLING = 0.4
WORKFLOW_START = date(2025, 7, 1)

# Servers wait for the patch sprint: patches released from this day until the server's
# sprint day are installed on it.
MIGRATION_START = date(2024, 11, 1)
SPRINT = (date(2025, 6, 16), date(2025, 8, 22))
LEGACY_SPRINT = (date(2025, 9, 2), date(2025, 9, 19))
# Critical server findings detected in this window wait for the sprint too, which fixes
# them first, in its first fortnight.
CRITICAL_WAIT = (date(2025, 2, 15), date(2025, 6, 1))
CRITICAL_FIXED = (date(2025, 6, 16), date(2025, 6, 27))

rng = random.Random(SEED)


# ---------------------------------------------------------------------------------------
# Helpers


def months(first, last):
    """(year, month) from first to last, both included."""
    y, m = first
    while (y, m) <= last:
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def month_bounds(y, m):
    start = datetime(y, m, 1, tzinfo=UTC)
    end = datetime(y + 1, 1, 1, tzinfo=UTC) if m == 12 else datetime(y, m + 1, 1, tzinfo=UTC)
    return start, end


def random_instant(start, end):
    """An instant in [start, end), to the minute."""
    minutes = int((end - start).total_seconds() // 60)
    return start + timedelta(minutes=rng.randrange(minutes))


def random_day(start, end):
    """A day in [start, end]."""
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def last_sunday(y, m):
    d = date(y, m + 1, 1) - timedelta(days=1)
    return d - timedelta(days=(d.weekday() + 1) % 7)


def berlin(t):
    """t written as local time in Hamburg, as the ticketing system exports it."""
    summer_start = datetime.combine(last_sunday(t.year, 3), datetime.min.time(), UTC)
    summer_end = datetime.combine(last_sunday(t.year, 10), datetime.min.time(), UTC)
    summer = summer_start + timedelta(hours=1) <= t < summer_end + timedelta(hours=1)
    return (t + timedelta(hours=2 if summer else 1)).strftime("%Y-%m-%d %H:%M")


def unambiguous(t):
    """Moves t out of the hour that local clocks repeat at the end of summer time, whose
    local times the export cannot tell apart."""
    end = datetime.combine(last_sunday(t.year, 10), datetime.min.time(), UTC)
    if end <= t < end + timedelta(hours=2):
        return t + timedelta(hours=2)
    return t


def utc(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ") if t else ""


def day(d):
    return d.isoformat() if d else ""


def yes_no(b):
    return "yes" if b else "no"


def ticked(b):
    """A tick box as the HR system exports it: `Y`, or nothing."""
    return "Y" if b else ""


def weighted(pairs):
    return rng.choices([k for k, _ in pairs], [w for _, w in pairs])[0]


def write_csv(name, header, rows):
    OUT.mkdir(exist_ok=True)
    with open(OUT / name, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def season(y, m):
    if (y, m) < (2025, 3):
        return "normal"
    if (y, m) <= (2025, 5):
        return "spring"
    if (y, m) == (2025, 6):
        return "june"
    return "summer"


# ---------------------------------------------------------------------------------------
# The organisation chart and the HR system


def org_chart():
    write_csv("units.csv", ["unit", "parent"], UNITS)


class Person:
    def __init__(self, number, unit, joined):
        self.id = f"HF{number:04d}"
        self.login = f"hf{number:04d}"
        self.unit = unit
        self.security_role = rng.random() < SECURITY_ROLE.get(unit, 0.0)
        self.joined = joined
        self.left = None
        self.screened = joined - timedelta(days=rng.randrange(5, 40))
        self.signed = joined - timedelta(days=rng.randrange(0, 10))
        self.disabled = None


def people():
    """Staff in post in July 2024, and the joiners and leavers of every month since."""
    staff = []
    number = 0
    for unit, count in HEADCOUNT.items():
        for _ in range(count):
            number += 1
            staff.append(Person(number, unit, random_day(date(2008, 1, 1), date(2024, 6, 28))))
    # Long-serving staff from before screening was required, never screened since.
    for person in rng.sample([p for p in staff if p.joined < date(2014, 1, 1)], 6):
        person.screened = None

    units = list(HEADCOUNT)
    weights = list(HEADCOUNT.values())
    for y, m in months((2024, 7), (2025, 12)):
        first = date(y, m, 1)
        last = month_bounds(y, m)[1].date() - timedelta(days=1)
        current = [p for p in staff if p.left is None and p.joined < first]
        leavers = rng.sample(current, rng.randrange(3, 6))
        late = round(len(leavers) * LATE_DISABLING) if first < WORKFLOW_START else 0
        for k, person in enumerate(leavers):
            person.left = random_day(first, last)
            # By hand, an identity is disabled on the day or the next, or days late; the
            # workflow disables it on the last day.
            delay = rng.randrange(2, 26) if k < late else rng.randrange(0, 2)
            if first >= WORKFLOW_START:
                delay = 0
            person.disabled = person.left + timedelta(days=delay)
        for _ in range(rng.randrange(3, 7)):
            number += 1
            unit = rng.choices(units, weights)[0]
            joiner = Person(number, unit, random_day(first, last - timedelta(days=2)))
            # Before the workflow, a joiner in five signs the policy after receiving access.
            if first < WORKFLOW_START and rng.random() < 0.2:
                joiner.signed = joiner.joined + timedelta(days=rng.randrange(1, 10))
            # Now and then the vetting agency is late.
            if rng.random() < 0.03:
                joiner.screened = joiner.joined + timedelta(days=rng.randrange(3, 15))
            staff.append(joiner)
    # Two accounts of leavers from before the workflow were never disabled.
    for person in rng.sample([p for p in staff if p.left and p.left < date(2025, 6, 1)], 2):
        person.disabled = None
    for person in staff:
        if person.disabled and person.disabled > EXPORTED.date():
            person.disabled = None

    write_csv(
        "hr-employees.csv",
        [
            "Employee No",
            "Department",
            "Security Role",
            "Start Date",
            "Leaving Date",
            "Vetting Completed",
            "Access Granted",
            "AUP Signed",
        ],
        [
            [
                p.id,
                p.unit,
                ticked(p.security_role),
                day(p.joined),
                day(p.left),
                day(p.screened),
                day(p.joined),
                day(p.signed),
            ]
            for p in staff
        ],
    )
    return staff


def in_post(staff, d):
    return [p for p in staff if p.joined <= d and (p.left is None or p.left > d)]


# ---------------------------------------------------------------------------------------
# The learning platform and the phishing simulator


def training(staff):
    rows = []

    def done(person, course, when):
        if when <= EXPORTED.date() and when >= person.joined and (
            person.left is None or when < person.left
        ):
            rows.append([person.id, course, day(when), rng.randrange(70, 101)])

    awareness = "SEC-101 Security Awareness"
    # The campaigns of 2023 and 2024 ran from April to June; 2025's from July to September.
    for person in in_post(staff, date(2023, 4, 1)):
        if rng.random() < 0.9:
            done(person, awareness, random_day(date(2023, 4, 3), date(2023, 6, 30)))
    for person in in_post(staff, date(2024, 4, 1)):
        if rng.random() < 0.9:
            month = rng.choices([4, 5, 6], [45, 40, 15])[0]
            done(person, awareness, random_day(date(2024, month, 1), date(2024, month, 28)))
    for person in in_post(staff, date(2025, 7, 1)):
        if rng.random() < 0.94:
            month = rng.choices([7, 8, 9], [32, 42, 26])[0]
            done(person, awareness, random_day(date(2025, month, 1), date(2025, month, 28)))
    # Joiners take the course in their first weeks, outside the campaigns.
    for person in staff:
        if person.joined >= date(2023, 7, 1) and rng.random() < 0.85:
            done(person, awareness, person.joined + timedelta(days=rng.randrange(3, 25)))
    # Role-based training, once a year in a month of the person's own.
    role_courses = {
        "IT Operations": "SEC-210 Secure Administration",
        "Security Office": "SEC-230 Incident Handling",
        "Software Engineering": "SEC-220 Secure Coding",
    }
    for person in staff:
        if not person.security_role:
            continue
        course = role_courses[person.unit]
        month = rng.randrange(1, 13)
        for year in (2023, 2024, 2025):
            if rng.random() < 0.95:
                done(person, course, random_day(date(year, month, 1), date(year, month, 28)))
        if person.joined >= date(2024, 1, 1):
            done(person, course, person.joined + timedelta(days=rng.randrange(20, 60)))
    rows.sort(key=lambda r: (r[2], r[0]))
    write_csv("lms-completions.csv", ["Employee No", "Course", "Completed", "Score"], rows)


def phishing(staff):
    lines = []
    for m in range(1, 13):
        sent = datetime(2025, m, 1, 8, 0, tzinfo=UTC) + timedelta(days=rng.randrange(8, 14))
        recipients = rng.sample(in_post(staff, sent.date()), PHISHING_RECIPIENTS)
        clicks = round(len(recipients) * PHISHING_CLICKS[m])
        clicked = set(rng.sample(range(len(recipients)), clicks))
        for k, person in enumerate(recipients):
            # People who did not click sometimes report the message to the security team.
            lines.append(
                json.dumps(
                    {
                        "campaign": f"PHISH-2025-{m:02d}",
                        "recipient": person.id,
                        "sent_at": utc(sent + timedelta(minutes=k // 10)),
                        "clicked": k in clicked,
                        "reported": k not in clicked and rng.random() < 0.2 + 0.03 * m,
                    }
                )
            )
    OUT.mkdir(exist_ok=True)
    (OUT / "phishing.jsonl").write_text("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------
# The directory


def directory(staff):
    users = []
    accounts = []
    for p in staff:
        enabled = p.disabled is None
        users.append([p.login, p.id, p.unit, yes_no(enabled), day(p.disabled)])
        accounts.append([p.login, p.login, "false", "true" if enabled else "false"])
    write_csv(
        "directory.csv", ["Login", "Employee No", "Department", "Enabled", "Disabled On"], users
    )

    # Accounts several people sign in with: a scanner account in the warehouse, a backup
    # administrator, a customer service mailbox, the bank portal; and one long disabled.
    current = [p for p in staff if p.disabled is None]
    shared = [
        ("wh-scanner", "Warehousing", 14, True),
        ("svc-backup", "IT Operations", 4, True),
        ("cs-mailbox", "Customer Service", 8, True),
        ("fin-bank", "Finance", 3, True),
        ("legacy-admin", "IT Operations", 5, False),
    ]
    for account, unit, holders, enabled in shared:
        for p in rng.sample([p for p in current if p.unit == unit], holders):
            accounts.append([account, p.login, "true", "true" if enabled else "false"])
    write_csv("accounts.csv", ["account_id", "user_id", "shared", "enabled"], accounts)


# ---------------------------------------------------------------------------------------
# The ticketing system


def incidents():
    rows = []
    number = 1000
    for (y, m), count in INCIDENTS.items():
        start, end = month_bounds(y, m)
        phase = season(y, m)
        tickets = []
        for k in range(count):
            kind = weighted(TICKET_TYPES)
            # The phishing wave: malware and stolen credentials.
            if (y, m) in ((2025, 4), (2025, 5)) and k >= 25:
                kind = rng.choice(["Malware", "Unauthorised access"])
            tickets.append([kind, unambiguous(random_instant(start, end))])
        # Ransomware on a warehouse server in April: the largest loss of the year.
        ransomware = None
        if (y, m) == (2025, 4):
            tickets[0][0] = "Malware"
            ransomware = tickets[0][1]
        # A ticket created half an hour after midnight on 1 October, local time: still
        # September in UTC.
        if (y, m) == (2025, 9):
            tickets[0] = ["Misuse", datetime(2025, 9, 30, 22, 30, tzinfo=UTC)]
        tickets.sort(key=lambda t: t[1])

        with_deadline = [k for k, t in enumerate(tickets) if t[0] in DEADLINE_HOURS]
        if (y, m) == (2025, 11):
            late = set(with_deadline[:1])
        elif (y, m) >= (2025, 7):
            late = set()
        else:
            share = LATE_REPORTING.get((y, m), NORMAL_LATE)
            late = set(rng.sample(with_deadline, round(len(with_deadline) * share)))
        # In spring two of the late ones are never reported at all.
        never = set(rng.sample(sorted(late), min(2, len(late)))) if phase == "spring" else set()

        for k, (kind, detected) in enumerate(tickets):
            number += 1
            priority = weighted(PRIORITIES)
            hours = DEADLINE_HOURS.get(kind, 24)
            if k in never:
                reported = None
            elif k in late:
                reported = detected + timedelta(minutes=int(hours * 60 * rng.uniform(1.2, 4)) + 1)
            else:
                reported = detected + timedelta(minutes=int(hours * 60 * rng.uniform(0.1, 0.95)))
            started = None
            if rng.random() < 0.7:
                delay = rng.expovariate(1 / DETECTION_HOURS[phase])
                started = detected - timedelta(minutes=int(delay * 60))
            restored = detected + timedelta(
                minutes=int(rng.expovariate(1 / RECOVERY_HOURS[phase]) * 60) + 15
            )
            if restored > EXPORTED or rng.random() < 0.01:
                restored = None
            loss = None
            if rng.random() < 0.8:
                loss = LOSS_EUR[priority] * rng.lognormvariate(0, 0.5)
            team = weighted([(u, w) for u, w in HEADCOUNT.items()])
            summary = SUMMARIES[kind]
            if detected == ransomware:
                priority, loss = "P1", 185000.0
                team, summary = "Warehousing", "Ransomware on a warehouse server"
            rows.append(
                [
                    f"SEC-{number}",
                    berlin(detected),
                    kind,
                    priority,
                    team,
                    berlin(unambiguous(started)) if started else "",
                    berlin(unambiguous(reported)) if reported else "",
                    berlin(unambiguous(restored)) if restored else "",
                    f"{loss:.2f}" if loss is not None else "",
                    summary,
                ]
            )
    write_csv(
        "tickets.csv",
        [
            "Key",
            "Created",
            "Type",
            "Priority",
            "Team",
            "Started",
            "Reported",
            "Restored",
            "Loss",
            "Summary",
        ],
        rows,
    )


# ---------------------------------------------------------------------------------------
# The CMDB, the vulnerability scanner and the patch management system


def hosts():
    kinds = [
        # class, host name prefix, how many, operating system
        ("Laptop", "ws", 120, "Windows 11"),
        ("Desktop", "ws", 60, "Windows 11"),
        ("Server", "srv", 30, "Windows Server 2022"),
        ("Virtual Server", "srv", 15, "Windows Server 2022"),
        ("Switch", "net", 10, "Vendor firmware"),
        ("Firewall", "net", 4, "Vendor firmware"),
        ("Handheld", "mob", 22, "Android 13"),
    ]
    office = [u for u in HEADCOUNT if u != "Warehousing"]
    result = []
    counters = {}
    for kind, prefix, count, system in kinds:
        for _ in range(count):
            counters[prefix] = counters.get(prefix, 0) + 1
            if prefix in ("srv", "net"):
                unit = "IT Operations"
            elif kind == "Handheld":
                unit = "Warehousing"
            elif kind == "Desktop":
                unit = rng.choice(["Warehousing", "Transport", "Customer Service"])
            else:
                unit = rng.choice(office)
            name = f"hf-{prefix}-{counters[prefix]:03d}"
            result.append({"name": name, "class": kind, "unit": unit, "os": system})
    # Five old servers that only the September sprint reaches.
    servers = [h for h in result if h["class"] in ("Server", "Virtual Server")]
    legacy = {h["name"] for h in rng.sample(servers, 5)}
    for h in servers:
        window = LEGACY_SPRINT if h["name"] in legacy else SPRINT
        h["sprint"] = random_day(*window)
    write_csv(
        "cmdb-hosts.csv",
        ["Hostname", "Class", "Department", "Operating System"],
        [[h["name"], h["class"], h["unit"], h["os"]] for h in result],
    )
    return result


def is_server(h):
    return h["class"] in ("Server", "Virtual Server")


def scans(estate):
    rows = []
    number = 0
    for y, m in months((2025, 1), (2025, 12)):
        start, _ = month_bounds(y, m)
        for h in estate:
            # Laptops away from the office and handhelds out of their cradles miss scans.
            if h["class"] == "Laptop" and rng.random() < 0.04:
                continue
            if h["class"] == "Handheld" and rng.random() < 0.2:
                continue
            number += 1
            when = start + timedelta(days=rng.randrange(2, 9), minutes=rng.randrange(0, 600))
            rows.append([f"SC{number:06d}", h["name"], utc(when)])
    write_csv("scanner-scans.csv", ["Scan", "Host", "Finished"], rows)


def findings(estate):
    rows = []
    number = 0
    servers = [h for h in estate if is_server(h)]
    risks = [("Info", 10), ("Low", 25), ("Medium", 35), ("High", 22), ("Critical", 8)]
    for y, m in months((2024, 7), (2025, 12)):
        start, end = month_bounds(y, m)
        for _ in range(rng.randrange(80, 100)):
            number += 1
            host = rng.choice(servers) if rng.random() < 0.4 else rng.choice(estate)
            risk = weighted(risks)
            detected = random_instant(start, end)
            # Days to fix: critical findings well within their 15 days, high ones mostly
            # within their 30, the others when their turn comes.
            if risk == "Critical":
                days = rng.uniform(1, 12)
            elif risk == "High":
                days = rng.uniform(3, 26) if rng.random() < 0.92 else rng.uniform(31, 60)
            elif risk == "Medium":
                days = rng.expovariate(1 / 25)
            else:
                days = rng.expovariate(1 / 45)
            fixed = detected + timedelta(days=days)
            # The migration: severe findings on servers wait for the server's sprint day.
            d = detected.date()
            waits = (risk == "High" and MIGRATION_START <= d < date(2025, 6, 1)) or (
                risk == "Critical" and CRITICAL_WAIT[0] <= d < CRITICAL_WAIT[1]
            )
            if is_server(host) and waits:
                # The sprint takes the critical findings first, in its first fortnight.
                when = random_day(*CRITICAL_FIXED) if risk == "Critical" else host["sprint"]
                when = datetime.combine(when, datetime.min.time(), UTC)
                fixed = max(fixed, when + timedelta(hours=rng.randrange(8, 18)))
            state = "Fixed"
            # Informational findings are left in place.
            if fixed > EXPORTED or risk == "Info":
                fixed, state = None, "Open"
            if risk in ("Low", "Info") and rng.random() < 0.1:
                fixed, state = None, "Accepted"
            elif rng.random() < 0.02:
                fixed, state = None, "False Positive"
            rows.append([f"VF-{number:05d}", host["name"], risk, state, utc(detected), utc(fixed)])
    write_csv(
        "scanner-findings.csv",
        ["Finding", "Host", "Risk", "State", "First Seen", "Fixed On"],
        rows,
    )


def patches(estate):
    rows = []
    for y, m in months((2024, 8), (2025, 12)):
        # Patch Tuesday: the second Tuesday of the month.
        first = date(y, m, 1)
        tuesday = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
        released = datetime.combine(tuesday, datetime.min.time(), UTC) + timedelta(hours=18)
        kb = f"KB50{(y - 2024) * 12 + m:02d}{rng.randrange(100, 999)}"
        for h in estate:
            if h["class"] in ("Switch", "Firewall"):
                if m % 3 != 1:
                    continue
                patch, severity = f"FW-{y}.{m:02d}", "Important"
                wait = rng.uniform(5, 25)
            elif h["class"] == "Handheld":
                patch, severity = f"ANDROID-{y}-{m:02d}", "Moderate"
                wait = rng.uniform(5, 40)
            else:
                patch, severity = kb, "Critical"
                wait = rng.uniform(1, 10) if rng.random() < 0.97 else rng.uniform(15, 40)
            installed = released + timedelta(days=wait)
            if is_server(h) and tuesday >= MIGRATION_START:
                sprint = datetime.combine(h["sprint"], datetime.min.time(), UTC)
                if tuesday < h["sprint"]:
                    installed = sprint + timedelta(hours=rng.randrange(8, 18))
            if installed > EXPORTED:
                installed = None
            rows.append([patch, h["name"], severity, utc(released), utc(installed)])
    write_csv("patch-report.csv", ["KB", "Host", "Vendor Severity", "Released", "Installed"], rows)


# ---------------------------------------------------------------------------------------
# The CMDB's services, their assurance log and access reviews


def services():
    names = [
        # name, owner unit, critical
        ("Warehouse management", "Warehousing", True),
        ("Transport management", "Transport", True),
        ("ERP", "Finance", True),
        ("Payroll", "HR", True),
        ("Customer portal", "Customer Service", True),
        ("EDI gateway", "IT Operations", True),
        ("Directory", "IT Operations", True),
        ("E-mail", "IT Operations", True),
        ("Remote access VPN", "IT Operations", True),
        ("Backup", "IT Operations", True),
        ("Fleet telematics", "Transport", True),
        ("Customs declarations", "Legal", True),
        ("CRM", "Sales", False),
        ("Intranet", "HR", False),
        ("Contract register", "Legal", False),
        ("Expense claims", "Finance", False),
        ("Recruiting", "HR", False),
        ("Learning platform", "HR", False),
        ("Web shop", "Sales", False),
        ("Marketing automation", "Marketing", False),
        ("Yard cameras", "Warehousing", False),
        ("Label printing", "Warehousing", False),
        ("Route planning", "Transport", False),
        ("Driver app", "Transport", False),
        ("Call recording", "Customer Service", False),
        ("Knowledge base", "Customer Service", False),
        ("Source code hosting", "Software Engineering", False),
        ("Build pipeline", "Software Engineering", False),
        ("Monitoring", "IT Operations", False),
        ("Ticketing", "IT Operations", False),
        ("File shares", "IT Operations", False),
        ("Print service", "IT Operations", False),
        ("SIEM", "Security Office", False),
        ("Vulnerability scanner", "Security Office", False),
        ("Treasury", "Finance", False),
        ("Budget planning", "Finance", False),
        ("Time recording", "HR", False),
        ("Press archive", "Marketing", False),
        ("Tender portal", "Sales", False),
        ("Legacy billing", "Finance", False),
    ]
    # Software-as-a-service and new systems going live in 2025: at least one a month.
    new = [
        ("Carrier marketplace", "Transport", 1),
        ("Digital signatures", "Legal", 2),
        ("Dock scheduling", "Warehousing", 3),
        ("Survey tool", "Marketing", 3),
        ("Sales analytics", "Sales", 4),
        ("Chatbot", "Customer Service", 4),
        ("Password manager", "Security Office", 5),
        ("Parcel tracking API", "Software Engineering", 6),
        ("Invoice scanning", "Finance", 7),
        ("Training videos", "HR", 8),
        ("Temperature sensors", "Warehousing", 9),
        ("Tyre monitoring", "Transport", 10),
        ("Bid management", "Sales", 10),
        ("Data warehouse", "Software Engineering", 11),
        ("Visitor registration", "Legal", 12),
    ]
    systems = []

    def system(name, unit, critical, live, authorised):
        systems.append(
            {
                "id": f"SVC-{len(systems) + 1:03d}",
                "name": name,
                "unit": unit,
                "critical": critical,
                "live": live,
                "retired": None,
                "authorised": authorised,
            }
        )

    for name, unit, critical in names:
        live = random_day(date(2012, 1, 1), date(2023, 12, 31))
        authorised = live - timedelta(days=rng.randrange(3, 40)) if rng.random() < 0.85 else None
        system(name, unit, critical, live, authorised)
    for name, unit, month in new:
        live = random_day(date(2025, month, 2), date(2025, month, 27))
        authorised = live - timedelta(days=rng.randrange(2, 20))
        # The sales analytics service went live three weeks before it was authorised.
        if name == "Sales analytics":
            authorised = live + timedelta(days=21)
        system(name, unit, False, live, authorised)
    # Retired during the year.
    for s in systems:
        if s["name"] == "Legacy billing":
            s["retired"] = date(2025, 6, 30)
        if s["name"] == "Press archive":
            s["retired"] = date(2025, 11, 14)
    # A system still being built: no go-live yet.
    system("Yard automation", "Warehousing", False, None, None)
    write_csv(
        "cmdb-services.csv",
        ["Service", "Name", "Owner Unit", "Critical", "Go-live", "Retired", "ATO Date"],
        [
            [
                s["id"],
                s["name"],
                s["unit"],
                yes_no(s["critical"]),
                day(s["live"]),
                day(s["retired"]),
                day(s["authorised"]),
            ]
            for s in systems
        ],
    )
    return systems


def assurance(systems):
    rows = []

    def log(system, activity, when):
        if when <= EXPORTED.date() and (system["retired"] is None or when <= system["retired"]):
            rows.append([system["id"], activity, day(when)])

    critical = [s for s in systems if s["critical"]]
    # Disaster-recovery tests of critical systems in May and November; in May 2025 four of
    # them slip to the second half of June.
    slipped = {s["id"] for s in rng.sample(critical, 4)}
    for s in critical:
        for year in (2024, 2025):
            if year == 2025 and s["id"] in slipped:
                log(s, "DR test", random_day(date(2025, 6, 16), date(2025, 6, 27)))
            else:
                log(s, "DR test", random_day(date(year, 5, 5), date(year, 5, 23)))
            log(s, "DR test", random_day(date(year, 11, 3), date(year, 11, 21)))
    # Other systems: a yearly test in a month of their own, and now and then none.
    for s in systems:
        if s["critical"] or s["live"] is None:
            continue
        if s["live"] < date(2025, 1, 1):
            month = rng.randrange(1, 13)
            for year in (2024, 2025):
                if rng.random() < 0.93:
                    log(s, "DR test", random_day(date(year, month, 1), date(year, month, 28)))
        elif rng.random() < 0.7:
            log(s, "DR test", s["live"] + timedelta(days=rng.randrange(20, 80)))
    # Vulnerability assessments each quarter, in its first month; penetration tests of the
    # critical systems each September.
    for s in systems:
        if s["live"] is None:
            continue
        if s["live"] >= date(2025, 1, 1):
            log(s, "Vulnerability assessment", s["live"] - timedelta(days=rng.randrange(1, 10)))
        for y, m in months((2024, 7), (2025, 10)):
            if m % 3 != 1:
                continue
            if date(y, m, 1) > s["live"] and rng.random() < 0.96:
                log(s, "Vulnerability assessment", random_day(date(y, m, 3), date(y, m, 25)))
        if s["critical"]:
            for year in (2024, 2025):
                log(s, "Penetration test", random_day(date(year, 9, 1), date(year, 9, 26)))
    rows.sort(key=lambda r: (r[2], r[0]))
    write_csv("assurance-log.csv", ["Service", "Activity", "Date"], rows)


def access_reviews(systems):
    rows = []
    number = 0
    critical = [s for s in systems if s["critical"]]
    late = {s["id"] for s in rng.sample(critical, 4)}
    for y, m in [(2024, 1), (2024, 7), (2025, 1), (2025, 7), (2026, 1)]:
        for s in critical:
            number += 1
            if (y, m) == (2026, 1):
                done = None  # under way when the register was exported
            elif (y, m) == (2025, 7) and s["id"] in late:
                done = random_day(date(2025, 8, 11), date(2025, 8, 22))
            else:
                done = random_day(date(y, m, 8), date(y, m, 28))
            rows.append([f"AR-{number:04d}", s["id"], day(done)])
    write_csv("access-reviews.csv", ["Review", "Service", "Signed Off"], rows)


def main():
    org_chart()
    staff = people()
    training(staff)
    phishing(staff)
    directory(staff)
    incidents()
    estate = hosts()
    scans(estate)
    findings(estate)
    patches(estate)
    systems = services()
    assurance(systems)
    access_reviews(systems)


if __name__ == "__main__":
    main()
