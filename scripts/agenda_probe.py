#!/usr/bin/env python3
"""Times the console's agenda as a user's terminal sees it, in a 120x40 pseudo-terminal.

  open       '2' written -> end of the first frame showing the agenda's sections with
             their counts ("Mine (LOGIN) · N overdue · ..."), not "Computing the agenda…"
  toggle     'o' (everyone's, then mine again): the agenda computed again for other owners
  contact    on the agenda, 'l', a note, Ctrl-S -> end of the frame with the agenda computed
             again after the write (also: Ctrl-S -> the first frame without the form)

usage: agenda_probe.py --data DIR [--bin crm] [--as-of YYYY-MM-DD] [--login bob]
                       [--rounds 5] [--contacts 5] [--json OUT]

Each round starts a console (CRM_USER=LOGIN), waits for the book list, opens the agenda,
toggles it twice, then logs `--contacts` contacts from the agenda's first row (the first
round only: they are real writes to the book). The console answers a key inside its loop:
it draws "Computing the agenda…" first, then computes and draws the agenda, so the
frame with the sections is the one after the computation.
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptyterm import FRAME_END, Pty, fail, load_average, median  # noqa: E402

COMPUTING = "Computing the agenda"
FORM = "Log a contact"


def spawn(args):
    argv = [args.bin, "--data", args.data]
    if args.as_of:
        argv += ["--as-of", args.as_of]
    env = {"TERM": "xterm-256color", "CRM_USER": args.login, "LANG": "C.UTF-8"}
    return Pty(argv, cols=120, rows=40, env=env)


def agenda_shown(term, whose):
    def shown(seen):
        if not seen.endswith(FRAME_END):
            return False
        text = term.screen.text()
        return whose in text and " overdue · " in text and COMPUTING not in text and FORM not in text

    return shown


def timed(term, keys, predicate, timeout):
    mark = term.mark()
    sent = term.send(keys)
    done = term.wait_for(predicate, mark, timeout)
    if done is None:
        fail(f"no such frame within {timeout} s after {keys!r}; the screen:\n{term.screen.text()}")
    return done - sent


def round_(args, contacts):
    term = spawn(args)
    mine = f"Mine ({args.login}) ·"
    everyone = "Everyone's I can see ·"
    started = term.wait_for(lambda seen: "Book ·" in term.screen.text(), 0, args.timeout)
    if started is None:
        fail(f"the book list did not show within {args.timeout} s:\n{term.screen.text()}")
    term.settle(0.5)
    result = {"open_s": timed(term, "2", agenda_shown(term, mine), args.timeout)}
    term.settle(0.3)
    result["everyone_s"] = timed(term, "o", agenda_shown(term, everyone), args.timeout)
    term.settle(0.3)
    result["mine_again_s"] = timed(term, "o", agenda_shown(term, mine), args.timeout)
    term.settle(0.3)
    logged = []
    for i in range(contacts):
        mark = term.mark()
        term.send("l")
        if term.wait_for(lambda seen: FORM in term.screen.text(), mark, args.timeout) is None:
            fail(f"no log form after 'l':\n{term.screen.text()}")
        term.send(f"probe {i}")
        if term.wait_for(lambda seen: f"probe {i}" in term.screen.text(), mark, args.timeout) is None:
            fail(f"the note did not show:\n{term.screen.text()}")
        term.settle(0.2)
        mark = term.mark()
        sent = term.send("\x13")
        saved = term.wait_for(
            lambda seen: seen.endswith(FRAME_END) and FORM not in term.screen.text(), mark, args.timeout
        )
        shown = term.wait_for(agenda_shown(term, mine), mark, args.timeout)
        if saved is None or shown is None:
            fail(f"the agenda did not come back after saving:\n{term.screen.text()}")
        logged.append({"saved_s": saved - sent, "agenda_s": shown - sent})
        term.settle(0.3)
    result["contacts"] = logged
    result["rss_kib"] = term.proc("VmRSS")
    result["hwm_kib"] = term.proc("VmHWM")
    term.close("q")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="crm")
    parser.add_argument("--data", required=True)
    parser.add_argument("--as-of")
    parser.add_argument("--login", default="bob")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--contacts", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--json", help="write the raw and summarised figures here")
    args = parser.parse_args()

    load_before = load_average()
    rounds = [round_(args, args.contacts if i == 0 else 0) for i in range(args.rounds)]
    ms = lambda v: None if v is None else round(v * 1000, 1)  # noqa: E731
    contacts = rounds[0]["contacts"]
    summary = {
        "open_ms_median": ms(median([r["open_s"] for r in rounds])),
        "open_ms_all": [ms(r["open_s"]) for r in rounds],
        "everyone_ms_median": ms(median([r["everyone_s"] for r in rounds])),
        "mine_again_ms_median": ms(median([r["mine_again_s"] for r in rounds])),
        "contact_saved_ms": [ms(c["saved_s"]) for c in contacts],
        "contact_agenda_ms": [ms(c["agenda_s"]) for c in contacts],
        "rss_mib": [round(r["rss_kib"] / 1024, 1) for r in rounds if r["rss_kib"]],
        "hwm_mib": [round(r["hwm_kib"] / 1024, 1) for r in rounds if r["hwm_kib"]],
        "load_before": load_before,
        "load_after": load_average(),
    }
    for key, value in summary.items():
        print(f"{key:22} {value}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": summary, "raw": rounds}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
