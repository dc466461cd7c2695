#!/usr/bin/env python3
"""Do the lifecycle stages predict who stops buying? A backtest on a real purchase log.

Builds a book from the purchases dated before a split date (a JSON book, `crm import`),
classifies every customer as of the split (`crm list --json`), and checks the stages
against what happened next: a customer is *lapsed* when it made no purchase in the N days
from the split on ([split, split + N)). Reports ROC AUC for lapsed of

  stage         ordinal: churned 3 > decline 2 > growth / maturity 1 (acquisition 0)
  flag          decline or churned 1, else 0
  recency       days since the last purchase (the plain baseline)
  BG/NBD        P(no purchase in the N days) from a BG/NBD model fitted on the same
                purchases (only when the `lifetimes` package is installed)

and, per stage, how many customers it holds and how many of them lapsed. Two more lines
put the stage's figure in context:

  best 3 ranks  the best AUC any split of recency into three ranks reaches (what an
                ordinal of three stages could reach if it were recency alone)
  stage, then o the stage, ties broken by the overdue ratio o = days since the last
                purchase / expected gap (DOMAIN.md §4: the own median gap from 3
                purchase days, else the book rhythm), which every silence line shows;
                o is recomputed here from the log with the default rhythm settings and
                checked against the engine's evidence for one customer

The purchase log: CDNOW_master.txt (whitespace-separated `customer YYYYMMDD cds dollars`,
a header line; shipped with `pip install lifetimes` as lifetimes/datasets/CDNOW_master.txt)
or a CSV with a header naming `customer`, `date` (YYYY-MM-DD or YYYYMMDD) and `amount`.
Orders keep their amount; margins are left to the default margin rate.

usage: backtest.py LOG --split YYYY-MM-DD --days N [--bin target/release/crm]
                   [--config FILE] [--keep DIR] [--json OUT]
"""

import argparse
import csv
import re
import statistics
import datetime as dt
import json
import math
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

ORDINAL = {"acquisition": 0, "growth": 1, "maturity": 1, "decline": 2, "churned": 3}


def fail(message):
    print(f"backtest: {message}", file=sys.stderr)
    sys.exit(1)


def parse_date(text, where):
    text = text.strip()
    try:
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{where}: date: not YYYY-MM-DD or YYYYMMDD: {text!r}")


def parse_amount(text, where):
    try:
        value = float(text)
    except ValueError:
        fail(f"{where}: amount: not a number: {text!r}")
    if not math.isfinite(value) or value < 0:
        fail(f"{where}: amount: must be a number >= 0, got {text!r}")
    return value


