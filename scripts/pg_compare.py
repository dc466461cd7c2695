#!/usr/bin/env python3
"""The book on sled and on PostgreSQL side by side, in one run (docs/performance.md).

    scripts/pg_compare.py --bin target/release/crm --book /tmp/book-100000 \
        --server postgres://crm:PW@127.0.0.1:54320/postgres [--runs 200] [--json out.json]

--book is a local book (e.g. `crm demo --customers 100000 --seed 42`); it is copied, never
changed. --server is a PostgreSQL server the script may create a database on (the one
.ci/postgres starts). Measured, each backend in turn:
  - `crm migrate --to` the copy into a fresh database: wall time and peak RSS (/usr/bin/time)
  - `crm serve` start: exec -> its socket accepts (the book open, the search index built)
  - over the socket, one connection, the JSON-lines protocol of src/book/remote.rs:
    find, card (what `crm show` asks) and log_contact (what `crm log` asks, durable), p50
    and p90 of --runs requests each, after 5 warm-up requests
  - PostgreSQL only: a second `crm serve` on the same database; a contact logged through
    the first, then asked for through the second until it is there: ack -> seen, p50/max
"""

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

AS_OF = "2026-11-22"


def run_timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v: (wall seconds, peak RSS KiB, completed)."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    rss = 0
    for line in done.stderr.splitlines():
        if "Maximum resident set size" in line:
            rss = int(line.split(":")[1])
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)}: {done.stderr}")
    return wall, rss, done


class Server:
    def __init__(self, bin_, data, store=None):
        os.makedirs(data, exist_ok=True)
        self.socket = os.path.join(data, "crm.sock")
        cmd = [bin_, "--data", data, "--as-of", AS_OF, "--user", "bench"]
        if store:
            cmd += ["--store", store]
        cmd.append("serve")
        start = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                probe = socket.socket(socket.AF_UNIX)
                probe.connect(self.socket)
                probe.close()
                break
            except OSError:
                if self.proc.poll() is not None:
                    sys.exit(f"server died: {' '.join(cmd)}")
                time.sleep(0.005)
        self.start_seconds = time.perf_counter() - start

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        start = time.perf_counter()
        self.proc.terminate()
        self.proc.wait(timeout=600)
        return round(time.perf_counter() - start, 2)


class Client:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.file = self.sock.makefile("rwb")

    def call(self, request):
        self.file.write((json.dumps(request) + "\n").encode())
        self.file.flush()
        answer = json.loads(self.file.readline())
        if "ok" not in answer:
            raise RuntimeError(f"{request['op']}: {answer}")
        return answer["ok"]

    def close(self):
        # The file object holds the socket open too: both, or the server waits on it.
        self.file.close()
        self.sock.close()


def interaction(note):
    return {
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "channel": "phone",
        "direction": "outbound",
        "purpose": "follow_up",
        "outcome": "positive",
        "satisfaction": 4,
        "signals": [],
        "note": note,
        "follow_up": None,
        "author": "bench",
    }


def timed(fn, runs):
    for _ in range(5):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2),
            "p90_ms": round(samples[int(len(samples) * 0.9) - 1], 2)}


def socket_figures(server, runs, seed):
    client = Client(server.socket)
    hits = client.call({"op": "find", "query": "li", "limit": 200})
    ids = [h["id"] for h in hits]
    # The first card computes the book's figures (the working set beyond the profiles).
    start = time.perf_counter()
    client.call({"op": "card", "id": ids[0], "as_of": AS_OF})
    first_card = round(time.perf_counter() - start, 2)
    rng = random.Random(seed)
    queries = ["zhang", "li wei", "trading", "anderson", "wang", "co"]
    figures = {
        "find": timed(lambda: client.call(
            {"op": "find", "query": rng.choice(queries), "limit": 20}), runs),
        "show (card)": timed(lambda: client.call(
            {"op": "card", "id": rng.choice(ids), "as_of": AS_OF}), runs),
        "log (log_contact)": timed(lambda: client.call(
            {"op": "log_contact", "id": rng.choice(ids),
             "interaction": interaction("bench"), "actor": "bench"}), runs),
    }
    client.close()
    figures["first_card_s"] = first_card
    return figures, ids


def second_server_sees(bin_, first, url, workdir, ids, rounds):
    second = Server(bin_, os.path.join(workdir, "pg-second"), url)
    one, two = Client(first.socket), Client(second.socket)
    two.call({"op": "account", "id": ids[0]})  # warm
    delays = []
    for n in range(rounds):
        customer = ids[n % len(ids)]
        note = f"seen-{n}-{time.time()}"
        one.call({"op": "log_contact", "id": customer,
                  "interaction": interaction(note), "actor": "bench"})
        acked = time.perf_counter()
        while True:
            account = two.call({"op": "account", "id": customer})
            if any(i["note"] == note for i in account["interactions"]):
                break
        delays.append((time.perf_counter() - acked) * 1000)
    one.close()
    two.close()
    start = second.start_seconds
    stop = second.stop()
    delays.sort()
    return {"second_start_s": round(start, 2), "second_stop_s": stop,
            "p50_ms": round(statistics.median(delays), 2), "max_ms": round(delays[-1], 2)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--book", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--json")
    args = ap.parse_args()
    bin_ = os.path.abspath(args.bin)
    work = tempfile.mkdtemp(prefix="crm-pgcmp-")
    results = {"load_before": os.getloadavg()}
    try:
        sled_dir = os.path.join(work, "sled")
        shutil.copytree(args.book, sled_dir)
        db = f"crm_bench_{os.getpid()}"
        base, _, _ = args.server.rpartition("/")
        subprocess.run(["psql", args.server, "-qc", f"CREATE DATABASE {db}"], check=True)
        url = f"{base}/{db}"

        wall, rss, done = run_timed([bin_, "--data", sled_dir, "migrate", "--to", url])
        results["migrate_to"] = {"wall_s": round(wall, 1), "peak_rss_mib": rss // 1024,
                                 "said": done.stdout.strip().split(" from ")[0]}
        back = os.path.join(work, "back")
        wall, rss, _ = run_timed([bin_, "--data", back, "migrate", "--from", url])
        results["migrate_from"] = {"wall_s": round(wall, 1), "peak_rss_mib": rss // 1024}

        for name, data, store in [("sled", sled_dir, None),
                                  ("postgres", os.path.join(work, "pg-first"), url)]:
            server = Server(bin_, data, store)
            figures, ids = socket_figures(server, args.runs, 7)
            figures["start_s"] = round(server.start_seconds, 2)
            if store:
                figures["second_server_sees"] = second_server_sees(
                    bin_, server, url, work, ids, 20)
            figures["server_peak_rss_mib"] = server.rss_kib() // 1024
            figures["stop_s"] = server.stop()
            results[name] = figures
        subprocess.run(["psql", args.server, "-qc", f"DROP DATABASE {db} WITH (FORCE)"],
                       check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["load_after"] = os.getloadavg()
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
