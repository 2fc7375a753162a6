#!/usr/bin/python3
"""Exports a tiny random-weight BERT-style encoder with torch (at test time, never committed) and
the reference embeddings torch computes for a few texts, for Winnow's model tests.

Writes into OUT_DIR:
  tiny_bert.onnx   inputs input_ids / attention_mask / token_type_ids (int64 [batch, seq]),
                   output last_hidden_state (float32 [batch, seq, hidden])
  vocab.txt        the WordPiece vocabulary (one token per line, id = line number)
  reference.json   {"texts": [...], "ids": [[...]], "embeddings": [[...]]}: ids from a plain
                   BERT-uncased WordPiece written below (independent of Winnow's C++ tokenizer),
                   embeddings = mean over the attention mask of torch's last_hidden_state, L2-normalised.
  classifier.onnx  a tiny regressor/classifier over the same encoder: output "logits" [batch, 2]
  reference_cls.json  {"texts": [...], "probs": [[p0, p1]]}: softmax of torch's logits

Usage: /usr/bin/python3 export_tiny_bert.py OUT_DIR
"""
import json
import math
import os
import sys
import unicodedata

import torch

WORDS = ("the a an and or of to in on for with is are was were be this that it data set model text "
         "good bad great terrible movie film book story people love hate like very not no yes "
         "quick brown fox jumps over lazy dog cat runs sleeps eats fast slow happy sad").split()
PIECES = ["##s", "##ing", "##ed", "##er", "##ly", "##y", "##e", "##a", "##o", "##i", "##n", "##t",
          "##r", "##l"]
CHARS = list("abcdefghijklmnopqrstuvwxyz0123456789")
PUNCT = list(".,!?;:'\"()-")
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def build_vocab():
    vocab = list(SPECIAL)
    for t in PUNCT + CHARS + ["##" + c for c in CHARS] + WORDS + PIECES:
        if t not in vocab:
            vocab.append(t)
    return vocab


def basic_tokenize(text):
    # BERT uncased: lowercase, strip accents, split on whitespace and punctuation.
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    out, cur = [], ""
    for c in text:
        if c.isspace():
            if cur:
                out.append(cur)
            cur = ""
        elif unicodedata.category(c).startswith("P") or c in "$+<=>^`|~":
            if cur:
                out.append(cur)
            out.append(c)
            cur = ""
        else:
            cur += c
    if cur:
        out.append(cur)
    return out


def wordpiece(word, index):
    pieces, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while start < end:
            sub = word[start:end] if start == 0 else "##" + word[start:end]
            if sub in index:
                found = sub
                break
            end -= 1
        if found is None:
            return [index["[UNK]"]]
        pieces.append(index[found])
        start = end
    return pieces


def encode(text, index, max_len):
    ids = [index["[CLS]"]]
    for w in basic_tokenize(text):
        ids.extend(wordpiece(w, index))
    ids = ids[: max_len - 1]
    ids.append(index["[SEP]"])
    return ids


class Layer(torch.nn.Module):
    # A post-norm BERT layer: multi-head self-attention, then a GELU feed-forward.
    def __init__(self, hidden, heads, ff):
        super().__init__()
        self.heads = heads
        self.qkv = torch.nn.Linear(hidden, 3 * hidden)
        self.out = torch.nn.Linear(hidden, hidden)
        self.norm1 = torch.nn.LayerNorm(hidden)
        self.ff1 = torch.nn.Linear(hidden, ff)
        self.ff2 = torch.nn.Linear(ff, hidden)
        self.norm2 = torch.nn.LayerNorm(hidden)

    def forward(self, x, mask):
        b, s, h = x.shape
        d = h // self.heads
        q, k, v = self.qkv(x).split(h, dim=-1)
        q = q.view(b, s, self.heads, d).transpose(1, 2)
        k = k.view(b, s, self.heads, d).transpose(1, 2)
        v = v.view(b, s, self.heads, d).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d)
        scores = scores + (1.0 - mask[:, None, None, :].to(x.dtype)) * -10000.0
        a = torch.softmax(scores, -1) @ v
        a = a.transpose(1, 2).reshape(b, s, h)
        x = self.norm1(x + self.out(a))
        return self.norm2(x + self.ff2(torch.nn.functional.gelu(self.ff1(x))))


