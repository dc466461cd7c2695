#!/usr/bin/env python3
"""Writes N vCards or CSV rows for timing `crm import` (docs/performance.md, issue 11).

usage: scripts/import_cards.py vcf|csv same|cjk|mixed N OUT

  same   every card is "Zhang Wei": one slug, so every id after the first is zhang-wei-N
  cjk    two-character Chinese names from a fixed list: no ASCII letters, so every id is c-N
  mixed  Latin first + last names from small lists, deterministic
"""
import sys

SURNAMES_CJK = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_CJK = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
FIRST = ["Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Ida", "Jon"]
LAST = ["Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans", "Thomas", "Roberts"]


def name(kind, i):
    if kind == "same":
        return "Zhang Wei"
    if kind == "cjk":
        return SURNAMES_CJK[i % len(SURNAMES_CJK)] + GIVEN_CJK[(i // 7) % len(GIVEN_CJK)]
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // 3) % len(LAST)]}"


def main():
    fmt, kind, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with open(out, "w", encoding="utf-8") as f:
        if fmt == "csv":
            f.write("name,phone,email\n")
        for i in range(n):
            nm = name(kind, i)
            phone = f"+49 30 {i:08d}"
            email = f"user{i}@example.com"
            if fmt == "csv":
                f.write(f"{nm},{phone},{email}\n")
            else:
                f.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{nm}\r\nTEL:{phone}\r\n"
                        f"EMAIL:{email}\r\nEND:VCARD\r\n")


if __name__ == "__main__":
    main()
