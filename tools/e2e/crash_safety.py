#!/usr/bin/env python3
"""Crash safety of case intake, against the real `urbangrid serve` on 127.0.0.1.

Each round: many client threads report cases (POST /api/v1/cases, each with its own
Idempotency-Key, some sent twice as a phone retries, some followed by a photo) until the server
is killed with SIGKILL at a random moment. The server is started again on the same database and
the round checks that
  - every case acknowledged (201 or 200) is there with the id and number the client was given,
    with its first audit entry, and every acknowledged photo with its bytes on disk;
  - nothing is half-written: each case has its report entry, no audit entry lacks its case, no
    case exists that no client sent, the counts agree;
  - retrying every key sent (acknowledged or lost in the crash) gives exactly one case per key;
  - `urbangrid audit verify` passes, and an independent recomputation of the hash chain here agrees.
One round also runs `urbangrid backup` under the load and checks, after the crash, that
`urbangrid restore` gives exactly the cases and audit entries committed at the backup point; an
audit entry of that restored copy is then edited and `urbangrid audit verify` must name it.

Only the standard library; the database is read with sqlite3 (read-only). Loopback only; every
wait is bounded. Usage: crash_safety.py URBANGRID_BIN WORK_DIR [ROUNDS]   (CRASH_SEED=n to replay)
"""
import hashlib
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
import zlib

BIN, WORK = sys.argv[1], sys.argv[2]
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
THREADS = 12
BACKUP_ROUND = 1
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DB = os.path.join(WORK, "city.sqlite")
SEED = int(os.environ.get("CRASH_SEED", random.randrange(1 << 30)))
rng = random.Random(SEED)
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


# -- the server ------------------------------------------------------------------------------

