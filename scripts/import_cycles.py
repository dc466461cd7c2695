#!/usr/bin/env python3
"""Import circles among the modules of src/: which files name each other, round and round.

Reads every `use crate::a::b` / `crate::a::b::` path and `super::x` (resolved against the
file's module), maps it to the module file it names, and prints each strongly connected
component of more than one file (an import circle) under the given folder. Used by
docs/architecture.md ("Import circles"); run: scripts/import_cycles.py [src/tui]
"""
import os
import re
import sys

ROOT = "src"


def module_of(path):
    rel = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    if rel[-1] == "mod":
        rel = rel[:-1]
    return tuple(rel)


def files():
    out = {}
    for d, _, names in os.walk(ROOT):
        for n in names:
            if n.endswith(".rs"):
                p = os.path.join(d, n)
                out[module_of(p)] = p
    return out


def strip_tests(text):
    i = text.find("#[cfg(test)]\nmod tests")
    return text if i < 0 else text[:i]


def targets(mod, text, known):
    found = set()
    for m in re.finditer(r"\b(crate|super)((?:::\w+)+)", text):
        head, segs = m.group(1), m.group(2).split("::")[1:]
        base = list(mod) if head == "super" else []
        if head == "super":
            base = base[:-1]
        path = base + segs
        while path and tuple(path) not in known:
            path = path[:-1]
        if path and tuple(path) != mod:
            found.add(tuple(path))
    # `use crate::tui::{a, b::C}` groups
    for m in re.finditer(r"use crate::((?:\w+::)*)\{([^}]*)\}", text):
        prefix = [s for s in m.group(1).split("::") if s]
        for item in m.group(2).split(","):
            segs = prefix + [s for s in item.strip().split("::") if s and s != "self"]
            while segs and tuple(segs) not in known:
                segs = segs[:-1]
            if segs and tuple(segs) != mod:
                found.add(tuple(segs))
    return found


def sccs(graph):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def main():
    under = tuple(module_of(os.path.join(sys.argv[1], "mod.rs"))) if len(sys.argv) > 1 else ()
    known = files()
    graph = {}
    for mod, path in known.items():
        text = strip_tests(open(path, encoding="utf-8").read())
        # a module's parent (mod.rs) declaring it is not an import
        graph[mod] = {t for t in targets(mod, text, known) if t[: len(mod)] != mod}
    circles = [c for c in sccs(graph) if len(c) > 1 and all(m[: len(under)] == under for m in c)]
    for c in sorted(circles, key=len, reverse=True):
        print(f"{len(c)} files: " + ", ".join(sorted("::".join(m) for m in c)))
    print(f"{len(circles)} import circle(s) under {'/'.join(under) or 'src'}")


if __name__ == "__main__":
    main()
