#!/usr/bin/python3
"""Deterministic benchmark data for the studio bench (no randomness from the OS: a seeded LCG).

    gen_studio_data.py messages ROWS OUT.jsonl   # chat rows of ~1 KB (1M rows ~ 1 GB)
    gen_studio_data.py alpaca ROWS OUT.jsonl     # Alpaca rows with varied text (few duplicates)
"""
import json
import sys

WORDS = ("data model train clean token answer question simple example careful review result value "
         "system user assistant reply explain detail number format language quality filter private "
         "record sentence paragraph summary context reason because therefore however although "
         "compute measure improve evaluate describe compare choose list write read open close "
         "river mountain city garden window kitchen market school library museum station bridge "
         "yellow green blue quiet bright gentle rapid ancient modern useful honest curious").split()


class Lcg:
    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFFFFFFFFFF

    def next(self, n):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.s >> 33) % n


def sentence(r, lo, hi):
    n = lo + r.next(hi - lo + 1)
    words = [WORDS[r.next(len(WORDS))] for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def text(r, sentences_lo, sentences_hi):
    return " ".join(sentence(r, 6, 16) for _ in range(sentences_lo + r.next(sentences_hi - sentences_lo + 1)))


def main():
    kind, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    r = Lcg(20261122)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(rows):
            if kind == "messages":
                row = {"messages": [
                    {"role": "system", "content": "You are a helpful assistant."},
                    {"role": "user", "content": f"Row {i}: " + text(r, 1, 3)},
                    {"role": "assistant", "content": text(r, 6, 11)}]}
            else:
                row = {"instruction": f"Task {i}: " + sentence(r, 5, 14),
                       "input": text(r, 0, 2) if r.next(3) == 0 else "",
                       "output": text(r, 2, 7)}
            f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
