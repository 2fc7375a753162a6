#!/usr/bin/python3
"""Trains Winnow's shipped toxicity classifier (hate / offensive / neither) and exports it to ONNX.

Run with Debian's interpreter (it has python3-sklearn, python3-onnx, numpy):

    /usr/bin/python3 scripts/train_toxicity.py [--data ../shared/data/toxicity/labeled_data.csv]

Writes, under assets/models/toxicity/:
  model.onnx       inputs "indices" (int64 [N, K]) and "values" (float [N, K]): the hashed sparse
                   features of N texts, padded with index 0 / value 0; output "scores" (float [N, 3]),
                   softmax probabilities in LABELS order.
  featurizer.json  the featurizer's parameters, the split recipe and the held-out metrics.
and tests/unit/filters/data/toxicity_heldout_ref.tsv: for the first REF_ROWS held-out rows, a digest of
the feature vector and the reference scores (no tweet text: the test reads it from ../shared/data).

The featurizer below is mirrored byte for byte by src/filters/toxicity_featurizer.cpp; change both
together (and bump FEATURIZER_VERSION). The build never runs this script.
"""
import argparse
import csv
import json
import math
import os
import sys

import numpy as np

FEATURIZER_VERSION = 1
BUCKETS = 1 << 18
CHAR_N_MIN, CHAR_N_MAX = 3, 5
MAX_REPEAT = 3
LABELS = ["hate", "offensive", "neither"]
SEED = 20240611
HELDOUT_PERCENT = 20
REF_ROWS = 500
MASK64 = (1 << 64) - 1

# ---- featurizer (mirror of src/filters/toxicity_featurizer.cpp) -------------------------------

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3


def fnv1a64(data: bytes) -> int:
    h = FNV_OFFSET
    for b in data:
        h ^= b
        h = (h * FNV_PRIME) & MASK64
    return h


def is_word_byte(b: int) -> bool:
    # ASCII letters, digits, '_' and every byte of a multi-byte UTF-8 sequence.
    return (48 <= b <= 57) or (65 <= b <= 90) or (97 <= b <= 122) or b == 95 or b >= 0x80


def starts_with_ci(text: bytes, pos: int, prefix: bytes) -> bool:
    if pos + len(prefix) > len(text):
        return False
    for i, p in enumerate(prefix):
        b = text[pos + i]
        if 65 <= b <= 90:
            b += 32
        if b != p:
            return False
    return True


def tokenize(text: bytes):
    """Words of a text: ASCII-lowercased runs of word bytes; URLs become "<url>", @mentions
    "<user>"; an apostrophe between word bytes is dropped (don't -> dont); runs of one letter
    longer than MAX_REPEAT are cut to MAX_REPEAT."""
    words = []
    n = len(text)
    i = 0
    while i < n:
        b = text[i]
        at_start = i == 0 or not is_word_byte(text[i - 1])
        if at_start and (starts_with_ci(text, i, b"http://") or starts_with_ci(text, i, b"https://")
                         or starts_with_ci(text, i, b"www.")):
            while i < n and text[i] not in b" \t\n\r\x0b\x0c":
                i += 1
            words.append(b"<url>")
            continue
        if b == 64 and i + 1 < n and is_word_byte(text[i + 1]):  # '@'
            i += 1
            while i < n and is_word_byte(text[i]):
                i += 1
            words.append(b"<user>")
            continue
        if not is_word_byte(b):
            i += 1
            continue
        word = bytearray()
        run_byte, run_len = -1, 0
        while i < n:
            b = text[i]
            if b == 39 and word and i + 1 < n and is_word_byte(text[i + 1]):  # apostrophe
                i += 1
                continue
            if not is_word_byte(b):
                break
            if 65 <= b <= 90:
                b += 32
            if b == run_byte:
                run_len += 1
            else:
                run_byte, run_len = b, 1
            if not (run_len > MAX_REPEAT and 97 <= b <= 122):
                word.append(b)
            i += 1
        words.append(bytes(word))
    return words


def feature_keys(words):
    for w in words:
        yield b"w" + w
    for a, b in zip(words, words[1:]):
        yield b"b" + a + b" " + b
    for w in words:
        if w[:1] == b"<":
            continue
        padded = b"<" + w + b">"
        for n in range(CHAR_N_MIN, CHAR_N_MAX + 1):
            for s in range(0, len(padded) - n + 1):
                yield b"c" + padded[s:s + n]


def featurize(text: str):
    """Sorted bucket indices and float32 values: log1p(count) per bucket, L2-normalised; all
    arithmetic in double in ascending bucket order, then rounded to float32."""
    counts = {}
    for key in feature_keys(tokenize(text.encode("utf-8"))):
        k = fnv1a64(key) % BUCKETS
        counts[k] = counts.get(k, 0) + 1
    idx = sorted(counts)
    raw = [math.log1p(counts[k]) for k in idx]
    ss = 0.0
    for v in raw:
        ss += v * v
    norm = math.sqrt(ss) if ss > 0 else 1.0
    vals = np.array([v / norm for v in raw], dtype=np.float32)
    return np.array(idx, dtype=np.int64), vals


