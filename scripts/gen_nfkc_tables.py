#!/usr/bin/env python3
# Writes the C++ tables behind src/dedup/nfkc.h from the Unicode Character Database that Debian's
# `unicode-data` package installs (/usr/share/unicode): canonical combining classes, full
# compatibility decompositions (already expanded recursively) and the canonical composition pairs.
# Run at build time by CMakeLists.txt into the build folder; the output is never committed.
#   gen_nfkc_tables.py UNICODE_DIR OUT.cpp
import os
import sys


def parse_unicode_data(path):
    ccc, decomp, compat = {}, {}, set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            if len(fields) < 6:
                continue
            cp = int(fields[0], 16)
            if int(fields[3]):
                ccc[cp] = int(fields[3])
            d = fields[5].strip()
            if not d:
                continue
            parts = d.split()
            if parts[0].startswith("<"):
                compat.add(cp)
                parts = parts[1:]
            decomp[cp] = [int(p, 16) for p in parts]
    return ccc, decomp, compat


def parse_exclusions(path):
    # Full_Composition_Exclusion from DerivedNormalizationProps.txt.
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            rng, prop = [x.strip() for x in line.split(";")[:2]]
            if prop != "Full_Composition_Exclusion":
                continue
            if ".." in rng:
                a, b = rng.split("..")
                out.update(range(int(a, 16), int(b, 16) + 1))
            else:
                out.add(int(rng, 16))
    return out


def unicode_version(directory):
    import re
    with open(os.path.join(directory, "ReadMe.txt"), encoding="utf-8", errors="replace") as f:
        m = re.search(r"Version (\d+\.\d+\.\d+) of the Unicode Standard", f.read())
    return m.group(1) if m else "unknown"


def main():
    udir, out_path = sys.argv[1], sys.argv[2]
    ccc, decomp, compat = parse_unicode_data(os.path.join(udir, "UnicodeData.txt"))
    excluded = parse_exclusions(os.path.join(udir, "DerivedNormalizationProps.txt"))

    def full(cp):  # full compatibility decomposition (canonical and compatibility mappings)
        if cp not in decomp:
            return [cp]
        r = []
        for c in decomp[cp]:
            r.extend(full(c))
        return r

    pool, entries = [], []
    for cp in sorted(decomp):
        seq = full(cp)
        entries.append((cp, len(pool), len(seq)))
        pool.extend(seq)
    pairs = []
    for cp in sorted(decomp):
        d = decomp[cp]
        if cp in compat or len(d) != 2 or cp in excluded:
            continue
        pairs.append(((d[0] << 21) | d[1], cp))
    pairs.sort()

    assert max(len(pool), 1) < (1 << 24) and max(n for _, _, n in entries) < 256
    w = []
    w.append("// GENERATED at build time by scripts/gen_nfkc_tables.py from %s" % udir)
    w.append("// (Unicode %s). Not committed; see src/dedup/nfkc.h." % unicode_version(udir))
    w.append('#include "dedup/nfkc_tables.h"')
    w.append("")
    w.append("namespace winnow::nfkc {")
    w.append("")

    def array(decl, items, per_line=8):
        w.append(decl + " = {")
        for i in range(0, len(items), per_line):
            w.append("  " + ", ".join(items[i:i + per_line]) + ",")
        w.append("};")

    w.append('const char kUnicodeVersion[] = "%s";' % unicode_version(udir))
    cc = sorted(ccc.items())
    array("const uint32_t kCccEntries[]", ["0x%x" % ((cp << 8) | v) for cp, v in cc])
    w.append("const size_t kCccCount = %d;" % len(cc))
    array("const uint32_t kDecompCps[]", ["0x%x" % cp for cp, _, _ in entries])
    # offset << 8 | length
    array("const uint32_t kDecompRefs[]", ["0x%x" % ((off << 8) | n) for _, off, n in entries])
    w.append("const size_t kDecompCount = %d;" % len(entries))
    array("const uint32_t kDecompPool[]", ["0x%x" % c for c in pool], 10)
    array("const uint64_t kComposeKeys[]", ["0x%xull" % k for k, _ in pairs], 6)
    array("const uint32_t kComposeValues[]", ["0x%x" % v for _, v in pairs])
    w.append("const size_t kComposeCount = %d;" % len(pairs))
    w.append("")
    w.append("}  // namespace winnow::nfkc")
    text = "\n".join(w) + "\n"
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
