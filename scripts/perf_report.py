#!/usr/bin/env python3
"""The issue-6 table for one book size, from the JSON perf.sh left in a results directory.

usage: perf_report.py RESULTS_DIR      (e.g. /tmp/crm-perf/results/100000)

The memory-bandwidth floor of a keystroke is the time one core needs just to read the
search keys once (key bytes / sequential read bandwidth); the ratio says how far a
keystroke is from that floor. Queries that the index answers from posting lists read less
than all keys, so their ratio can fall below 1.
"""

import json
import os
import re
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def hyperfine(out, name):
    data = load(os.path.join(out, f"{name}.json"))
    if not data:
        return None
    r = data["results"][0]
    return f"{r['median'] * 1000:.1f} ms (user+sys {(r['user'] + r['system']) * 1000:.1f})"


def bandwidth_gib_s(out):
    try:
        with open(os.path.join(out, "membw.txt")) as f:
            text = f.read()
    except OSError:
        return None
    found = re.search(r"read_bandwidth_gib_s ([0-9.]+)", text)
    return float(found.group(1)) if found else None


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        sys.exit(2)
    out = sys.argv[1]
    console = (load(os.path.join(out, "console.json")) or {}).get("summary", {})
    fzf = (load(os.path.join(out, "fzf.json")) or {}).get("summary", {})
    rows = []
    find = console.get("find_ms_median", {})
    for cls in ("1char", "2char", "3plus", "cjk", "typo"):
        if cls in find:
            rows.append((f"per-keystroke find, {cls} (console, median)", f"{find[cls]} ms"))
    rows.append(("start to first frame with customers", f"{console.get('start_ms_median')} ms"))
    for name, label in (("find_3plus", "`crm find anderson`"), ("find_1char", "`crm find a`"),
                        ("find_cjk", "`crm find 华信`"), ("find_typo", "`crm find jonhson`"),
                        ("show", "`crm show ID`"), ("show_json", "`crm show ID --json`"),
                        ("version", "`crm --version` (process floor)")):
        rows.append((label, hyperfine(out, name)))
    rows.append(("RSS after a find (VmRSS / peak VmHWM)",
                 f"{console.get('rss_mib')} / {console.get('hwm_mib')} MiB"))
    rows.append(("  of which own heap / mapped files (RssAnon / RssFile)",
                 f"{console.get('anon_mib')} / {console.get('file_mib')} MiB"))
    counts = console.get("moves_in_page_scrolling", [None, None])
    rows.append(("bytes per selection move `j` inside the page (median)",
                 f"{console.get('move_bytes_in_page')} B ({counts[0]} moves)"))
    rows.append(("bytes per selection move `j` that scrolls the list (median / max)",
                 f"{console.get('move_bytes_scrolling')} / {console.get('move_bytes_max')} B "
                 f"({counts[1]} moves)"))
    rows.append((f"CPU while idle {console.get('idle_s')} s",
                 f"{console.get('idle_cpu_ms')} ms CPU, {console.get('idle_bytes')} B written, "
                 f"wake-ups by thread {console.get('idle_wakeups')}"))
    for cls, row in sorted(fzf.get("by_class", {}).items()):
        rows.append((f"fzf vs crm, {cls}", f"fzf {row['fzf_ms']} ms, crm {row['crm_ms']} ms "
                     f"(fzf/crm {row['fzf_over_crm']})"))
    gib_s = bandwidth_gib_s(out)
    key_bytes = fzf.get("key_bytes_estimate")
    if gib_s and key_bytes:
        floor_ms = key_bytes / (gib_s * 2**30) * 1000
        rows.append(("memory floor (key bytes / read bandwidth)",
                     f"{key_bytes / 2**20:.1f} MiB / {gib_s} GiB/s = {floor_ms:.2f} ms"))
        for cls in ("3plus", "typo", "1char"):
            if find.get(cls):
                rows.append((f"{cls} keystroke / floor", f"{find[cls] / floor_ms:.1f}x"))
    rows.append(("load average (console probe, before / after)",
                 f"{console.get('load_before')} / {console.get('load_after')}"))
    print(f"\n| {os.path.basename(os.path.normpath(out))} customers | measured |")
    print("|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
