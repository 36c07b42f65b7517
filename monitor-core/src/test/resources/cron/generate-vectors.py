#!/usr/bin/env python3
"""Writes cronsim-vectors.jsonl from a checkout of https://github.com/cuu508/cronsim.

Usage: generate-vectors.py /path/to/cronsim-checkout > cronsim-vectors.jsonl

Every "expected" list is what cronsim itself returns (its code imported from the checkout, run
with the system's IANA zone data): next() repeatedly from "start". Cases come from
 - cronsim-tests:   the 5-field cases of cronsim's tests/test_cronsim.py (TestIterator,
                    TestDstTransitions), with their start datetimes and zones;
 - cronsim-samples: TestReverse.samples (5-field ones) from each of that class's starts;
 - dst:             our own expressions around daylight-saving transitions in eight zones;
 - cronsim-random:  300 seeded random expressions (values, ranges, steps, lists, names, L, LW, nL, d#k)
                    in eight zones from random starts in 2024-2026, 8 slots each.
For every case the script also derives the slots from the rule as Vixie/Debian cron define it,
independently of cronsim's time walk (cronsim's field parsing and day matching are reused):
 - minute or hour field starting with '*': every real instant whose local time matches fires
   (a skipped local time never fires, a repeated one fires at both occurrences);
 - otherwise: a matching local time fires once, a skipped one at the instant of the jump, a
   repeated one at its first occurrence.
When the two differ the line carries the rule's answer as "vixie" as well.
 - rule:            syntax cronsim does not have (nW, @macros): derived by the rule only, "expected"
                    is the rule's answer;
 - cronsim-syntax:  a-a/n, which cronsim reads differently from Vixie cron: "expected" is cronsim's
                    output, "vixie" Vixie's reading (just a).
"""
import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

sys.path.insert(0, sys.argv[1])
from cronsim import CronSim  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

