#!/usr/bin/env python3
"""The team server under 16 concurrent clients: the figures of docs/performance.md.

usage: scripts/team_bench.py [--customers 100000] [--clients 16] [--ops 50]
                             [--bin target/release/crm] [--dir /tmp/crm-team-bench]

Builds (once) a demo book of --customers, starts `crm serve` on it, then measures with
--clients threads at once, each running --ops operations:

  1. real `crm` client processes (what a user's command costs, process start included):
     `crm find FRAGMENT`, `crm show ID --json`, `crm log ID ...` (durable when it exits);
  2. the same requests over the socket from a minimal client (protocol 2: hello, then one
     JSON request per line), which is what the server itself costs per request;
  3. how long until a logged contact is announced to a subscriber (what wakes another
     console): from the start of the `crm log` process to the `changed` frame.

Prints p50/p99 per operation and the durable logs per second of the write phase.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def ms(values):
    return "p50 %6.1f ms  p99 %6.1f ms  (n=%d)" % (
        pct(values, 50) * 1000, pct(values, 99) * 1000, len(values))


class Conn:
    """A protocol-2 client: hello, then one request per line."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.f = self.s.makefile("rwb")
        self.hello = self.call({"hello": {"protocol": 2}})

    def call(self, request):
        self.f.write(json.dumps(request).encode() + b"\n")
        self.f.flush()
        line = self.f.readline()
        if not line:
            raise RuntimeError("the server closed the connection")
        return json.loads(line)


def run(cmd):
    started = time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), out.stderr.decode()))
    return took


def in_threads(clients, work):
    results = [[] for _ in range(clients)]
    errors = []

    def one(n):
        try:
            work(n, results[n])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    started = time.perf_counter()
    threads = [threading.Thread(target=one, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return [x for r in results for x in r], time.perf_counter() - started


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=100000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--ops", type=int, default=50)
    ap.add_argument("--bin", default="target/release/crm")
    ap.add_argument("--dir", default="/tmp/crm-team-bench")
    a = ap.parse_args()
    crm = os.path.abspath(a.bin)
    os.makedirs(a.dir, exist_ok=True)
    book = os.path.join(a.dir, "book-%d" % a.customers)
    as_of = ["--as-of", "2026-11-22"]
    env = dict(os.environ)
    for name in ("CRM_USER", "CRM_SOCKET", "CRM_CONFIG", "CRM_STORE"):
        env.pop(name, None)
    base = [crm, "--data", book] + as_of
    if not os.path.exists(os.path.join(book, "journal")):
        print("making a %d-customer demo book in %s ..." % (a.customers, book), flush=True)
        subprocess.run(base + ["demo", "--customers", str(a.customers), "--seed", "1"],
                       check=True, stdout=subprocess.DEVNULL)
    listed = json.loads(subprocess.run(base + ["list", "--json"], check=True,
                                       capture_output=True).stdout)
    ids = [line["id"] for line in listed]
    names = [line["name"] for line in listed]
    sock = os.path.join(book, "crm.sock")
    server = subprocess.Popen(base + ["serve"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 300
        while True:
            try:
                Conn(sock)
                break
            except OSError:
                if time.time() > deadline:
                    sys.exit("the server never listened")
                time.sleep(0.05)
        print("machine: %s, %d cores; book: %d customers; %d clients x %d ops" % (
            open("/proc/cpuinfo").read().split("model name")[1].split("\n")[0].strip(": \t"),
            os.cpu_count(), len(ids), a.clients, a.ops), flush=True)

        def frag(n, i):
            name = names[(n * 7919 + i * 104729) % len(names)]
            return name[: max(4, len(name) // 2)].lower()

        def cid(n, i):
            return ids[(n * 7919 + i * 104729 + 13) % len(ids)]

        # 1. crm processes: find and show.
        def reads(n, out):
            for i in range(a.ops):
                out.append(("find", run(base + ["find", frag(n, i)])))
                out.append(("show", run(base + ["show", cid(n, i), "--json"])))
        got, _ = in_threads(a.clients, reads)
        print("crm processes, %d at once:" % a.clients)
        for op in ("find", "show"):
            print("  %-5s %s" % (op, ms([t for o, t in got if o == op])))

        # 3. a subscriber times the announcements of the logs below.
        sub = Conn(sock)
        sub.f.write(b'{"op":"subscribe"}\n')
        sub.f.flush()
        sub.f.readline()
        started_at = {}
        seen = []
        stop = threading.Event()

        def listen():
            while not stop.is_set():
                line = sub.f.readline()
                if not line:
                    return
                frame = json.loads(line)
                if "changed" in frame:
                    now = time.perf_counter()
                    for c in frame["changed"]["customers"]:
                        if c in started_at:
                            seen.append(now - started_at.pop(c))
        listener = threading.Thread(target=listen, daemon=True)
        listener.start()

        # 1. crm processes: log (each on a customer of its own, so announcements match).
        def writes(n, out):
            for i in range(a.ops):
                c = ids[(n * a.ops + i) % len(ids)]
                cmd = base + ["log", c, "--channel", "phone", "--direction", "outbound",
                              "--outcome", "neutral", "--note", "bench %d-%d" % (n, i)]
                started_at[c] = time.perf_counter()
                out.append(run(cmd))
        logs, wall = in_threads(a.clients, writes)
        print("  log   %s" % ms(logs))
        print("  durable logs/s in total: %.0f (%d logs in %.2f s)" % (
            len(logs) / wall, len(logs), wall))
        time.sleep(0.5)
        print("  change announced to a subscriber (from the log process's start): %s" % ms(seen))

        # What a console showing the book list re-reads after a change: every line.
        conn = Conn(sock)
        took = []
        for _ in range(5):
            t = time.perf_counter()
            conn.call({"op": "summaries", "as_of": "2026-11-22"})
            took.append(time.perf_counter() - t)
        print("  the book list re-read by a console after a change (all lines, over the socket): %s"
              % ms(took))

        # 2. over the socket, no process start.
        def socket_reads(n, out):
            conn = Conn(sock)
            for i in range(a.ops * 4):
                t = time.perf_counter()
                conn.call({"op": "find", "query": frag(n, i), "limit": 10})
                out.append(("find", time.perf_counter() - t))
                t = time.perf_counter()
                conn.call({"op": "card", "id": cid(n, i), "as_of": "2026-11-22"})
                out.append(("show", time.perf_counter() - t))
        got, _ = in_threads(a.clients, socket_reads)
        print("over the socket (one connection per client, %d at once):" % a.clients)
        for op in ("find", "show"):
            print("  %-5s %s" % (op, ms([t for o, t in got if o == op])))

        def socket_writes(n, out):
            conn = Conn(sock)
            for i in range(a.ops * 4):
                c = ids[(n * 977 + i) % len(ids)]
                t = time.perf_counter()
                answer = conn.call({"op": "log_contact", "id": c, "interaction": {
                    "at": "2026-11-21T10:00:00Z", "channel": "phone",
                    "direction": "outbound", "purpose": "follow_up", "outcome": "neutral",
                    "satisfaction": None, "signals": [], "note": "socket bench",
                    "follow_up": None, "author": ""}})
                if "ok" not in answer:
                    raise RuntimeError(answer)
                out.append(time.perf_counter() - t)
        logs, wall = in_threads(a.clients, socket_writes)
        print("  log   %s" % ms(logs))
        print("  durable logs/s in total: %.0f (%d logs in %.2f s)" % (
            len(logs) / wall, len(logs), wall))
        stop.set()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
