#!/usr/bin/env python3
"""Measures the crm console as a user's terminal sees it, in a 120x40 pseudo-terminal.

  start      exec -> end of the first frame that shows customers of the book (repeated)
  move       bytes written (and latency) per selection move `j` in the book list
  find       per keystroke: key written -> end of the frame drawn for it, by query class
  memory     VmRSS / VmHWM of the console after the finds, and VmRSS's parts RssAnon (own
             heap) / RssFile (binary and mapped snapshot pages)
  idle       CPU ticks and bytes written while nobody types for --idle seconds

usage: console_probe.py --data DIR [--bin crm] [--as-of YYYY-MM-DD] [--starts 7]
                        [--moves 60] [--idle 10] [--json OUT]

crm draws each frame inside synchronized-update sequences and searches inside the key
handler, so "the frame after a key" is the frame with that key's hits. A frame counts as
"customers on screen" when at least 3 names of the book (from `crm export`) are written in it.
"""

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptyterm import FRAME_END, Pty, fail, load_average, median  # noqa: E402

# (class, query typed one key at a time); a keystroke's class is the query's class when
# that is cjk or typo (from its 3rd key on), else 1char / 2char / 3plus by the prefix length.
QUERIES = [
    ("name", "anderson"),
    ("name", "li"),
    ("name", "trading co"),
    ("cjk", "华信"),
    ("cjk", "科技有限"),
    ("typo", "jonhson"),
    ("typo", "zhnag wei"),
]


def key_class(kind, prefix):
    if kind == "cjk":
        return "cjk"
    if kind == "typo" and len(prefix) >= 3:
        return "typo"
    return {1: "1char", 2: "2char"}.get(len(prefix), "3plus")


def book_names(crm, data):
    """Every customer name of the book, from the CSV export (which needs the book's lock,
    so it runs before the console starts)."""
    out = subprocess.run(
        [crm, "--data", data, "export", "--format", "csv"],
        capture_output=True,
        check=False,
    )
    if out.returncode != 0:
        fail(f"crm export failed: {out.stderr.decode(errors='replace').strip()}")
    rows = csv.DictReader(io.StringIO(out.stdout.decode("utf-8-sig")))
    names = {row["name"].strip() for row in rows if row.get("name")}
    if not names:
        fail(f"the book in {data} has no customers (crm export printed none)")
    return names


_GAPS = re.compile(r"\s{2,}|[│┃|┌┐└┘─═]")


def names_in(text, names):
    """The rows of `text` that show a name of the book (a large book repeats names)."""
    return [part.strip() for part in _GAPS.split(text) if part.strip() in names]