def read_log(path):
    """[(customer, date, amount)] from a CDNOW master file or a CSV with a header."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            first = f.readline()
            rest = f.read()
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    purchases = []
    if "," in first:
        reader = csv.DictReader([first] + rest.splitlines())
        missing = {"customer", "date", "amount"} - set(reader.fieldnames or [])
        if missing:
            fail(f"{path}: line 1: missing column(s): {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            where = f"{path}: line {line}"
            customer = (row["customer"] or "").strip()
            if not customer:
                fail(f"{where}: customer: empty")
            purchases.append(
                (customer, parse_date(row["date"] or "", where), parse_amount(row["amount"] or "", where))
            )
        return purchases
    # CDNOW: customer, date, number of CDs, dollar value; a header line naming them.
    lines = rest.splitlines()
    offset = 2
    if first.split() and first.split()[0].isdigit():
        lines.insert(0, first)
        offset = 1
    for i, text in enumerate(lines):
        fields = text.split()
        if not fields:
            continue
        where = f"{path}: line {i + offset}"
        if len(fields) != 4:
            fail(f"{where}: expected 4 fields (customer date cds dollars), got {len(fields)}")
        purchases.append((fields[0], parse_date(fields[1], where), parse_amount(fields[3], where)))
    return purchases


def book_json(purchases, split):
    """The JSON book (CONTRACT.md, crm-book/1) of the purchases dated before the split."""
    orders = defaultdict(list)
    for customer, date, amount in purchases:
        if date < split:
            orders[customer].append({"date": date.isoformat(), "amount": amount})
    customers = []
    for customer in sorted(orders):
        history = sorted(orders[customer], key=lambda o: o["date"])
        customers.append(
            {
                "id": f"c{customer}",
                "name": f"Customer {customer}",
                "kind": "person",
                "owner": "backtest",
                "created": history[0]["date"],
                "orders": history,
            }
        )
    return {
        "format": "crm-book/1",
        "users": [{"login": "backtest", "name": "Backtest", "role": "admin"}],
        "customers": customers,
        "pdca": [],
    }


def run_crm(binary, data, config, args):
    command = [binary, "--data", data, "--config", config, "--user", "backtest", *args]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"{' '.join(command)}: exit {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def auc(scores, labels):
    """ROC AUC of `scores` for the positive labels: the Mann-Whitney U with tied scores
    counted half (average ranks)."""
    pairs = sorted(zip(scores, labels))
    positives = sum(labels)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        average_rank = (i + 1 + j) / 2.0
        rank_sum += average_rank * sum(label for _, label in pairs[i:j])
        i = j
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


def best_three_ranks(scores, labels):
    """The best AUC of any split of `scores` into three ranks (two cut points)."""
    positives = Counter(s for s, l in zip(scores, labels) if l)
    negatives = Counter(s for s, l in zip(scores, labels) if not l)
    values = sorted(set(scores))
    pos, neg = [0], [0]
    for v in values:
        pos.append(pos[-1] + positives[v])
        neg.append(neg[-1] + negatives[v])
    total_pos, total_neg, k = pos[-1], neg[-1], len(values)
    if total_pos == 0 or total_neg == 0:
        return float("nan")

    def groups_auc(cuts):
        wins, below = 0.0, 0
        for a, b in zip([0, *cuts], [*cuts, k]):
            p, n = pos[b] - pos[a], neg[b] - neg[a]
            wins += p * below + 0.5 * p * n
            below += n
        return wins / (total_pos * total_neg)

    return max(groups_auc([i, j]) for i in range(1, k) for j in range(i, k))


def overdue_ratios(purchases, split):
    """o per customer id and the book rhythm, by DOMAIN.md §4 with the default settings
    (own gap from 3 purchase days, book rhythm from 30 customers, else 90 days)."""
    days = defaultdict(set)
    for c, d, _ in purchases:
        if d < split:
            days[f"c{c}"].add(d)
    own = {}
    for c, ds in days.items():
        ds = sorted(ds)
        if len(ds) >= 3:
            own[c] = statistics.median((b - a).days for a, b in zip(ds, ds[1:]))
    rhythm = statistics.median(own.values()) if len(own) >= 30 else 90.0
    ratios = {c: (split - max(ds)).days / own.get(c, rhythm) for c, ds in days.items()}
    return ratios, rhythm


def engine_book_rhythm(binary, data, config, split, lines):
    """The book rhythm as the engine's evidence states it, from the card of a customer
    measured against it (None when no such line)."""
    pattern = re.compile(r"× the ([0-9.]+) days expected between orders \(the book's")
    for line in lines:
        if line["stage"] not in ("decline", "churned"):
            continue
        card = json.loads(run_crm(binary, data, config, ["--as-of", split.isoformat(), "show", line["id"], "--json"]))
        for evidence in card["stage_evidence"]:
            found = pattern.search(evidence)
            if found:
                return float(found.group(1)), evidence
    return None


def bgnbd_no_purchase(purchases, split, days, ids):
    """P(no purchase in the N days after the split) per customer id, from a BG/NBD model
    fitted on the purchases before the split; None when `lifetimes` is not installed.

    A customer alive at T with purchase rate λ makes no purchase in (T, T + t] with
    probability exp(−λt) (BG/NBD drops out only right after a purchase); given its
    history and that it is alive, λ ~ Gamma(r + x, α + T), so
    P(none) = 1 − P(alive) · (1 − ((α + T) / (α + T + t))^(r + x))."""
    try:
        import pandas as pd
        from lifetimes import BetaGeoFitter
        from lifetimes.utils import summary_data_from_transaction_data
    except ImportError:
        return None
    frame = pd.DataFrame(
        [(f"c{c}", pd.Timestamp(d)) for c, d, _ in purchases if d < split],
        columns=["customer", "date"],
    )
    end = pd.Timestamp(split - dt.timedelta(days=1))
    summary = summary_data_from_transaction_data(
        frame, "customer", "date", observation_period_end=end, freq="D"
    )
    model = BetaGeoFitter(penalizer_coef=0.0)
    model.fit(summary["frequency"], summary["recency"], summary["T"])
    r, alpha = model.params_["r"], model.params_["alpha"]
    alive = model.conditional_probability_alive(summary["frequency"], summary["recency"], summary["T"])
    # The window starts the day after the observation end.
    out = {}
    for customer, x, big_t, p_alive in zip(summary.index, summary["frequency"], summary["T"], alive):
        stays = ((alpha + big_t) / (alpha + big_t + days)) ** (r + x)
        out[customer] = 1.0 - float(p_alive) * (1.0 - stays)
    return {c: out[c] for c in ids}, dict(model.params_)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", help="the purchase log: CDNOW_master.txt or a CSV")
    parser.add_argument("--split", required=True, help="YYYY-MM-DD: classify as of this date")
    parser.add_argument("--days", type=int, required=True, help="N: lapsed = no purchase in [split, split + N)")
    parser.add_argument("--bin", default="target/release/crm", help="the crm binary")
    parser.add_argument("--config", help="a crm config file (default: an empty one, all defaults)")
    parser.add_argument("--keep", help="build the book in this directory and keep it")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    split = parse_date(args.split, "--split")
    if args.days < 1:
        fail("--days: must be at least 1")
    if not os.path.exists(args.bin):
        fail(f"{args.bin}: no such binary (cargo build --release)")
    purchases = read_log(args.log)
    end = split + dt.timedelta(days=args.days)
    last_day = max(d for _, d, _ in purchases)
    if end - dt.timedelta(days=1) > last_day:
        print(f"backtest: note: the log ends on {last_day}, before the window's end", file=sys.stderr)
    bought_after = {f"c{c}" for c, d, _ in purchases if split <= d < end}
    book = book_json(purchases, split)

    with tempfile.TemporaryDirectory() as tmp:
        data = args.keep or os.path.join(tmp, "book")
        config = args.config or os.path.join(tmp, "config.toml")
        if not args.config:
            open(config, "w").close()
        book_file = os.path.join(tmp, "book.json")
        with open(book_file, "w") as f:
            json.dump(book, f)
        run_crm(args.bin, data, config, ["import", book_file])
        lines = json.loads(run_crm(args.bin, data, config, ["--as-of", split.isoformat(), "list", "--json"]))
        engine_rhythm = engine_book_rhythm(args.bin, data, config, split, lines)

    last_before = {}
    for c, d, _ in purchases:
        if d < split:
            key = f"c{c}"
            last_before[key] = max(last_before.get(key, d), d)
    ids = [line["id"] for line in lines]
    lapsed = [int(i not in bought_after) for i in ids]
    stages = [line["stage"] for line in lines]
    figures = {
        "split": split.isoformat(),
        "days": args.days,
        "customers": len(ids),
        "lapsed": sum(lapsed),
        "auc_stage": auc([ORDINAL[s] for s in stages], lapsed),
        "auc_flag": auc([int(s in ("decline", "churned")) for s in stages], lapsed),
        "auc_recency": auc([(split - last_before[i]).days for i in ids], lapsed),
    }
    bg = bgnbd_no_purchase(purchases, split, args.days, ids)
    if bg is not None:
        figures["auc_bgnbd"] = auc([bg[0][i] for i in ids], lapsed)
        figures["bgnbd_params"] = bg[1]
    ratios, rhythm = overdue_ratios(purchases, split)
    figures["book_rhythm"] = rhythm
    if engine_rhythm is not None:
        figures["engine_book_rhythm"], figures["engine_evidence"] = engine_rhythm
        if not args.config and abs(engine_rhythm[0] - rhythm) > 0.005:
            fail(f"the engine's book rhythm {engine_rhythm[0]} is not this script's {rhythm}")
    figures["auc_best_three_ranks"] = best_three_ranks([(split - last_before[i]).days for i in ids], lapsed)
    figures["auc_stage_then_o"] = auc([(ORDINAL[s], ratios[i]) for s, i in zip(stages, ids)], lapsed)
    by_stage = Counter(stages)
    lapsed_by_stage = Counter(s for s, l in zip(stages, lapsed) if l)
    figures["stages"] = {s: [by_stage[s], lapsed_by_stage[s]] for s in ORDINAL if by_stage[s]}

    print(f"split {figures['split']}, lapsed = no purchase in the next {args.days} days")
    print(f"customers {len(ids)}, lapsed {sum(lapsed)} ({sum(lapsed) / max(len(ids), 1):.1%})")
    print("ROC AUC for lapsed:")
    print(f"  stage (churned > decline > growth/maturity)  {figures['auc_stage']:.3f}")
    print(f"  decline or churned                           {figures['auc_flag']:.3f}")
    print(f"  recency (days since the last purchase)       {figures['auc_recency']:.3f}")
    if "auc_bgnbd" in figures:
        print(f"  BG/NBD P(no purchase in {args.days} days)          {figures['auc_bgnbd']:.3f}")
    else:
        print("  BG/NBD: not computed (pip install lifetimes)")
    print(f"  best split of recency into 3 ranks           {figures['auc_best_three_ranks']:.3f}")
    print(f"  stage, then overdue ratio o                  {figures['auc_stage_then_o']:.3f}")
    print(f"book rhythm {rhythm:g} days", end="")
    if "engine_evidence" in figures:
        print(f"; the engine says: {figures['engine_evidence']}")
    else:
        print()
    print("stage        customers  lapsed")
    for stage, (count, gone) in figures["stages"].items():
        print(f"  {stage:<11} {count:>8}  {gone:>6} ({gone / count:.1%})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)


if __name__ == "__main__":
    main()
