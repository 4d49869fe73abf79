"""Fill a testcity database with N synthetic cases, their audit entries and step facts (stdlib only).

Usage: python3 synthetic_cases.py DB N GRIDS_GEOJSON

Writes what the store writes for each case (case_record, case_audit with overdue_from, case_step), plus
the people: 200 inspectors (six with a beat), 20 operators, 10 shift leaders, 10 dispatchers, one
staff member per department. Cases are reported from 2026-01-01 to 2026-11-14 (Asia/Shanghai, 08:00 to
18:00) and follow the workflow with its branches at fixed odds: public and hotline reports verified,
refusals, voids, returns, extensions, hangs, failed checks and reworks; what would happen after
2026-11-15 00:00 is left open. Durations are drawn at random in wall-clock time and a step is flagged on
time when it took at most twice its limit: plausible figures for timing the evaluation queries, not a
working-time simulation (the tests check that part). Deterministic (seeded).
"""
import calendar
import functools
import json
import random
import sqlite3
import sys
import time

START = calendar.timegm((2025, 12, 31, 16, 0, 0))  # 2026-01-01 00:00 Asia/Shanghai
HORIZON = calendar.timegm((2026, 11, 14, 16, 0, 0))  # 2026-11-15 00:00 Asia/Shanghai
DAYS = (HORIZON - START) // 86400
LIMITS = {"acceptance": 1800, "verification": 3600, "registration": 1800, "dispatch": 1800,
          "check-dispatch": 1800, "check": 7200, "closing": 3600}
TYPES = [("06010", "HW", 14400), ("06012", "HW", 7200), ("07001", "CGZF", 27000), ("06013", "JT", 135000),
         ("09009", "GA", 3600), ("09006", "CGZF", 14400), ("06042", "HW", 14400), ("06045", "YL", 81000)]
DEPARTMENTS = ["CGZF", "HW", "YL", "SW", "RQ", "DL", "TX", "RL", "LD", "YZ", "JT", "GA", "JD001"]


@functools.lru_cache(maxsize=None)
def stamp(t: int) -> str:
    """Timestamps.format: RFC 3339 UTC with milliseconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))


class Case:
    """One case's rows as the store writes them: an audit entry per action, a step per timed node."""

    def __init__(self, out, cid, row):
        self.out, self.cid, self.step, self.row = out, cid, None, row

    # A step is a list: id, case_id, node, start_seq, started_at (epoch), start_action, started_by,
    # department_code, inspector_id, limit_s, extension_s, extensions, hangs, due (epoch, not stored),
    # end_seq, ended_at, end_action, end_status, ended_by, elapsed_s, on_time.

    def act(self, t, actor, role, action, frm, to, dept=None, node=None, limit=0, inspector=None,
            extend=0, pause=False, resume=0):
        out = self.out
        out.seq += 1
        s = self.step
        if node is not None or to in ("closed", "voided", "refused"):
            if s is not None:
                on_time = int(t - s[4] <= 2 * (s[9] + s[10]))
                s[14:21] = [out.seq, stamp(t), action, to, actor, float(t - s[4]), on_time]
                self.store(s)
                if action == "finish" and not on_time:
                    self.row[16] = 1
            self.step = None
            if node is not None:
                out.step_id += 1
                self.step = [out.step_id, self.cid, node, out.seq, t, action, actor, dept, inspector, float(limit),
                             0.0, 0, 0, t + limit, None, None, None, None, None, None, None]
        elif s is not None:
            if extend:
                s[10] += extend
                s[11] += 1
                s[13] = (s[13] or t) + extend
            if pause:
                s[12] += 1
                s[13] = None
            if resume:
                s[13] = t + resume
        if action == "register":
            self.row[12:14] = [stamp(t), actor]
        elif action in ("void", "close"):
            self.row[14 if action == "void" else 15] = stamp(t)
        due = self.step[13] if self.step is not None else None
        out.audit.append((out.seq, self.cid, stamp(t), actor, role, action, frm, to, dept, action, action,
                          stamp(due) if due is not None else None))

    def store(self, s):
        self.out.steps.append(tuple(s[:4] + [stamp(s[4])] + s[5:13] + s[14:]))

    def finish(self):
        if self.step is not None:
            self.store(self.step)


class Output:
    def __init__(self):
        self.seq = self.step_id = 0
        self.cases, self.audit, self.steps = [], [], []