class Console:
    def __init__(self, args, names):
        self.args = args
        self.names = names

    def spawn(self):
        cpu = getattr(self.args, "cpu", None)
        pin = ["taskset", "-c", str(cpu)] if cpu is not None else []
        argv = pin + [self.args.bin, "--data", self.args.data]
        if self.args.as_of:
            argv += ["--as-of", self.args.as_of]
        env = {"TERM": "xterm-256color", "CRM_USER": "perf", "LANG": "C.UTF-8"}
        return Pty(argv, cols=120, rows=40, env=env)

    def first_frame(self, term, timeout):
        """Seconds from spawn to the end of the first frame showing >= 3 rows with book names."""

        def shows_customers(seen):
            return seen.endswith(FRAME_END) and len(names_in(term.screen.text(), self.names)) >= 3

        at = term.wait_for(shows_customers, 0, timeout)
        if at is None:
            fail(f"no frame with customers within {timeout} s; the screen:\n{term.screen.text()}")
        return at - term.started

    def starts(self):
        times = []
        for _ in range(self.args.starts):
            term = self.spawn()
            times.append(self.first_frame(term, self.args.timeout))
            term.settle(0.2)
            term.close("q")
        return times

    def key(self, term, keys, timeout=10.0):
        """(latency to the end of the next frame, bytes until the screen is quiet)."""
        mark = term.mark()
        sent = term.send(keys)
        done = term.wait_for(lambda seen: FRAME_END in seen, mark, timeout)
        term.settle(0.1)
        latency = None if done is None else done - sent
        return latency, len(term.since(mark))

    def session(self):
        term = self.spawn()
        result = {"start_s": self.first_frame(term, self.args.timeout)}
        term.settle(0.3)
        moves, scrolled = [], []
        for _ in range(self.args.moves):
            before = term.screen.text().splitlines()
            moves.append(self.key(term, "j"))
            after = term.screen.text().splitlines()
            # A move inside the page repaints two rows (and a status line); a scroll, the list.
            scrolled.append(sum(a != b for a, b in zip(before, after)) > 4)
        result["move_bytes"] = [b for _, b in moves]
        result["move_latency_s"] = [t for t, _ in moves]
        result["move_scrolled"] = scrolled
        keystrokes = []
        for kind, query in QUERIES:
            self.key(term, "/")
            for end in range(1, len(query) + 1):
                latency, size = self.key(term, query[end - 1])
                keystrokes.append(
                    {"class": key_class(kind, query[:end]), "query": query[:end],
                     "latency_s": latency, "bytes": size}
                )
            # Empty the query first so closing the palette never has input to confirm.
            for _ in query:
                self.key(term, "\x7f")
            self.key(term, "\x1b")
        result["keystrokes"] = keystrokes
        result["rss_kib"] = term.proc("VmRSS")
        result["hwm_kib"] = term.proc("VmHWM")
        result["anon_kib"] = term.proc("RssAnon")
        result["file_kib"] = term.proc("RssFile")
        term.settle(0.5)
        ticks, woke = term.cpu_ticks(), term.wakeups()
        result["idle_bytes"] = term.drain_idle(self.args.idle)
        result["idle_cpu_s"] = (term.cpu_ticks() - ticks) / os.sysconf("SC_CLK_TCK")
        after = term.wakeups()
        result["idle_wakeups"] = {t: after[t] - woke.get(t, 0) for t in after if after[t] != woke.get(t, 0)}
        result["idle_s"] = self.args.idle
        term.close("q")
        return result


def summarize(result):
    by_class = {}
    for k in result["keystrokes"]:
        by_class.setdefault(k["class"], []).append(k["latency_s"])
    ms = lambda v: None if v is None else round(v * 1000, 2)  # noqa: E731
    moves = list(zip(result["move_bytes"], result["move_scrolled"]))
    in_page = [b for b, s in moves if not s]
    scrolling = [b for b, s in moves if s]
    return {
        "start_ms_median": ms(median(result["starts_s"])),
        "start_ms_all": [ms(v) for v in result["starts_s"]],
        "find_ms_median": {c: ms(median(v)) for c, v in sorted(by_class.items())},
        "find_ms_max": {c: ms(max(x for x in v if x is not None)) for c, v in sorted(by_class.items())},
        "move_bytes_median": median(result["move_bytes"]),
        "move_bytes_in_page": median(in_page),
        "move_bytes_scrolling": median(scrolling),
        "moves_in_page_scrolling": [len(in_page), len(scrolling)],
        "move_bytes_max": max(result["move_bytes"]),
        "move_ms_median": ms(median(result["move_latency_s"])),
        "rss_mib": round(result["rss_kib"] / 1024, 1) if result["rss_kib"] else None,
        "hwm_mib": round(result["hwm_kib"] / 1024, 1) if result["hwm_kib"] else None,
        "anon_mib": round(result["anon_kib"] / 1024, 1) if result["anon_kib"] else None,
        "file_mib": round(result["file_kib"] / 1024, 1) if result["file_kib"] else None,
        "idle_cpu_ms": round(result["idle_cpu_s"] * 1000, 1),
        "idle_bytes": result["idle_bytes"],
        "idle_wakeups": result["idle_wakeups"],
        "idle_s": result["idle_s"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="crm")
    parser.add_argument("--data", required=True)
    parser.add_argument("--as-of")
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--moves", type=int, default=60)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--cpu", type=int, help="pin the console to this core (taskset)")
    parser.add_argument("--json", help="write the raw and summarised figures here")
    args = parser.parse_args()

    names = book_names(args.bin, args.data)
    console = Console(args, names)
    load_before = load_average()
    starts = console.starts()
    result = console.session()
    result["starts_s"] = starts + [result["start_s"]]
    summary = summarize(result)
    summary["distinct_names"] = len(names)
    summary["load_before"] = load_before
    summary["load_after"] = load_average()
    for key, value in summary.items():
        print(f"{key:18} {value}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": summary, "raw": result}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
