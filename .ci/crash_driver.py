"""Driver of .ci/crash: one engine, RUNS SIGKILL cycles. Usage: BIN URL RUNS SEED WORKDIR.

Each run starts the server, sends a burst of disbursement POSTs from four threads (unique
amounts and Idempotency-Keys), a period lock and a report issue, kills the server with SIGKILL
at a seeded random moment, restarts it, retries every write that got no answer with the same
key, and checks that every write is stored exactly once, locks and reports that were answered
are there, the SQLite file passes integrity_check and foreign_key_check, no partial file sits
under a final name, and `aidledger audit verify` passes.
"""
import base64, json, os, random, signal, socket, subprocess, sys, threading, time
import urllib.request, urllib.error

BIN, URL, RUNS, SEED, WORK = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ENGINE = "sqlite" if URL.startswith("sqlite:") else "postgres"
CHECKS = "integrity_check, foreign_key_check and audit verify" if ENGINE == "sqlite" else "audit verify"
PASSWORD = "crash-harness-password-" + base64.b32encode(os.urandom(10)).decode()
rng = random.Random(SEED)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ENV = dict(os.environ, DATABASE_URL=URL, ROCKET_ADDRESS="127.0.0.1", ROCKET_PORT=str(free_port()),
           ROCKET_LOG_LEVEL="critical", ROCKET_SECRET_KEY=base64.b64encode(os.urandom(64)).decode())
BASE = f"http://127.0.0.1:{ENV['ROCKET_PORT']}/api/v1"
LOG = open(os.path.join(WORK, f"server-{ENGINE}.log"), "ab")


def fail(msg):
    print(f"CRASH HARNESS FAILED ({ENGINE}): {msg}")
    sys.exit(1)


def cli(*args, stdin=None):
    r = subprocess.run([BIN, *args], env=ENV, input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"aidledger {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout


def sql(query):
    if ENGINE == "sqlite":
        import sqlite3
        path = URL.split("://", 1)[1].split("?")[0]
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            return [tuple(r) for r in con.execute(query).fetchall()]
        finally:
            con.close()
    out = subprocess.run(["psql", URL, "-qAt", "-F", "\t", "-c", query], capture_output=True, text=True, check=True)
    return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]


def call(method, path, body=None, token=None, key=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    url = BASE.rsplit("/api/v1", 1)[0] + path if path == "/healthz" else BASE + path
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if key:
        req.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def start():
    p = subprocess.Popen([BIN, "serve"], env=ENV, stdout=LOG, stderr=LOG)
    deadline = time.time() + 120
    while time.time() < deadline:
        if p.poll() is not None:
            fail(f"the server exited with {p.returncode} at start (see {LOG.name})")
        try:
            status, body = call("GET", "/healthz", timeout=3)
            if status == 200 and body["status"] == "ok":
                return p
            if status == 200:
                fail(f"/healthz after restart: {body}")
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.1)
    fail("the server did not answer /healthz within 120 s")


# Set up: demo data, one coordinator (enters), one reviewer (locks and issues).
cli("demo")
cli("user", "add", "crashc", "--role", "coordinator", "--password-stdin", stdin=PASSWORD)
cli("user", "add", "crashr", "--role", "reviewer", "--password-stdin", stdin=PASSWORD)
item = int(sql("SELECT id FROM aid_item WHERE status = 'implementing' ORDER BY id LIMIT 1")[0][0])
value_date = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 2 * 86400))
server = start()
tokens = {}
for user in ("crashc", "crashr"):
    status, body = call("POST", "/auth/token", {"username": user, "password": PASSWORD, "name": "crash"})
    if status != 201:
        fail(f"token for {user}: {status} {body}")
    tokens[user] = (body.get("data") or body)["token"]

sent, acked, locks, reports, refusals = {}, set(), set(), set(), []
retried = 0
lock = threading.Lock()


def writer(run, t, stop):
    n = 0
    while not stop.is_set():
        u = run * 1_000_000 + t * 10_000 + n + 1
        key = f"crash-{run}-{t}-{n}"
        body = {"amount": f"{u // 100}.{u % 100:02d}", "currency": "USD", "value_date": value_date}
        with lock:
            sent[key] = (u, body)
        try:
            status, reply = call("POST", f"/aid-items/{item}/disbursements", body, tokens["crashc"], key, timeout=5)
        except (urllib.error.URLError, ConnectionError, OSError, TimeoutError):
            return
        if status == 201:
            with lock:
                acked.add(key)
        elif status < 500:
            fail(f"write {key} refused: {status} {reply}")
        n += 1