# ---- split ------------------------------------------------------------------------------------


def splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def stratified_split(ids, labels):
    """Per class, rows ordered by splitmix64(seed ^ id) (ties by id); the first
    ceil(HELDOUT_PERCENT% of the class) are held out. Returns the held-out set, in that order
    class by class, and the training rows."""
    held = []
    for c in range(len(LABELS)):
        rows = [r for r, y in zip(ids, labels) if y == c]
        rows.sort(key=lambda r: (splitmix64(SEED ^ r), r))
        k = (len(rows) * HELDOUT_PERCENT + 99) // 100
        held.extend(rows[:k])
    held_set = set(held)
    train = [r for r in ids if r not in held_set]
    return held, train


# ---- metrics ----------------------------------------------------------------------------------


def roc_auc(scores, positive):
    """Area under the ROC curve with ties counted half (Mann-Whitney U)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        r = (i + j) / 2.0 + 1.0
        for t in range(i, j + 1):
            ranks[order[t]] = r
        i = j + 1
    n_pos = sum(1 for p in positive if p)
    n_neg = len(positive) - n_pos
    rank_sum = sum(r for r, p in zip(ranks, positive) if p)
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def f1_scores(pred, gold):
    out = []
    for c in range(len(LABELS)):
        tp = sum(1 for p, g in zip(pred, gold) if p == c and g == c)
        fp = sum(1 for p, g in zip(pred, gold) if p == c and g != c)
        fn = sum(1 for p, g in zip(pred, gold) if p != c and g == c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        out.append({"precision": prec, "recall": rec,
                    "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0, "support": tp + fn})
    return out


# ---- model ------------------------------------------------------------------------------------


def scores_of(W, b, idx, vals):
    """Reference scores in float64 from the float32 weights and feature values."""
    logits = b.astype(np.float64) + (W[idx].astype(np.float64) * vals.astype(np.float64)[:, None]).sum(0)
    e = np.exp(logits - logits.max())
    return e / e.sum()


def to_csr(feats):
    import scipy.sparse as sp
    indptr = [0]
    indices, data = [], []
    for idx, vals in feats:
        indices.extend(idx.tolist())
        data.extend(vals.tolist())
        indptr.append(len(indices))
    return sp.csr_matrix((np.array(data, dtype=np.float64), np.array(indices), np.array(indptr)),
                         shape=(len(feats), BUCKETS))


def export_onnx(W, b, path):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    nodes = [
        helper.make_node("Gather", ["weights", "indices"], ["gathered"], axis=0),
        helper.make_node("Unsqueeze", ["values", "axis2"], ["values3"]),
        helper.make_node("Mul", ["gathered", "values3"], ["weighted"]),
        helper.make_node("ReduceSum", ["weighted", "axis1"], ["summed"], keepdims=0),
        helper.make_node("Add", ["summed", "bias"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["scores"], axis=1),
    ]
    inits = [
        numpy_helper.from_array(W.astype(np.float32), "weights"),
        numpy_helper.from_array(b.astype(np.float32), "bias"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
    ]
    graph = helper.make_graph(
        nodes, "winnow_toxicity",
        [helper.make_tensor_value_info("indices", TensorProto.INT64, ["N", "K"]),
         helper.make_tensor_value_info("values", TensorProto.FLOAT, ["N", "K"])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["N", len(LABELS)])],
        inits)
    model = helper.make_model(graph, producer_name="winnow scripts/train_toxicity.py",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    model.doc_string = "Winnow toxicity classifier: hashed word/char n-grams, multinomial logistic regression"
    onnx.checker.check_model(model)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "toxicity", "labeled_data.csv"))
    ap.add_argument("--out", default=os.path.join(root, "assets", "models", "toxicity"))
    ap.add_argument("--fixture", default=os.path.join(root, "tests", "unit", "filters", "data",
                                                      "toxicity_heldout_ref.tsv"))
    args = ap.parse_args()

    from sklearn.linear_model import LogisticRegression

    texts, labels, ids = {}, [], []
    with open(args.data, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        header = next(rd)
        assert header[5] == "class" and header[6] == "tweet", header
        for row in rd:
            rid = int(row[0])
            ids.append(rid)
            labels.append(int(row[5]))
            texts[rid] = row[6]
    label_of = dict(zip(ids, labels))
    held, train = stratified_split(ids, labels)
    print(f"rows {len(ids)}: train {len(train)}, held out {len(held)}", file=sys.stderr)

    feats = {rid: featurize(texts[rid]) for rid in ids}
    print("featurized", file=sys.stderr, flush=True)
    X_train = to_csr([feats[r] for r in train])
    y_train = np.array([label_of[r] for r in train])

    # Choose the class weighting (C fixed: a wider grid costs minutes per point) on an inner validation slice of the training rows (every 8th
    # row by the same hashed order), by macro F1; then refit on all training rows.
    inner = sorted(range(len(train)), key=lambda i: (splitmix64(SEED + 1 ^ train[i]), train[i]))
    val_pos = set(inner[: len(train) // 8])
    fit_i = [i for i in range(len(train)) if i not in val_pos]
    val_i = sorted(val_pos)
    best = None
    for cw in (None, "balanced"):
        for C in (4.0,):
            clf = LogisticRegression(C=C, class_weight=cw, max_iter=300, tol=1e-4)
            clf.fit(X_train[fit_i], y_train[fit_i])
            pred = clf.predict(X_train[val_i])
            macro = sum(m["f1"] for m in f1_scores(pred.tolist(), y_train[val_i].tolist())) / 3
            print(f"  C={C} class_weight={cw}: inner macro F1 {macro:.4f}", file=sys.stderr, flush=True)
            if best is None or macro > best[0]:
                best = (macro, C, cw)
    _, C, cw = best
    clf = LogisticRegression(C=C, class_weight=cw, max_iter=300, tol=1e-4)
    clf.fit(X_train, y_train)
    assert list(clf.classes_) == [0, 1, 2]
    W = np.ascontiguousarray(clf.coef_.T.astype(np.float32))  # [BUCKETS, 3]
    b = clf.intercept_.astype(np.float32)

    # Held-out metrics from the exported (float32) weights.
    held_scores = [scores_of(W, b, *feats[r]) for r in held]
    gold = [label_of[r] for r in held]
    pred = [int(np.argmax(s)) for s in held_scores]
    f1 = f1_scores(pred, gold)
    metrics = {}
    for c, name in enumerate(LABELS):
        metrics[name] = {"roc_auc": roc_auc([float(s[c]) for s in held_scores], [g == c for g in gold]),
                         **f1[c]}
    accuracy = sum(1 for p, g in zip(pred, gold) if p == g) / len(gold)

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "model.onnx")
    export_onnx(W, b, onnx_path)
    nnz = [len(feats[r][0]) for r in held]
    card = {
        "name": "winnow-toxicity",
        "featurizer_version": FEATURIZER_VERSION,
        "labels": LABELS,
        "buckets": BUCKETS,
        "hash": "fnv1a64",
        "char_ngram": [CHAR_N_MIN, CHAR_N_MAX],
        "max_repeat": MAX_REPEAT,
        "inputs": {"indices": "int64 [N, K]", "values": "float [N, K]"},
        "output": "scores",
        "training": {
            "data": "t-davidson/hate-speech-and-offensive-language labeled_data.csv (MIT)",
            "rows": len(ids), "train_rows": len(train), "heldout_rows": len(held),
            "split": {"seed": SEED, "heldout_percent": HELDOUT_PERCENT,
                      "recipe": "per class, rows ordered by splitmix64(seed ^ id), ties by id; first ceil(percent) held out"},
            "model": "multinomial logistic regression (scikit-learn lbfgs)",
            "C": C, "class_weight": cw or "none",
            "inner_validation_macro_f1": best[0],
        },
        "heldout": {"accuracy": accuracy, "per_class": metrics,
                    "features_per_row_mean": sum(nnz) / len(nnz), "features_per_row_max": max(nnz)},
        "model_bytes": os.path.getsize(onnx_path),
    }
    with open(os.path.join(args.out, "featurizer.json"), "w") as f:
        json.dump(card, f, indent=2, sort_keys=False)
        f.write("\n")

    os.makedirs(os.path.dirname(args.fixture), exist_ok=True)
    with open(args.fixture, "w") as f:
        f.write("# id\tnnz\tindex_digest\tvalue_sum\tvalue_dot\tscore_hate\tscore_offensive\tscore_neither\n")
        f.write("# written by scripts/train_toxicity.py: the first %d held-out rows of the split\n" % REF_ROWS)
        for r in held[:REF_ROWS]:
            idx, vals = feats[r]
            digest = FNV_OFFSET
            for k in idx.tolist():
                digest = ((digest ^ k) * FNV_PRIME) & MASK64
            vsum = 0.0
            vdot = 0.0
            for k, v in zip(idx.tolist(), vals.tolist()):
                vsum += v
                vdot += v * (k % 1000)
            s = scores_of(W, b, idx, vals)
            f.write("%d\t%d\t%016x\t%.17g\t%.17g\t%.9f\t%.9f\t%.9f\n"
                    % (r, len(idx), digest, vsum, vdot, s[0], s[1], s[2]))
    print(json.dumps(card["heldout"], indent=2), file=sys.stderr)
    print(f"wrote {onnx_path} ({card['model_bytes']} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
