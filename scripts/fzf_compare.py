#!/usr/bin/env python3
"""Interactive fzf and the crm console's find, side by side in one run, on the same names.

Both programs run in a 120x40 pseudo-terminal, pinned to the same single core (--cpu), and
get the same queries typed one key at a time; the next key is sent once the screen has been
quiet for 0.1 s. Latency is key written -> the answer is on screen:

  crm  the end of the frame drawn for the key (crm searches inside the key handler);
  fzf  the first time its info line shows the final count of the query, `M/N` without
       the `(NN%)` of a search in progress; M is known beforehand from `fzf --filter`.

The names come from `crm export --format csv` (the name column, one per line). fzf searches
only the names; crm also searches contact persons, phones, e-mails and tags, so it reads
more bytes per query. Rounds alternate crm and fzf so both see the same machine load.

usage: fzf_compare.py --data DIR [--bin crm] [--rounds 3] [--cpu 1] [--json OUT]
"""

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console_probe import QUERIES, Console, key_class  # noqa: E402
from ptyterm import Pty, fail, load_average, median, screen_text  # noqa: E402


def export_rows(crm, data):
    out = subprocess.run(
        [crm, "--data", data, "export", "--format", "csv"], capture_output=True, check=False
    )
    if out.returncode != 0:
        fail(f"crm export failed: {out.stderr.decode(errors='replace').strip()}")
    return list(csv.DictReader(io.StringIO(out.stdout.decode("utf-8-sig"))))