class Server:
    def __init__(self):
        self.proc = None
        self.base = None
        self.log = open(os.path.join(WORK, "server.log"), "ab")

    def start(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([BIN, "serve", "--db", DB, "--host", "127.0.0.1", "--port", str(port)],
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 300   # the first start creates the database
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)
        raise SystemExit("the server did not answer /healthz within 300 s")

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()


def request(base, method, path, token=None, body=None, headers=None, timeout=10):
    """(status, parsed JSON or None), waiting out 429s (rate limits) a bounded number of times;
    raises OSError/HTTPException when the connection fails."""
    for _ in range(20):
        status, answer, retry_after = send(base, method, path, token, body, headers, timeout)
        if status != 429:
            break
        time.sleep(min(retry_after, 2.0))
    return status, answer


def send(base, method, path, token, body, headers, timeout):
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    data = body
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(base + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw, retry_after = r.status, r.read(), None
    except urllib.error.HTTPError as e:
        status, raw, retry_after = e.code, e.read(), e.headers.get("Retry-After")
    try:
        wait = float(retry_after or 0.2)
    except ValueError:
        wait = 0.2
    try:
        return status, json.loads(raw) if raw else None, wait
    except ValueError:
        return status, None, wait


def login(base, username):
    with open(DB + ".credentials") as f:
        creds = {p[0]: p[2] for p in (line.split() for line in f) if len(p) == 3 and not p[0].startswith("#")}
    status, body = request(base, "POST", "/api/v1/sessions", body={"username": username, "password": creds[username]})
    if status != 201:
        raise SystemExit(f"login of {username}: {status} {body}")
    return body["token"]


# -- the load --------------------------------------------------------------------------------

def city_points():
    """Component locations inside the city's extent: every one lies in a unit grid."""
    with open(os.path.join(ROOT, "gis-data/helsinki/city.json")) as f:
        x0, y0, x1, y1 = json.load(f)["extent"]
    with open(os.path.join(ROOT, "gis-data/helsinki/components.geojson")) as f:
        coords = [feat["geometry"]["coordinates"] for feat in json.load(f)["features"]]
    return [(x, y) for x, y in coords if x0 <= x <= x1 and y0 <= y <= y1]


def png(seed):
    """A real 4×4 RGB PNG whose pixels depend on `seed` (so every photo is a new file)."""
    pixels = hashlib.sha256(seed.encode()).digest() + hashlib.sha256(seed.encode() + b"+").digest()
    rows = b"".join(b"\x00" + pixels[r * 12:(r + 1) * 12] for r in range(4))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def multipart(name, data):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


class Load:
    """Client threads reporting cases until `stop()`; what the server acknowledged is recorded."""

    def __init__(self, base, token, points, round_no):
        self.base, self.token, self.points, self.round = base, token, points, round_no
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.killed = threading.Event()   # set just before the server is killed
        self.sent = {}        # key -> the body sent
        self.acked = {}       # key -> (case id, number)
        self.photos = []      # (case id, sha256) acknowledged with 201
        self.unexpected = []
        self.threads = [threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(THREADS)]

    def start(self):
        for t in self.threads:
            t.start()

    def acknowledged(self):
        with self.lock:
            return dict(self.acked)

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=30)
        return not any(t.is_alive() for t in self.threads)

    def client(self, i):
        r = random.Random(f"{SEED}-{self.round}-{i}")
        n, last = 0, None
        while not self.stopping.is_set():
            if last and r.random() < 0.2:
                key, body = last            # a phone retrying its last report
            else:
                lon, lat = r.choice(self.points)
                key = f"crash-r{self.round}-c{i}-{n}-{uuid.uuid4().hex[:8]}"
                body = {"kind": "event", "code": "06010", "location": {"lon": lon, "lat": lat},
                        "description": f"crash-safety round {self.round} client {i} report {n}"}
                n += 1
            with self.lock:
                self.sent[key] = body
            try:
                status, answer = request(self.base, "POST", "/api/v1/cases", self.token, body, {"Idempotency-Key": key})
            except (OSError, http.client.HTTPException) as e:
                # Not acknowledged. After the kill this client is done; before it, that is a failure.
                if not self.killed.is_set():
                    with self.lock:
                        self.unexpected.append(f"connection failed before the kill: {e}")
                return
            if status in (200, 201) and answer and "id" in answer:
                with self.lock:
                    before = self.acked.get(key)
                    self.acked[key] = (answer["id"], answer["number"])
                    if before and before != self.acked[key]:
                        self.unexpected.append(f"key {key} answered {before} then {self.acked[key]}")
                last = (key, body)
                if r.random() < 0.25:
                    self.photo(answer["id"], key)
            elif status == 422:
                pass                        # a point outside every grid (none expected, but harmless)
            else:
                with self.lock:
                    self.unexpected.append(f"POST /api/v1/cases {status} {answer}")

    def photo(self, case_id, key):
        data = png(key)
        body, headers = multipart(f"{key}.png", data)
        try:
            status, answer = request(self.base, "POST", f"/api/v1/cases/{case_id}/media?step=report", self.token, body, headers)
        except (OSError, http.client.HTTPException):
            return
        if status == 201:
            with self.lock:
                self.photos.append((case_id, hashlib.sha256(data).hexdigest()))
        else:
            with self.lock:
                self.unexpected.append(f"photo upload {status} {answer}")


# -- the checks ------------------------------------------------------------------------------

def read_db(path=DB):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    con.row_factory = sqlite3.Row
    return con


def media_ok(path, sha):
    f = os.path.join(path + ".media", sha[:2], sha)
    try:
        with open(f, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest() == sha
    except OSError:
        return False


def independent_chain(con):
    """Recomputes every hash from the documented canonical form; returns the first bad seq or None."""
    previous = "0" * 64
    for row in con.execute("SELECT * FROM case_audit ORDER BY seq"):
        text = previous + "\n"
        for name in sorted(row.keys()):
            if name in ("prev_hash", "hash") or row[name] is None:
                continue
            value = str(row[name])
            text += f"{len(name.encode())}:{name}={len(value.encode())}:{value}\n"
        if row["prev_hash"] != previous or hashlib.sha256(text.encode()).hexdigest() != row["hash"]:
            return row["seq"]
        previous = row["hash"]
    return None


def check_database(round_no, load):
    con = read_db()
    cases = {r["idempotency_key"]: (r["id"], r["number"]) for r in con.execute("SELECT id, number, idempotency_key FROM case_record")}
    acked = load.acknowledged()
    missing = [k for k, v in acked.items() if cases.get(k) != v]
    check(not missing, f"round {round_no}: all {len(acked)} acknowledged cases are there with their id and number"
          + (f" (missing or changed: {missing[:5]})" if missing else ""))
    reported = {r[0] for r in con.execute("SELECT case_id FROM case_audit WHERE from_status IS NULL AND action IN ('report', 'self-handle')")}
    no_entry = [v[0] for k, v in acked.items() if v[0] not in reported]
    check(not no_entry, f"round {round_no}: every acknowledged case has its report entry" + (f" (not: {no_entry[:5]})" if no_entry else ""))
    half = con.execute("""SELECT count(*) FROM case_record c WHERE NOT EXISTS
                          (SELECT 1 FROM case_audit a WHERE a.case_id = c.id AND a.from_status IS NULL)""").fetchone()[0]
    orphans = con.execute("""SELECT count(*) FROM case_audit a WHERE NOT EXISTS
                             (SELECT 1 FROM case_record c WHERE c.id = a.case_id)""").fetchone()[0]
    check(half == 0 and orphans == 0, f"round {round_no}: nothing half-written ({half} cases without report entry, {orphans} entries without case)")
    n_cases = con.execute("SELECT count(*) FROM case_record").fetchone()[0]
    n_reports = con.execute("SELECT count(*) FROM case_audit WHERE from_status IS NULL").fetchone()[0]
    n_entries = con.execute("SELECT count(*) FROM case_audit").fetchone()[0]
    check(n_cases == n_reports == n_entries, f"round {round_no}: counts agree: {n_cases} cases, {n_reports} report entries, {n_entries} entries")
    all_sent = ALL_SENT | set(load.sent)
    phantoms = [k for k in cases if k not in all_sent]
    check(not phantoms, f"round {round_no}: no case that no client sent" + (f" ({phantoms[:5]})" if phantoms else ""))
    media = {(r[0], r[1]) for r in con.execute("SELECT case_id, sha256 FROM case_media")}
    lost = [p for p in load.photos if p not in media or not media_ok(DB, p[1])]
    check(not lost, f"round {round_no}: all {len(load.photos)} acknowledged photos are there with their bytes" + (f" (lost: {lost[:3]})" if lost else ""))
    bad = independent_chain(con)
    check(bad is None, f"round {round_no}: the audit hash chain recomputed independently holds" + (f" (breaks at seq {bad})" if bad else ""))
    con.close()
    return n_entries


def check_retries(round_no, base, token, load):
    """Every key sent this round, sent again: acknowledged ones answer 200 with their case, and
    afterwards every key has exactly one case."""
    acked = load.acknowledged()
    wrong = []
    for key, body in load.sent.items():
        status, answer = request(base, "POST", "/api/v1/cases", token, body, {"Idempotency-Key": key}, timeout=30)
        if key in acked and (status != 200 or (answer["id"], answer["number"]) != acked[key]):
            wrong.append(f"{key}: {status}")
        elif key not in acked and status not in (200, 201, 422):
            wrong.append(f"{key} (lost in the crash): {status}")
    check(not wrong, f"round {round_no}: {len(load.sent)} keys retried after the restart ({len(acked)} acknowledged) answer as they should"
          + (f" ({wrong[:5]})" if wrong else ""))
    con = read_db()
    per_key = dict(con.execute("SELECT idempotency_key, count(*) FROM case_record WHERE idempotency_key LIKE ? GROUP BY 1",
                               (f"crash-r{round_no}-%",)).fetchall())
    con.close()
    doubled = [k for k, n in per_key.items() if n != 1]
    missing = [k for k in load.sent if k not in per_key]
    check(not doubled and not missing, f"round {round_no}: exactly one case per key sent ({len(per_key)} keys)"
          + (f" (doubled {doubled[:3]}, missing {missing[:3]})" if doubled or missing else ""))


def audit_verify(path, entries=None):
    out = subprocess.run([BIN, "audit", "verify", "--db", path], capture_output=True, text=True, timeout=300)
    ok = out.returncode == 0 and out.stdout.startswith("ok: ") and (entries is None or out.stdout.startswith(f"ok: {entries} entries"))
    check(ok, f"urbangrid audit verify --db {os.path.basename(path)}: {out.stdout.strip() or out.stderr.strip()}")


def check_restore(backup, acked_before):
    restored = os.path.join(WORK, "restored.sqlite")
    out = subprocess.run([BIN, "restore", "--from", backup, "--db", restored], capture_output=True, text=True, timeout=300)
    check(out.returncode == 0, f"urbangrid restore: {out.stdout.strip() or out.stderr.strip()}")
    if out.returncode != 0:
        return
    audit_verify(restored)
    copy, live = read_db(restored), read_db()
    copied = {r[0]: tuple(r) for r in copy.execute("SELECT id, number, idempotency_key FROM case_record")}
    last = max(copied, default=0)
    at_point = {r[0]: tuple(r) for r in live.execute("SELECT id, number, idempotency_key FROM case_record WHERE id <= ?", (last,))}
    check(copied == at_point, f"restored copy: the {len(copied)} cases committed at the backup point, no more, no less")
    keys = {v[2] for v in copied.values()}
    lost = [k for k in acked_before if k not in keys]
    check(not lost, f"restored copy: all {len(acked_before)} cases acknowledged before the backup started" + (f" (not: {lost[:3]})" if lost else ""))
    head = copy.execute("SELECT max(seq) FROM case_audit").fetchone()[0] or 0
    entries = copy.execute("SELECT seq, hash FROM case_audit ORDER BY seq").fetchall()
    same = live.execute("SELECT seq, hash FROM case_audit WHERE seq <= ? ORDER BY seq", (head,)).fetchall()
    check([tuple(e) for e in entries] == [tuple(e) for e in same], f"restored copy: its {len(entries)} audit entries are the live log's first {head}, same hashes")
    photos = [r[0] for r in copy.execute("SELECT DISTINCT sha256 FROM case_media")]
    check(all(media_ok(restored, s) for s in photos), f"restored copy: its {len(photos)} photos are in restored.sqlite.media with their bytes")
    copy.close()
    live.close()
    check_tampering_caught(restored, head)


def check_tampering_caught(path, head):
    """Edits an audit entry of a throw-away copy behind the server's back (dropping the append-only
    trigger first, as a tamperer would): `audit verify` must exit 1 naming that entry."""
    seq = max(1, head // 2)
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER case_audit_append_only_update")
    con.execute("UPDATE case_audit SET note = 'nothing to see' WHERE seq = ?", (seq,))
    con.commit()
    con.close()
    out = subprocess.run([BIN, "audit", "verify", "--db", path], capture_output=True, text=True, timeout=300)
    check(out.returncode == 1 and f"entry seq {seq} " in out.stdout,
          f"urbangrid audit verify names the entry edited behind its back (seq {seq}): {out.stdout.strip()}")


# -- the rounds ------------------------------------------------------------------------------

ALL_SENT = set()


def main():
    print(f"crash-safety: seed {SEED} (CRASH_SEED={SEED} replays it), {ROUNDS} rounds, {THREADS} clients", flush=True)
    points = city_points()
    server = Server()
    try:
        for round_no in range(ROUNDS):
            server.start()
            token = login(server.base, "inspector")
            load = Load(server.base, token, points, round_no)
            load.start()
            backup, acked_before = None, None
            if round_no == BACKUP_ROUND:
                time.sleep(rng.uniform(0.3, 1.0))
                acked_before = load.acknowledged()
                backup = os.path.join(WORK, "backup.sqlite")
                out = subprocess.run([BIN, "backup", "--db", DB, "--to", backup], capture_output=True, text=True, timeout=300)
                check(out.returncode == 0, f"urbangrid backup under load: {out.stdout.strip() or out.stderr.strip()}")
            delay = rng.uniform(0.3, 3.0)
            time.sleep(delay)
            load.killed.set()
            server.kill9()
            stopped = load.stop()
            check(stopped, f"round {round_no}: the clients stopped after the kill")
            acked = load.acknowledged()
            print(f"round {round_no}: SIGKILL after {delay:.2f} s; {len(load.sent)} keys sent, {len(acked)} acknowledged,"
                  f" {len(load.photos)} photos", flush=True)
            check(len(acked) > 0, f"round {round_no}: the load had cases acknowledged before the kill")
            check(not load.unexpected, f"round {round_no}: no unexpected answers" + (f" ({load.unexpected[:3]})" if load.unexpected else ""))

            server.start()
            entries = check_database(round_no, load)
            audit_verify(DB, entries)
            check_retries(round_no, server.base, token, load)
            ALL_SENT.update(load.sent)
            if backup and os.path.exists(backup):
                check_restore(backup, acked_before)
            server.stop()
    finally:
        server.stop()
    if failures:
        print(f"crash-safety: {len(failures)} failures (seed {SEED})", file=sys.stderr)
        sys.exit(1)
    print("crash-safety: ok")


main()