UTC = timezone.utc
checkout = sys.argv[1]
commit = subprocess.run(["git", "-C", checkout, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()


def zone_of(name):
    return UTC if name == "UTC" else ZoneInfo(name)


def cronsim_next(expr, start, count):
    it = CronSim(expr, start)
    out = []
    for _ in range(count):
        try:
            out.append(next(it))
        except StopIteration:
            break
    return out


def rule_next(expr, start, count, days=None):
    """The Vixie rule, day by day: every real minute (elapsed) or every local date-time (fixed)."""
    sim = CronSim(expr, start)  # parsing and day matching only
    tz = start.tzinfo
    parts = expr.split()
    elapsed = tz is UTC or parts[0].startswith("*") or parts[1].startswith("*")
    out = []
    first = start.astimezone(UTC)
    day = start.date() - timedelta(days=1)
    last_day = start.date() + timedelta(days=days or 366 * 60)
    extra = None
    while day <= last_day:
        if day.month in sim.months and sim.match_day(day):
            found = []
            if elapsed:
                t = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=16)
                for _ in range(56 * 60):
                    local = t.astimezone(tz)
                    if local.date() == day and local.minute in sim.minutes and local.hour in sim.hours:
                        found.append(t)
                    t += timedelta(minutes=1)
            else:
                for h in sorted(sim.hours):
                    for m in sorted(sim.minutes):
                        wall = datetime(day.year, day.month, day.day, h, m)
                        aware = wall.replace(tzinfo=tz, fold=0)
                        probe = wall
                        while aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != probe:  # in a gap
                            probe += timedelta(minutes=1)
                            aware = probe.replace(tzinfo=tz, fold=0)
                        found.append(aware.astimezone(UTC))
            for t in found:
                if t > first and t not in out:
                    out.append(t)
        if len(out) >= count and extra is None:
            extra = day + timedelta(days=2)
        if extra is not None and day >= extra:
            break
        day += timedelta(days=1)
    out.sort()
    return [t.astimezone(tz) for t in out[:count]]


def matches(sim, local):
    return (local.minute in sim.minutes and local.hour in sim.hours and local.month in sim.months
            and sim.match_day(local.date()))


def iso(d):
    return d.isoformat() if d.tzinfo else d.isoformat()


def emit(case_id, source, expr, zone, start, count, note=None):
    tz = zone_of(zone)
    start = start.replace(tzinfo=tz)
    expected = cronsim_next(expr, start, count)
    rule = rule_next(expr, start, len(expected) or count)
    line = {"id": case_id, "source": source, "expr": expr, "zone": zone, "start": start.isoformat(),
            "expected": [d.isoformat() for d in expected]}
    if [d.astimezone(UTC) for d in rule] != [d.astimezone(UTC) for d in expected]:
        line["vixie"] = [d.isoformat() for d in rule]
    if note:
        line["note"] = note
    print(json.dumps(line))


def emit_rule(case_id, expr, zone, start, expected, note):
    tz = zone_of(zone)
    print(json.dumps({"id": case_id, "source": "rule", "expr": expr, "zone": zone,
                      "start": start.replace(tzinfo=tz).isoformat(),
                      "expected": [e.replace(tzinfo=tz).isoformat() if isinstance(e, datetime) else e
                                   for e in expected], "note": note}))


LICENSE = subprocess.run(["git", "-C", checkout, "show", "HEAD:LICENSE"], capture_output=True, text=True).stdout
print("# Cron reference vectors for CronsimVectorsTest. One JSON object per line; lines starting with # are comments.")
print("# Source: https://github.com/cuu508/cronsim commit " + commit + " (cronsim 2.7), BSD-3-Clause.")
print("# The expressions and start datetimes of the cronsim-tests and cronsim-samples cases are taken from its")
print("# tests/test_cronsim.py; every \"expected\" list (unless source is \"rule\") is cronsim's own output, produced")
print("# by running that commit's cronsim/cronsim.py (generate-vectors.py in this directory, which also says how the")
print("# \"vixie\" lists and the \"rule\" cases are derived). Times are ISO-8601 with the zone's offset; \"start\" is")
print("# exclusive; each list is the next slots in order. Zone \"UTC\" stands for cronsim's naive and UTC datetimes.")
print("# cronsim's license:")
for l in LICENSE.strip().splitlines():
    print("#   " + l)

NOW = datetime(2020, 1, 1)
RIGA = "Europe/Riga"
# --- cronsim-tests: TestIterator (5-field cases; the 6-field seconds case is out of scope) ---
for i, (expr, n) in enumerate([
        ("1 1 L * *", 1), ("1 1 LW 5 *", 1), ("1 1 * * 5L", 12), ("1 1 * * 0L", 1), ("1 1 * * 7L", 1),
        ("1 1 * * 1#2", 1), ("1 1 1-7 * */7", 4), ("1 1 */100,1-7 * MON", 4), ("1 1 * * */3", 4)]):
    emit("iterator-%02d" % i, "cronsim-tests", expr, "UTC", NOW, n)
# --- cronsim-tests: TestDstTransitions (Europe/Riga 2021), exactly their starts and counts ---
MAR = datetime(2021, 3, 28, 1, 30)
OCT = datetime(2021, 10, 31, 1, 30)
dst_tests = [
    ("0 * * * *", MAR, 2), ("0 * * * *", OCT, 4),
    ("*/30 * * * *", datetime(2021, 3, 28, 2, 10), 3), ("*/30 * * * *", datetime(2021, 10, 31, 2, 10), 6),
    ("*/15 * * * *", datetime(2021, 3, 28, 2, 40), 2), ("*/15 * * * *", datetime(2021, 10, 31, 2, 40), 10),
    ("0 */2 * * *", MAR, 3), ("0 */2 * * *", OCT, 3),
    ("30 */2 * * *", MAR, 2), ("30 */2 * * *", OCT, 2),
    ("0 */3 * * *", OCT, 3),
    ("0 1,2,3,4,5 * * *", MAR, 3), ("0 1,2,3,4,5 * * *", OCT, 3),
    ("30 1,2,3,4,5 * * *", MAR, 3), ("30 1,2,3,4,5 * * *", OCT, 3),
    ("0 2 * * *", MAR, 2), ("0 2 * * *", OCT, 2),
    ("0 3 * * *", datetime(2021, 3, 27, 1, 30), 3), ("0 3 * * *", OCT, 2),
    ("0 4 * * *", datetime(2021, 3, 27, 1, 30), 3), ("0 4 * * *", datetime(2021, 10, 30, 1, 30), 3),
    ("0 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 * * *", MAR, 3),
    ("0 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 * * *", OCT, 3),
    ("0 1,3,5,7,9,11,13,15,17,19,21,23 * * *", datetime(2021, 3, 28, 0, 30), 3),
    ("0 1,3,5,7,9,11,13,15,17,19,21,23 * * *", datetime(2021, 10, 31, 0, 30), 3),
    ("0 1-5 * * *", MAR, 3), ("0 1-5 * * *", OCT, 3),
    ("15 3 * * *", datetime(2021, 3, 27), 3), ("15 3 * * *", datetime(2021, 10, 30), 3),
    ("* * * * *", datetime(2021, 3, 28, 2, 58), 2), ("* * * * *", datetime(2021, 10, 31, 3, 58), 3),
    ("* 1-6 * * *", datetime(2021, 3, 28, 2, 58), 2), ("* 1-6 * * *", datetime(2021, 10, 31, 3, 58), 3),
]
for i, (expr, start, n) in enumerate(dst_tests):
    emit("riga-%02d" % i, "cronsim-tests", expr, RIGA, start, n)
# --- cronsim-samples: TestReverse.samples (5-field), 5 next slots from each of its starts ---
samples = ["* * * * *", "0 * * * *", "*/30 * * * *", "*/15 * * * *", "0 */2 * * *", "30 */2 * * *",
           "0 */3 * * *", "0 1,2,3,4,5 * * *", "30 1,2,3,4,5 * * *", "0 2 * * *", "0 3 * * *", "0 4 * * *",
           "0 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 * * *",
           "0 1,3,5,7,9,11,13,15,17,19,21,23 * * *", "0 1-5 * * *", "15 3 * * *", "* 1-6 * * *",
           "1 1 L * *", "1 1 LW 5 *", "1 1 * * 5L", "1 1 * * 0L", "1 1 * * 7L", "1 1 * * 1#2",
           "1 1 1-7 * */7", "1 1 */100,1-7 * MON", "1 1 * * */3"]
for zone, start, tag in [("UTC", NOW, "utc"), (RIGA, MAR, "riga-mar"), (RIGA, OCT, "riga-oct")]:
    for i, expr in enumerate(samples):
        emit("sample-%s-%02d" % (tag, i), "cronsim-samples", expr, zone, start, 5)
# --- dst: our cases in six zones, one day of slots (or fewer) around each transition ---
dst_exprs = ["* 2 * * *", "*/15 1-3 * * *", "0 * * * *", "30 * * * *", "*/20 * * * *", "0 */2 * * *",
             "30 2 * * *", "0,30 2 * * *", "15,45 1,2 * * *", "30 1 * * *", "0 2-3 * * *", "45 1,2,3 * * *",
             "0 0 * * *", "59 23 * * *"]
transitions = [
    ("Europe/Berlin", datetime(2024, 3, 30, 23, 0), "spring"), ("Europe/Berlin", datetime(2024, 10, 26, 23, 0), "fall"),
    ("America/New_York", datetime(2024, 3, 9, 23, 0), "spring"), ("America/New_York", datetime(2024, 11, 2, 23, 0), "fall"),
    ("Australia/Sydney", datetime(2024, 10, 5, 23, 0), "spring"), ("Australia/Sydney", datetime(2024, 4, 6, 23, 0), "fall"),
    ("Australia/Lord_Howe", datetime(2024, 10, 5, 23, 0), "spring"), ("Australia/Lord_Howe", datetime(2024, 4, 6, 23, 0), "fall"),
    ("Pacific/Chatham", datetime(2024, 9, 28, 23, 0), "spring"), ("Pacific/Chatham", datetime(2024, 4, 6, 23, 0), "fall"),
    ("Asia/Kathmandu", datetime(2024, 3, 9, 23, 0), "none"), ("Pacific/Kiritimati", datetime(2024, 12, 31, 0, 0), "none"),
]
# Chatham changes at 02:45 local (+12:45 -> +13:45 in September, 03:45 -> 02:45 in April)
chatham_exprs = ["* 2 * * *", "* 3 * * *", "45 2 * * *", "50 2 * * *", "0,50 2,3 * * *", "*/5 2-3 * * *",
                 "30 3 * * *", "45 * * * *"]
for zone, start, tag in transitions:
    exprs = dst_exprs + (chatham_exprs if zone == "Pacific/Chatham" else [])
    if zone == "Australia/Lord_Howe":  # 30-minute shift at 02:00 (spring) / 02:00 -> 01:30 (fall)
        exprs = exprs + ["15 2 * * *", "40 1 * * *", "0,15,30,45 1,2 * * *", "*/10 1-2 * * *", "45 * * * *"]
    for i, expr in enumerate(exprs):
        # enough slots for 28 hours
        tz = zone_of(zone)
        every = [t for t in rule_next(expr, start.replace(tzinfo=tz), 10000, days=2)
                 if t < start.replace(tzinfo=tz) + timedelta(hours=28)]
        emit("dst-%s-%s-%02d" % (zone.split("/")[-1].lower(), tag, i), "dst", expr, zone, start, max(1, len(every)))

# --- cronsim-random: seeded random expressions (the syntax both sides have), random zones and starts ---
import random  # noqa: E402
from cronsim import CronSimError  # noqa: E402

rnd = random.Random(18)
BOUNDS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def random_item(field):
    lo, hi = BOUNDS[field]
    kind = rnd.choice(["value", "value", "range", "star-step", "range-step", "start-step", "special", "name"])
    if kind == "special" and field == 2:
        return rnd.choice(["L", "LW"])
    if kind == "special" and field == 4:
        return rnd.choice(["%dL" % rnd.randint(0, 7), "%d#%d" % (rnd.randint(0, 7), rnd.randint(1, 5)),
                           "%s#%d" % (rnd.choice(["MON", "FRI", "SUN"]), rnd.randint(1, 4))])
    if kind == "name" and field == 3:
        a, b = sorted(rnd.sample(range(12), 2))
        return "%s-%s" % ("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()[a],
                          "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()[b])
    if kind == "name" and field == 4:
        a, b = sorted(rnd.sample(range(7), 2))
        return "%s-%s" % ("SUN MON TUE WED THU FRI SAT".split()[a], "SUN MON TUE WED THU FRI SAT".split()[b])
    a, b = sorted(rnd.sample(range(lo, hi + 1), 2))  # a < b: cronsim reads a-a/n differently
    n = rnd.randint(1, hi - lo + 2)
    return {"range": "%d-%d" % (a, b), "star-step": "*/%d" % n, "range-step": "%d-%d/%d" % (a, b, n),
            "start-step": "%d/%d" % (a, n)}.get(kind, str(rnd.randint(lo, hi)))


def random_field(field):
    if rnd.random() < (0.15 if field < 2 else 0.5):
        return "*"
    return ",".join(random_item(field) for _ in range(rnd.choice([1, 1, 1, 2])))


random_zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
                "Pacific/Chatham", "Asia/Kathmandu", "Pacific/Kiritimati"]
made = 0
while made < 300:
    expr = " ".join(random_field(f) for f in range(5))
    zone = rnd.choice(random_zones)
    start = datetime(2024, 1, 1) + timedelta(minutes=rnd.randint(0, 3 * 366 * 24 * 60))
    try:
        probe = cronsim_next(expr, start.replace(tzinfo=zone_of(zone)), 8)
    except CronSimError:
        continue
    if len(probe) < 8 or probe[-1].year > start.year + 8:
        continue
    emit("random-%03d" % made, "cronsim-random", expr, zone, start, 8)
    made += 1

# --- rule: what cronsim lacks or reads differently ---
def nearest_weekday(y, m, d):
    import calendar
    last = calendar.monthrange(y, m)[1]
    if d > last:
        return None
    wd = date(y, m, d).weekday()
    if wd == 5:
        return d - 1 if d > 1 else d + 2
    if wd == 6:
        return d + 1 if d < last else d - 2
    return d


def w_slots(dom, months_years, h, mi):
    out = []
    for y, m in months_years:
        d = nearest_weekday(y, m, dom)
        if d is not None:
            out.append(datetime(y, m, d, h, mi))
    return out


months_2024 = [(2024, m) for m in range(1, 13)]
emit_rule("w-15", "0 9 15W * *", "UTC", datetime(2024, 1, 1), w_slots(15, months_2024, 9, 0),
          "15W: the weekday nearest the 15th in the same month (Saturday -> Friday, Sunday -> Monday)")
emit_rule("w-1", "0 9 1W * *", "UTC", datetime(2024, 1, 1), w_slots(1, months_2024, 9, 0),
          "1W: on a Saturday the 1st moves forward to Monday the 3rd, never into the previous month")
emit_rule("w-31", "0 9 31W * *", "UTC", datetime(2024, 1, 1), w_slots(31, months_2024, 9, 0),
          "31W: on a Sunday the 31st moves back to Friday the 29th; months without a 31st do not fire")
emit_rule("w-list", "0 9 1W,15W * *", "UTC", datetime(2024, 6, 1),
          sorted(w_slots(1, [(2024, 6), (2024, 7), (2024, 8)], 9, 0) + w_slots(15, [(2024, 6), (2024, 7), (2024, 8)], 9, 0)),
          "a list of W days")
emit_rule("macro-yearly", "@yearly", "UTC", datetime(2024, 6, 1), [datetime(2025, 1, 1), datetime(2026, 1, 1)], "Vixie: @yearly = 0 0 1 1 *")
emit_rule("macro-annually", "@annually", "UTC", datetime(2024, 6, 1), [datetime(2025, 1, 1), datetime(2026, 1, 1)], "Vixie: @annually = 0 0 1 1 *")
emit_rule("macro-monthly", "@monthly", "Europe/Berlin", datetime(2024, 1, 15), [datetime(2024, m, 1) for m in range(2, 6)], "Vixie: @monthly = 0 0 1 * *")
emit_rule("macro-weekly", "@weekly", "America/New_York", datetime(2024, 3, 1), [datetime(2024, 3, d) for d in (3, 10, 17, 24)], "Vixie: @weekly = 0 0 * * 0")
emit_rule("macro-daily", "@daily", "Australia/Lord_Howe", datetime(2024, 10, 4, 12), [datetime(2024, 10, d) for d in (5, 6, 7)], "Vixie: @daily = 0 0 * * *")
emit_rule("macro-midnight", "@MIDNIGHT", "UTC", datetime(2024, 2, 28, 12), [datetime(2024, 2, 29), datetime(2024, 3, 1)], "Vixie: @midnight = @daily; macros are case-insensitive")
emit_rule("macro-hourly", "@hourly", "Europe/Berlin", datetime(2024, 10, 27, 1, 30),
          ["2024-10-27T02:00:00+02:00", "2024-10-27T02:00:00+01:00", "2024-10-27T03:00:00+01:00"],
          "Vixie: @hourly = 0 * * * * with the hour field '*': the repeated 02:00 fires twice")
# a-a/n: cronsim's reading (from a to the field's end every n) as "expected", Vixie's (just a) as "vixie"
for i, (expr, vixie) in enumerate([
        ("5-5/10 * * * *", [datetime(2024, 1, 1, h, 5) for h in range(3)]),
        ("0 9-9/4 * * *", [datetime(2024, 1, d, 9) for d in (1, 2, 3)])]):
    start = datetime(2024, 1, 1, tzinfo=UTC)
    got = cronsim_next(expr, start, 3)
    print(json.dumps({"id": "a-a-step-%d" % i, "source": "cronsim-syntax", "expr": expr, "zone": "UTC",
                      "start": start.isoformat(), "expected": [d.isoformat() for d in got],
                      "vixie": [d.replace(tzinfo=UTC).isoformat() for d in vixie],
                      "note": "cronsim reads a-a/n as a/n (a to the end of the field every n); Vixie cron as just a"}))
