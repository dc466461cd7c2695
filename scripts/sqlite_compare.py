#!/usr/bin/env python3
"""crm and SQLite side by side in one run, on the same book (issue 12).

Builds the book of DIR in SQLite from `crm export --format json` (tables for customers,
interactions, orders and tasks, with the indexes each operation needs; WAL,
synchronous=FULL), then times each operation as whole processes, one process per
operation, crm and the sqlite3 shell in turn (`farm-bench --vs`, so both see the same
load), and prints a Markdown table of medians:

  log          crm log ID ...            | INSERT of the interaction (+ its follow-up task)
  show         crm show ID               | the customer, its last 10 interactions, 12-month
                                           margin and open tasks
  show after a write
               crm log ID ... ; crm show ID | the INSERT, then the SELECTs
  agenda       crm agenda                | open follow-ups due by the as-of date, best 50
                                           (SQLite: follow-ups only; crm also ranks every
                                           customer's next-best-actions)
  agenda after a write
               crm log ID ... ; crm agenda | the INSERT, then the agenda's SELECTs

Also prints the bytes one `crm log` process writes to the disk (its rusage, the index's
writes included).

usage: sqlite_compare.py --data DIR [--bin crm] [--as-of 2026-11-22] [--runs 7]
                         [--id c004118] [--work /tmp/sqlite_compare]

The crm book is written to (each `log` adds a contact): use a copy.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile

SCHEMA = """
PRAGMA journal_mode=WAL;
CREATE TABLE customers(id TEXT PRIMARY KEY, name TEXT, owner TEXT, segment TEXT,
                       created TEXT, lost TEXT) WITHOUT ROWID;
CREATE TABLE interactions(customer TEXT, at TEXT, channel TEXT, direction TEXT,
                          purpose TEXT, outcome TEXT, satisfaction INTEGER, note TEXT,
                          follow_up TEXT, author TEXT);
CREATE TABLE orders(customer TEXT, date TEXT, amount REAL, margin REAL);
CREATE TABLE tasks(id INTEGER PRIMARY KEY, customer TEXT, due TEXT, text TEXT,
                   origin TEXT, done TEXT);