def admin(run, stop):
    lock_period = f"{1995 + run // 12}-M{run % 12 + 1:02d}"
    report_month = run if run < 90 else None
    time.sleep(rng.uniform(0, 0.3))
    try:
        status, _ = call("POST", f"/periods/{lock_period}/lock", None, tokens["crashr"], timeout=5)
        if status in (200, 201):
            locks.add(lock_period)
        if report_month is not None:
            period = f"{2019 + report_month // 12}-M{report_month % 12 + 1:02d}"
            status, reply = call("POST", "/reports", {
                "period": period, "lang": "vi", "signer_title": "GIÁM ĐỐC",
                "signer_name": "Nguyễn Văn A", "recipients": ["UBND tỉnh", "Lưu: VT, QLNN"],
                "allow_empty_sections": True}, tokens["crashr"], timeout=30)
            if status in (200, 201):
                reports.add(period)
            elif status >= 500 or status == 422 or not refusals:
                refusals.append(f"report {period}: {status} {reply}")
    except (urllib.error.URLError, ConnectionError, OSError, TimeoutError):
        pass


def check(run):
    global retried
    if ENGINE == "sqlite":
        if sql("PRAGMA integrity_check") != [("ok",)]:
            fail(f"run {run}: integrity_check: {sql('PRAGMA integrity_check')}")
        if sql("PRAGMA foreign_key_check"):
            fail(f"run {run}: foreign_key_check: {sql('PRAGMA foreign_key_check')[:5]}")
    # Writes that got no answer are retried with their key: stored once, whatever happened.
    for key, (u, body) in list(sent.items()):
        if key in acked:
            continue
        status, reply = call("POST", f"/aid-items/{item}/disbursements", body, tokens["crashc"], key)
        if status not in (200, 201):
            fail(f"run {run}: retry of {key}: {status} {reply}")
        acked.add(key)
        retried += 1
    counts = dict((int(a), int(c)) for a, c in sql(
        "SELECT amount_minor, COUNT(*) FROM disbursement WHERE entered_by = "
        "(SELECT id FROM app_user WHERE username = 'crashc') GROUP BY amount_minor"))
    for key in acked:
        u = sent[key][0]
        if counts.get(u, 0) != 1:
            fail(f"run {run}: write {key} (amount {u}) stored {counts.get(u, 0)} times")
    if len(counts) != len(acked):
        fail(f"run {run}: {len(counts)} harness rows stored but {len(acked)} writes made")
    stored_locks = {r[0] for r in sql("SELECT period FROM period_lock WHERE unlocked_at IS NULL")}
    if not locks <= stored_locks:
        fail(f"run {run}: acknowledged locks missing: {locks - stored_locks}")
    stored_reports = {r[0] for r in sql("SELECT period FROM issued_report")}
    if not reports <= stored_reports:
        fail(f"run {run}: acknowledged reports missing: {reports - stored_reports}")
    for root, _, files in os.walk(WORK):
        bad = [f for f in files if "partial" in f or f.endswith(".tmp")]
        if bad:
            fail(f"run {run}: partial files left: {bad}")


for run in range(1, RUNS + 1):
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(run, t, stop)) for t in range(4)]
    threads.append(threading.Thread(target=admin, args=(run, stop)))
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.05, 1.5))
    server.send_signal(signal.SIGKILL)
    server.wait()
    stop.set()
    for t in threads:
        t.join()
    server = start()
    check(run)
    if RUNS <= 20 or run % 10 == 0 or run == RUNS:
        cli("audit", "verify")

for r in refusals:
    print(f"note: {r}")
# A report the server refused as invalid (or failed on) means the harness no longer exercises
# issuing: that is a failure, not a note.
if any(" 422 " in r or " 5" in r.split(":", 1)[1][:3] for r in refusals):
    fail("report issues were refused: " + "; ".join(refusals))
server.send_signal(signal.SIGTERM)
server.wait()
cli("audit", "verify")
print(f"crash harness ({ENGINE}): {RUNS} SIGKILL runs, {len(sent)} writes sent, {len(acked) - retried} acknowledged "
      f"before the kill, {retried} retried after it, every one stored exactly once; {len(locks)} period locks and "
      f"{len(reports)} reports acknowledged and present; {CHECKS} ok")