def generate(out, cid, t, rng, people, grids):
    draw = rng.random  # random.randint and random.choice cost several times more
    minute = lambda lo, hi: 60 * (lo + int(draw() * (hi - lo + 1)))
    code, dept, hlimit = rng.choice(TYPES)
    grid, (lon, lat), community = rng.choice(grids)
    public = rng.random() < 0.2
    source = rng.choice(["public", "hotline"]) if public else "inspector"
    reporter = rng.choice(people["operator"] if public else people["inspector"])
    self_handled = not public and rng.random() < 0.05
    op, leader, disp = rng.choice(people["operator"]), rng.choice(people["shift-leader"]), rng.choice(people["dispatcher"])
    # id, number, type_code, source, self_handled, reported_by, grid, community, lon, lat, created_at,
    # updated_at, registered_at, registered_by, voided_at, closed_at, late_handling
    row = [cid, f"B{cid:09d}", code, source, int(self_handled), reporter, grid, community, lon, lat,
           stamp(t), stamp(t), None, None, None, None, 0]
    out.cases.append(row)
    c = Case(out, cid, row)
    role = "operator" if public else "inspector"
    if self_handled:
        c.act(t, reporter, role, "self-handle", None, "awaiting-close", node="closing", limit=LIMITS["closing"])
        t += minute(5, 90)
        if t < HORIZON:
            c.act(t, leader, "shift-leader", "close", "awaiting-close", "closed")
        return c
    c.act(t, reporter, role, "report", None, "reported", node="acceptance", limit=LIMITS["acceptance"])

    def later(lo, hi):
        nonlocal t
        t += minute(lo, hi)
        return t < HORIZON

    if not later(1, 50):
        return c
    if rng.random() < 0.03:
        c.act(t, op, "operator", "refuse", "reported", "refused")
        return c
    if public:
        beat = people["beat"].get(grid) or rng.choice(people["inspector"])
        c.act(t, op, "operator", "accept", "reported", "verifying", node="verification", limit=LIMITS["verification"],
              inspector=beat)
        if not later(10, 120):
            return c
        if rng.random() < 0.05:
            c.act(t, beat, "inspector", "verify", "verifying", "refused")
            return c
        c.act(t, beat, "inspector", "verify", "verifying", "awaiting-registration", node="registration",
              limit=LIMITS["registration"])
    else:
        c.act(t, op, "operator", "accept", "reported", "awaiting-registration", node="registration",
              limit=LIMITS["registration"])
    if not later(1, 50):
        return c
    if rng.random() < 0.02:
        c.act(t, leader, "shift-leader", "void", "awaiting-registration", "voided")
        return c
    c.act(t, leader, "shift-leader", "register", "awaiting-registration", "awaiting-dispatch", node="dispatch",
          limit=LIMITS["dispatch"])
    staff = people["staff"]
    rework = 0

    def ask(wait, department, request, asked, outcome, **approval):
        """A department's request (回退, 延期, 挂账) and the dispatcher's approval; False past the horizon."""
        if not later(*wait):
            return False
        c.act(t, staff[department], "department-staff", request, "handling", asked, dept=department)
        if not later(5, 60):
            return False
        c.act(t, disp, "dispatcher", "approve", asked, outcome, **approval)
        return True

    while True:
        if not later(1, 50):
            return c
        if rng.random() < 0.015:
            c.act(t, leader, "shift-leader", "void", "awaiting-dispatch", "voided")
            return c
        target = rng.choice(DEPARTMENTS) if rng.random() < 0.03 else dept
        c.act(t, disp, "dispatcher", "dispatch", "awaiting-dispatch", "dispatched", dept=target, node="handling",
              limit=hlimit)
        if not later(5, 60):
            return c
        c.act(t, staff[target], "department-staff", "sign", "dispatched", "handling", dept=target)
        if target != dept:  # wrong department: sent back
            if not ask((5, 60), target, "request-return", "return-requested", "awaiting-dispatch", node="dispatch",
                       limit=LIMITS["dispatch"]):
                return c
            continue
        break
    while True:
        if rng.random() < 0.05 and not ask((30, 600), dept, "request-extension", "extension-requested", "handling",
                                           dept=dept, extend=7200):
            return c
        if rng.random() < 0.02:
            if not ask((30, 600), dept, "request-hang", "hang-requested", "hung", dept=dept, pause=True):
                return c
            if not later(600, 20000):
                return c
            c.act(t, disp, "dispatcher", "resume", "hung", "handling", dept=dept, resume=hlimit // 2)
        if not later(20, max(30, hlimit // 60 * 3)):
            return c
        c.act(t, staff[dept], "department-staff", "finish", "handling", "handled", dept=dept, node="check-dispatch",
              limit=LIMITS["check-dispatch"])
        if not later(1, 50):
            return c
        checker = people["beat"].get(grid) or rng.choice(people["inspector"])
        c.act(t, op, "operator", "send-check", "handled", "checking", dept=dept, node="check", limit=LIMITS["check"],
              inspector=checker)
        if not later(10, 240):
            return c
        c.act(t, checker, "inspector", "check", "checking", "awaiting-close", dept=dept, node="closing",
              limit=LIMITS["closing"])
        if not later(5, 90):
            return c
        if rework < 2 and rng.random() < 0.05:
            rework += 1
            c.act(t, leader, "shift-leader", "rework", "awaiting-close", "dispatched", dept=dept, node="handling",
                  limit=hlimit)
            if not later(5, 60):
                return c
            c.act(t, staff[dept], "department-staff", "sign", "dispatched", "handling", dept=dept)
            continue
        c.act(t, leader, "shift-leader", "close", "awaiting-close", "closed", dept=dept)
        return c


def main() -> None:
    path, n, grids_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(20261123)
    grids = []
    for f in json.load(open(grids_file))["features"]:
        ring = f["geometry"]["coordinates"][0][0] if f["geometry"]["type"] == "MultiPolygon" else f["geometry"]["coordinates"][0]
        xs, ys = [p[0] for p in ring[:-1]], [p[1] for p in ring[:-1]]
        grids.append((f["properties"]["code"], (sum(xs) / len(xs), sum(ys) / len(ys)), f["properties"]["community_code"]))
    db = sqlite3.connect(path, isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension("mod_spatialite")
    # A bulk load into a fresh file: no journal (WAL would grow to the size of the data), WAL again after.
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    created = stamp(START)
    people = {"inspector": [], "operator": [], "shift-leader": [], "dispatcher": [], "staff": {}, "beat": {}}
    def user(name, role, dept=None):
        cur = db.execute("INSERT INTO user (username, role, department_code, password_hash, created_at) VALUES (?,?,?,'-',?)",
                         (name, role, dept, created))
        return cur.lastrowid
    for role, count in (("inspector", 200), ("operator", 20), ("shift-leader", 10), ("dispatcher", 10)):
        people[role] = [user(f"{role}{i:03d}", role) for i in range(count)]
    for d in DEPARTMENTS:
        people["staff"][d] = user(f"staff-{d}", "department-staff", d)
    for (code, _, _), inspector in zip(grids, people["inspector"]):
        db.execute("INSERT INTO inspector_beat (grid_code, user_id) VALUES (?, ?)", (code, inspector))
        people["beat"][code] = inspector
    street = db.execute("SELECT street_code FROM community LIMIT 1").fetchone()[0]
    srid = db.execute("SELECT srid FROM geometry_columns WHERE f_table_name = 'case_record'").fetchone()[0]
    # Bulk load: SpatiaLite's per-row R*Tree triggers and the secondary indexes come back afterwards.
    saved = db.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL "
                       "AND tbl_name IN ('case_record', 'case_audit', 'case_step') AND name NOT LIKE 'case_audit_append%'").fetchall()
    for name, sql in saved:
        db.execute(f'DROP {"TRIGGER" if sql.upper().startswith("CREATE TRIGGER") else "INDEX"} "{name}"')
    out = Output()

    def flush():
        db.executemany(f"""INSERT INTO case_record (id, number, kind, type_code, source, urgent, self_handled, reported_by,
                state, status, grid_code, community_code, street_code, flagged, duplicates, mx, my, created_at, updated_at,
                registered_at, registered_by, voided_at, closed_at, late_handling, geom)
                VALUES (?, ?, 'event', ?, ?, 0, ?, ?, '{{}}', 'closed', ?, ?, '{street}', 0, '[]', 0, 0, ?, ?, ?, ?, ?, ?, ?,
                        MakePoint(?, ?, {srid}))""",
                       [tuple(c[:8] + c[10:] + c[8:10]) for c in out.cases])
        db.executemany("""INSERT INTO case_audit (seq, case_id, at, actor_id, actor_role, action, from_status, to_status,
                department_code, summary_zh, summary_en, overdue_from) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""", out.audit)
        db.executemany("""INSERT INTO case_step (id, case_id, node, start_seq, started_at, start_action, started_by,
                department_code, inspector_id, limit_s, extension_s, extensions, hangs, end_seq, ended_at, end_action,
                end_status, ended_by, elapsed_s, on_time) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", out.steps)
        out.cases, out.audit, out.steps = [], [], []

    # Report times in order, so ids grow with time as in a live system (the rows of one month lie together).
    reported = sorted(START + rng.randrange(DAYS) * 86400 + 8 * 3600 + 60 * rng.randint(0, 599) for _ in range(n))
    for cid, t in enumerate(reported, start=1):  # 08:00–18:00 local
        generate(out, cid, t, rng, people, grids).finish()
        if cid % 20000 == 0:
            flush()
    flush()
    for name, sql in saved:
        db.execute(sql)
    db.execute(f"""INSERT INTO idx_case_record_geom (pkid, xmin, xmax, ymin, ymax)
                   SELECT id, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom) FROM case_record""")
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode = WAL")
    print(f"{n} cases, {out.seq} audit entries, {out.step_id} steps")


if __name__ == "__main__":
    main()