"""

INDEXES = """
CREATE INDEX interactions_by_customer ON interactions(customer, at);
CREATE INDEX orders_by_customer ON orders(customer, date);
CREATE INDEX open_tasks ON tasks(done, origin, due);
CREATE INDEX tasks_by_customer ON tasks(customer);
CREATE INDEX customers_by_owner ON customers(owner);
"""


def fail(message):
    print(f"sqlite_compare: {message}", file=sys.stderr)
    sys.exit(1)


def build_sqlite(crm, data, db_path):
    exported = subprocess.run([crm, "--data", data, "export", "--format", "json"],
                              capture_output=True, check=False)
    if exported.returncode != 0:
        fail(f"crm export failed: {exported.stderr.decode(errors='replace').strip()}")
    book = json.loads(exported.stdout)
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.executescript(SCHEMA)
    for c in book["customers"]:
        lost = c.get("lost")
        db.execute("INSERT INTO customers VALUES (?,?,?,?,?,?)",
                   (c["id"], c["name"], c["owner"], c["segment"], c["created"],
                    lost and lost.get("date")))
        db.executemany(
            "INSERT INTO interactions VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(c["id"], i["at"], i["channel"], i["direction"], i["purpose"], i["outcome"],
              i.get("satisfaction"), i["note"], i.get("follow_up"), i.get("author"))
             for i in c["interactions"]])
        db.executemany("INSERT INTO orders VALUES (?,?,?,?)",
                       [(c["id"], o["date"], o["amount"], o.get("margin"))
                        for o in c["orders"]])
        db.executemany("INSERT INTO tasks VALUES (?,?,?,?,?,?)",
                       [(t["id"], c["id"], t["due"], t["text"], t["origin"], t.get("done"))
                        for t in c.get("tasks", [])])
    db.executescript(INDEXES)
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return len(book["customers"])


def sqlite_insert(customer, at):
    return (
        "PRAGMA synchronous=FULL; BEGIN;"
        "INSERT INTO interactions VALUES"
        f" ('{customer}','{at}','phone','outbound','service','positive',NULL,'x',NULL,'bench');"
        "UPDATE tasks SET done=date('now') WHERE customer='" + customer +
        "' AND origin='follow_up' AND done IS NULL;"
        "COMMIT;")


def sqlite_show(customer, as_of):
    return (
        f"SELECT * FROM customers WHERE id='{customer}';"
        f"SELECT at, channel, direction, purpose, outcome, note FROM interactions"
        f" WHERE customer='{customer}' ORDER BY at DESC LIMIT 10;"
        f"SELECT sum(coalesce(margin, amount*0.3)) FROM orders WHERE customer='{customer}'"
        f" AND date > date('{as_of}','-12 months');"
        f"SELECT id, due, text FROM tasks WHERE customer='{customer}' AND done IS NULL"
        f" ORDER BY due;")


def sqlite_agenda(as_of):
    return (
        "SELECT t.id, t.customer, c.name, t.due, t.text FROM tasks t"
        " JOIN customers c ON c.id = t.customer"
        f" WHERE t.done IS NULL AND t.origin='follow_up' AND t.due <= '{as_of}'"
        " ORDER BY t.due, t.customer, t.id LIMIT 50;"
        "SELECT count(*) FROM tasks WHERE done IS NULL AND origin='follow_up'"
        f" AND due <= '{as_of}';")


def farm_bench(runs, a, b, timeout):
    """Medians of A's and B's wall seconds and the median ratio A/B, from farm-bench."""
    out = subprocess.run(["farm-bench", "-n", str(runs), "--timeout", str(timeout),
                          "--vs", b, "--"] + a, capture_output=True, text=True, check=False)
    text = out.stdout + out.stderr
    figures = {}
    for line in text.splitlines():
        m = re.match(r"\s*(A|B|A/B)\s+(wall s|wall|peak MiB)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)",
                     line)
        if m:
            figures[(m.group(1), m.group(2))] = float(m.group(4))
    if ("A", "wall s") not in figures:
        fail("farm-bench gave no figures:\n" + text)
    return figures, text


def crm_log_write_bytes(crm, data, as_of, customer):
    """Bytes one `crm log` process writes to the disk, from its rusage (GNU time's %O
    counts 512-byte blocks), the index's writes included."""
    out = subprocess.run(["/usr/bin/time", "-f", "%O", crm, "--data", data, "--as-of", as_of,
                          "log", customer, "--channel", "phone", "--direction", "outbound",
                          "--outcome", "positive", "--note", "bytes"],
                         capture_output=True, text=True, check=False)
    lines = out.stderr.strip().splitlines()
    return int(lines[-1]) * 512 if lines and lines[-1].isdigit() else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--bin", default="crm")
    parser.add_argument("--as-of", default="2026-11-22")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--id", default="c004118")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "sqlite_compare"))
    args = parser.parse_args()
    crm = shutil.which(args.bin) or args.bin
    if not shutil.which("farm-bench"):
        fail("farm-bench is not on PATH")
    if not shutil.which("sqlite3"):
        fail("the sqlite3 shell is not installed (apt-get install sqlite3)")
    os.makedirs(args.work, exist_ok=True)
    db = os.path.join(args.work, "book.sqlite")
    customers = build_sqlite(crm, args.data, db)
    base = [crm, "--data", args.data, "--as-of", args.as_of]
    log = base + ["log", args.id, "--channel", "phone", "--direction", "outbound",
                  "--outcome", "positive", "--note", "sqlite_compare"]
    show = base + ["show", args.id]
    at = f"{args.as_of}T10:00:00Z"
    insert = sqlite_insert(args.id, at)
    select = sqlite_show(args.id, args.as_of)
    sql = lambda statements: f"sqlite3 {shlex.quote(db)} {shlex.quote(statements)}"  # noqa: E731
    operations = [
        ("`crm log` (durable insert)", log, sql(insert)),
        ("`crm show ID`", show, sql(select)),
        ("`crm show ID` right after a `crm log` (both processes)",
         ["sh", "-c", f"{shlex.join(log)} >/dev/null && exec {shlex.join(show)}"],
         "sh -c " + shlex.quote(f"{sql(insert)} && exec {sql(select)}")),
        ("`crm agenda`", base + ["agenda"], sql(sqlite_agenda(args.as_of))),
        ("`crm agenda` right after a `crm log` (both processes)",
         ["sh", "-c", f"{shlex.join(log)} >/dev/null && exec {shlex.join(base + ['agenda'])}"],
         "sh -c " + shlex.quote(f"{sql(insert)} && exec {sql(sqlite_agenda(args.as_of))}")),
    ]
    # A first read after the book was built brings every snapshot up to date.
    subprocess.run(base + ["list"], capture_output=True, check=False)
    subprocess.run(base + ["agenda"], capture_output=True, check=False)
    rows = []
    for name, a, b in operations:
        figures, _ = farm_bench(args.runs, a, b, timeout=900)
        rows.append((name, figures[("A", "wall s")], figures.get(("B", "wall s")),
                     figures.get(("A", "peak MiB")), figures.get(("A/B", "wall"))))
    written = crm_log_write_bytes(crm, args.data, args.as_of, args.id)
    load = os.getloadavg()
    print(f"book: {customers} customers (`{args.data}`), as of {args.as_of}; "
          f"{os.cpu_count()} cores; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
          f"medians of {args.runs} runs, crm and sqlite3 in turn (farm-bench --vs)\n")
    print("| operation | crm | crm peak RSS | SQLite | crm/SQLite |")
    print("|---|---|---|---|---|")
    for name, a, b, peak, ratio in rows:
        b_text = f"{b * 1000:.1f} ms" if b is not None else "-"
        r_text = f"{ratio:.2f}x" if ratio is not None else "-"
        peak_text = f"{peak:.0f} MiB" if peak is not None else "-"
        print(f"| {name} | {a * 1000:.1f} ms | {peak_text} | {b_text} | {r_text} |")
    if written is not None:
        print(f"\nbytes written by one `crm log` process: {written / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
