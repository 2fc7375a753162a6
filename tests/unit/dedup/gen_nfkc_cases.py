#!/usr/bin/env python3
# Writes NFKC test cases with Python's own unicodedata as the oracle (independent of the tables
# that scripts/gen_nfkc_tables.py builds from /usr/share/unicode). Run at build time by
# tests/CMakeLists.txt; read by nfkc_test.cpp. One case per line: input code points (hex, space
# separated), a tab, the expected NFKC code points.
#   gen_nfkc_cases.py OUT.txt
# Only code points assigned in Python's Unicode version are used, so a newer UCD on the build
# machine gives the same answers (normalization stability).
import os
import random
import sys
import unicodedata


def assigned(cp):
    c = chr(cp)
    return unicodedata.category(c) not in ("Cn", "Cs", "Co")


def main():
    out = sys.argv[1]
    cps = [cp for cp in range(0x110000) if assigned(cp)]
    interesting = [cp for cp in cps if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
                   or unicodedata.combining(chr(cp))
                   or unicodedata.normalize("NFD", chr(cp)) != chr(cp)]
    marks = [cp for cp in cps if unicodedata.combining(chr(cp))]
    jamo = list(range(0x1100, 0x1113)) + list(range(0x1161, 0x1176)) + list(range(0x11A8, 0x11C3))
    bases = [ord(c) for c in "aeiouAEIOUnNcCsSzZyYwW"] + [0x391, 0x3B1, 0x415, 0x435, 0x3A9, 0x3C9]
    cases = [[cp] for cp in interesting]
    rnd = random.Random(20261122)
    # Single code points sampled from the rest (identity, mostly).
    cases += [[cp] for cp in rnd.sample(cps, 3000)]
    # Base + a few marks in random order (ordering and composition), Hangul jamo sequences,
    # and mixtures of everything.
    for _ in range(6000):
        kind = rnd.randrange(4)
        if kind == 0:
            s = [rnd.choice(bases)] + [rnd.choice(marks) for _ in range(rnd.randrange(1, 5))]
        elif kind == 1:
            s = [rnd.choice(jamo) for _ in range(rnd.randrange(2, 7))]
        elif kind == 2:
            s = [rnd.choice(interesting) for _ in range(rnd.randrange(2, 8))]
        else:
            pool = interesting + marks + bases + jamo + [0x20, 0x41, 0x61]
            s = [rnd.choice(pool) for _ in range(rnd.randrange(1, 12))]
        if rnd.randrange(3) == 0:
            s = [rnd.choice(marks)] + s  # a leading non-starter
        cases.append(s)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="ascii") as f:
        f.write("# unicodedata %s\n" % unicodedata.unidata_version)
        for s in cases:
            want = [ord(c) for c in unicodedata.normalize("NFKC", "".join(map(chr, s)))]
            f.write(" ".join("%x" % c for c in s) + "\t" + " ".join("%x" % c for c in want) + "\n")


if __name__ == "__main__":
    main()