def fold(text):
    """About what crm's index stores: NFC, lower case, diacritics dropped."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


def key_bytes(rows):
    """Bytes of normalised search text of the book as the index lays it out (id, name,
    contact, phone digits, e-mail, tags, segment, each after a one-byte separator):
    an estimate of what a full scan reads, for the memory-bandwidth floor."""
    total = 0
    for row in rows:
        phone = "".join(c for c in row.get("phone", "") if c.isdigit())
        fields = [row.get("id", ""), row.get("name", ""), row.get("contact_name", ""), phone,
                  row.get("email", ""), row.get("segment", "")]
        fields += [t for t in row.get("tags", "").split(";") if t]
        total += sum(1 + len(fold(f).encode()) for f in fields if f)
    return total


def fzf_count(names_path, query):
    with open(names_path, "rb") as f:
        out = subprocess.run(["fzf", "--filter", query], stdin=f, capture_output=True, check=False)
    # fzf --filter exits 1 when nothing matches; that is a count of 0, not an error.
    if out.returncode not in (0, 1):
        fail(f"fzf --filter {query!r} failed: {out.stderr.decode(errors='replace').strip()}")
    return out.stdout.count(b"\n")


def final_count(count, total):
    return re.compile(rf"(?<!\d){count}/{total}(?!\d)(?! \()")


def fzf_session(args, names_path, total, expected):
    pin = ["taskset", "-c", str(args.cpu)] if args.cpu is not None else []
    env = {"TERM": "xterm-256color", "FZF_DEFAULT_OPTS": "", "LANG": "C.UTF-8"}
    term = Pty(pin + ["fzf", "--no-mouse"], cols=120, rows=40, env=env, stdin_path=names_path)
    loaded = final_count(total, total)
    if term.wait_for(lambda seen: loaded.search(screen_text(seen)), 0, args.timeout) is None:
        fail(f"fzf did not finish reading {total} names within {args.timeout} s")
    term.settle(0.3)
    keystrokes = []
    for kind, query in QUERIES:
        for end in range(1, len(query) + 1):
            prefix = query[:end]
            done_re = final_count(expected[prefix], total)
            mark = term.mark()
            sent = term.send(query[end - 1])
            done = term.wait_for(lambda seen: done_re.search(screen_text(seen)), mark, 30.0)
            term.settle(0.1)
            keystrokes.append({"class": key_class(kind, prefix), "query": prefix,
                               "latency_s": None if done is None else done - sent,
                               "matches": expected[prefix]})
        # Ctrl-U empties the query; wait until every name is listed again.
        mark = term.mark()
        term.send("\x15")
        term.wait_for(lambda seen: loaded.search(screen_text(seen)), mark, 30.0)
        term.settle(0.1)
    rss = term.proc("VmRSS")
    term.close("\x1b")
    return keystrokes, rss


def crm_session(args, names):
    console = Console(args, names)
    term = console.spawn()
    console.first_frame(term, args.timeout)
    term.settle(0.3)
    keystrokes = []
    for kind, query in QUERIES:
        console.key(term, "/")
        for end in range(1, len(query) + 1):
            latency, _ = console.key(term, query[end - 1])
            keystrokes.append({"class": key_class(kind, query[:end]), "query": query[:end],
                               "latency_s": latency})
        for _ in query:
            console.key(term, "\x7f")
        console.key(term, "\x1b")
    rss = term.proc("VmRSS")
    term.close("q")
    return keystrokes, rss


def by_class(keystrokes):
    classes = {}
    for k in keystrokes:
        classes.setdefault(k["class"], []).append(k["latency_s"])
    return classes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="crm")
    parser.add_argument("--data", required=True)
    parser.add_argument("--as-of")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cpu", type=int, default=1, help="core to pin both to; -1: no pinning")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.cpu is not None and args.cpu < 0:
        args.cpu = None

    rows = export_rows(args.bin, args.data)
    names = {r["name"].strip() for r in rows if r.get("name")}
    work = tempfile.mkdtemp(prefix="crm-fzf-")
    names_path = os.path.join(work, "names.txt")
    with open(names_path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(row["name"].replace("\n", " ") + "\n")
    total = len(rows)
    expected = {q[:e]: fzf_count(names_path, q[:e]) for _, q in QUERIES for e in range(1, len(q) + 1)}

    load_before = load_average()
    crm_keys, fzf_keys, crm_rss, fzf_rss = [], [], [], []
    for _ in range(args.rounds):
        keys, rss = crm_session(args, names)
        crm_keys += keys
        crm_rss.append(rss)
        keys, rss = fzf_session(args, names_path, total, expected)
        fzf_keys += keys
        fzf_rss.append(rss)
    load_after = load_average()

    crm_c, fzf_c = by_class(crm_keys), by_class(fzf_keys)
    ms = lambda v: None if v is None else round(v * 1000, 2)  # noqa: E731
    table = {}
    print(f"{'class':8} {'crm ms':>9} {'fzf ms':>9} {'fzf/crm':>8}   (medians of {args.rounds} rounds)")
    for cls in sorted(crm_c):
        c, z = median(crm_c[cls]), median(fzf_c.get(cls, []))
        ratio = round(z / c, 2) if c and z else None
        table[cls] = {"crm_ms": ms(c), "fzf_ms": ms(z), "fzf_over_crm": ratio}
        print(f"{cls:8} {ms(c)!s:>9} {ms(z)!s:>9} {ratio!s:>8}")
    missed = sum(1 for k in fzf_keys if k["latency_s"] is None)
    summary = {
        "customers": total,
        "names_bytes": os.path.getsize(names_path),
        "key_bytes_estimate": key_bytes(rows),
        "crm_rss_mib": round(median(crm_rss) / 1024, 1) if all(crm_rss) else None,
        "fzf_rss_mib": round(median(fzf_rss) / 1024, 1) if all(fzf_rss) else None,
        "fzf_keys_without_final_count": missed,
        "cpu": args.cpu,
        "load_before": load_before,
        "load_after": load_after,
        "by_class": table,
    }
    for key in ("customers", "names_bytes", "key_bytes_estimate", "crm_rss_mib", "fzf_rss_mib",
                "fzf_keys_without_final_count", "load_before", "load_after"):
        print(f"{key:28} {summary[key]}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": summary, "crm": crm_keys, "fzf": fzf_keys}, f,
                      ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