class TinyBert(torch.nn.Module):
    def __init__(self, vocab_size, hidden=32, layers=2, heads=4, max_pos=512, classes=0):
        super().__init__()
        self.word = torch.nn.Embedding(vocab_size, hidden)
        self.pos = torch.nn.Embedding(max_pos, hidden)
        self.seg = torch.nn.Embedding(2, hidden)
        self.norm = torch.nn.LayerNorm(hidden)
        self.layers = torch.nn.ModuleList([Layer(hidden, heads, 4 * hidden if hidden > 32 else 64) for _ in range(layers)])
        self.head = torch.nn.Linear(hidden, classes) if classes else None

    def forward(self, input_ids, attention_mask, token_type_ids):
        seq = input_ids.shape[1]
        pos = torch.arange(seq, dtype=torch.long).unsqueeze(0)
        x = self.norm(self.word(input_ids) + self.pos(pos) + self.seg(token_type_ids))
        for layer in self.layers:
            x = layer(x, attention_mask)
        if self.head is None:
            return x
        m = attention_mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return self.head(pooled)


TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "A good movie, a great story!",
    "This data set is terrible; people hate it.",
    "Cats runs fastly? no, the cat sleeps.",
    "Unknown wörds like zebra and qwerty appear here",
    "yes",
    "I love this book very much",
    "the the the the the",
]


def batch(ids_list):
    seq = max(len(x) for x in ids_list)
    ids = torch.zeros(len(ids_list), seq, dtype=torch.long)
    mask = torch.zeros(len(ids_list), seq, dtype=torch.long)
    for i, x in enumerate(ids_list):
        ids[i, : len(x)] = torch.tensor(x)
        mask[i, : len(x)] = 1
    return ids, mask, torch.zeros_like(ids)


def export(model, path, output_name, args):
    dyn = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
           "token_type_ids": {0: "batch", 1: "seq"}, output_name: {0: "batch"}}
    if output_name == "last_hidden_state":
        dyn[output_name][1] = "seq"
    torch.onnx.export(model, args, path, input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=[output_name], dynamic_axes=dyn, opset_version=14)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(1234)
    vocab = build_vocab()
    index = {t: i for i, t in enumerate(vocab)}
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    ids_list = [encode(t, index, 64) for t in TEXTS]
    ids, mask, types = batch(ids_list)

    # TINY_BERT_SIZE=minilm: the size of all-MiniLM-L6-v2 (for benchmarks); default: tiny (for tests).
    size = dict(hidden=384, layers=6, heads=12) if os.environ.get("TINY_BERT_SIZE") == "minilm" else {}
    enc = TinyBert(len(vocab), **size).eval()
    cls = TinyBert(len(vocab), classes=2, **size).eval()
    with torch.no_grad():
        # Per text (no padding) so the reference does not depend on how Winnow batches.
        embs = []
        for x in ids_list:
            i1, m1, t1 = batch([x])
            h = enc(i1, m1, t1)[0]
            e = h.mean(0)
            embs.append((e / e.norm().clamp(min=1e-12)).tolist())
        probs = []
        for x in ids_list:
            i1, m1, t1 = batch([x])
            probs.append(torch.softmax(cls(i1, m1, t1)[0], -1).tolist())
        export(enc, os.path.join(out, "tiny_bert.onnx"), "last_hidden_state", (ids, mask, types))
        export(cls, os.path.join(out, "classifier.onnx"), "logits", (ids, mask, types))
    with open(os.path.join(out, "reference.json"), "w", encoding="utf-8") as f:
        json.dump({"texts": TEXTS, "ids": ids_list, "embeddings": embs}, f)
    with open(os.path.join(out, "reference_cls.json"), "w", encoding="utf-8") as f:
        json.dump({"texts": TEXTS, "probs": probs}, f)
    print("wrote", out)


if __name__ == "__main__":
    main()
