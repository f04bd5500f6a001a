#!/usr/bin/python3
"""Train Guillemet's small French NER model from scratch (CPU), evaluate it, export it.

Run with Debian's interpreter (/usr/bin/python3: python3-torch, python3-onnx). See README.md.
"""
from __future__ import annotations

import os
import sys


def _early_threads():
    # BLAS threads must be fixed before numpy/torch are imported
    n = "1"
    for i, a in enumerate(sys.argv):
        if a == "--threads" and i + 1 < len(sys.argv):
            n = sys.argv[i + 1]
        elif a.startswith("--threads="):
            n = a.split("=", 1)[1]
    os.environ.setdefault("OPENBLAS_NUM_THREADS", n)
    os.environ.setdefault("OMP_NUM_THREADS", n)


_early_threads()

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import L2I, LABELS, NerEncoder, count_params  # noqa: E402
from augment import Augmenter  # noqa: E402
from wordpiece import (PREFIX, SPECIALS, WordPiece, load_vocab, normalize,  # noqa: E402
                       pre_tokenize, save_vocab, train_wordpiece)

DATA = "/work/shared/data"
DEFAULT_TRAIN = [f"{DATA}/ner-fr-wikineural/train.jsonl.gz", f"{DATA}/ner-fr-newseye/train.jsonl.gz",
                 f"{DATA}/ner-fr-sequoia/train.jsonl.gz"]
DEFAULT_DEV = [f"wikineural={DATA}/ner-fr-wikineural/dev.jsonl.gz", f"sequoia={DATA}/ner-fr-sequoia/dev.jsonl.gz",
               f"newseye={DATA}/ner-fr-newseye/dev.jsonl.gz"]
OR_MISC = len(LABELS)  # pseudo label: "O, or an unannotated MISC" (data without MISC annotation)
APOS = "\u2019"


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


# ----------------------------------------------------------------------------- data
class DataError(Exception):
    """A training or dev file that cannot be used, said as `path:line: what is wrong` (main prints it
    on one line, without a traceback: the person reading it fixes the file, not the code)."""


def read_manifest(candidate):
    """The Guillemet export manifest in file `candidate`, or None when it is another JSON file."""
    try:
        with open(candidate, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        raise DataError(f"{candidate}: not a readable manifest ({e})")
    if isinstance(manifest, dict) and str(manifest.get("schema", "")).startswith("guillemet.corpus-manifest/"):
        return manifest
    return None


def listed_split(manifest, name):
    """The part of the export (a split name, or `corpus` without splits) whose file is `name`, or None."""
    for split, part in (manifest.get("splits") or {}).items():
        if isinstance(part, dict) and os.path.basename(str(part.get("file", ""))) == name:
            return split
    return None


def export_manifest(path):
    """The manifest of the Guillemet export `path` belongs to (`manifest.json` beside a split file,
    `<name>.manifest.json` beside a single file, or a downloaded `<project>-<format>-manifest.json`
    that lists the file), or None: it names integer tags (`--tag-ids`) and the file's split."""
    folder, name = os.path.split(os.path.abspath(path))
    stem = re.sub(r"\.(jsonl|ndjson|json)(\.gz)?$", "", name)
    for candidate in (os.path.join(folder, f"{stem}.manifest.json"), os.path.join(folder, "manifest.json")):
        if os.path.exists(candidate):
            manifest = read_manifest(candidate)
            if manifest is not None:
                return manifest
    # A download names its manifest after the project and format, not after the file.
    for other in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if other.endswith("-manifest.json"):
            manifest = read_manifest(os.path.join(folder, other))
            if manifest is not None and listed_split(manifest, name) is not None:
                return manifest
    return None


# Names a split that is kept for evaluation goes by (ours, Hugging Face's, the open corpora's).
EVALUATION_SPLITS = {"dev", "val", "valid", "validation", "heldout", "held-out", "holdout", "test"}


def split_of(path):
    """The split `path` is, as a lowercase name: the export manifest beside it says when it lists the
    file as a split (a download `default-bio-held-out.jsonl` is `held-out`), else the file name does
    (`dev.jsonl.gz`, `sequoia_valid.jsonl`), also for an export without splits saved as `dev.jsonl`."""
    manifest = export_manifest(path)
    split = listed_split(manifest, os.path.basename(path)) if manifest is not None and manifest.get("split_rule") else None
    if split is not None:
        return split.lower()
    stem = os.path.basename(path).split(".", 1)[0].lower()
    for candidate in (stem, re.split(r"[-_]", stem)[-1]):
        if candidate in EVALUATION_SPLITS:
            return candidate
    return stem or None


def training_refusal(path, dev_paths, allow_test_split):
    """Why `path` must not be trained on (a dev set of this run, an evaluation split), or None."""
    norm = os.path.abspath(path)
    if norm in {os.path.abspath(d) for d in dev_paths}:
        return f"refusing to train on a dev set of this run: {path}"
    split = split_of(path)
    if split == "test":
        return None if allow_test_split else f"refusing to train on a test split without --allow-test-split: {path}"
    if split in EVALUATION_SPLITS:
        return f"refusing to train on a {split} split (kept for evaluation): {path}"
    return None


EXPORT_HINT = "export the corpus with `npm run export -- --format bio` (token records: {tokens, ner_tags})"


def read_record(path, ln, line, tag_names):
    """One line of a {tokens, tags|ner_tags} file -> (tokens, BIO tags); DataError names what is wrong."""
    try:
        r = json.loads(line)
    except json.JSONDecodeError as e:
        hint = ": a CoNLL file? " + EXPORT_HINT if "\t" in line or line.startswith("-DOCSTART-") else ""
        raise DataError(f"{path}:{ln}: not JSON ({e.msg} at column {e.colno}){hint}")
    if not isinstance(r, dict):
        raise DataError(f"{path}:{ln}: not a JSON object")
    toks = r.get("tokens")
    tags = r.get("tags", r.get("ner_tags"))
    if r.get("schema") == "guillemet.corpus/1" or (isinstance(toks, list) and toks and isinstance(toks[0], dict)):
        raise DataError(f"{path}:{ln}: a Guillemet `spans` record (a whole document with its spans); {EXPORT_HINT}")
    if toks is None or tags is None:
        raise DataError(f"{path}:{ln}: need 'tokens' and 'tags' or 'ner_tags'")
    if not isinstance(toks, list) or not isinstance(tags, list):
        raise DataError(f"{path}:{ln}: 'tokens' and the tags must be lists")
    if len(toks) != len(tags):
        raise DataError(f"{path}:{ln}: {len(toks)} tokens but {len(tags)} tags")
    out = []
    for i, (tok, t) in enumerate(zip(toks, tags), 1):
        if isinstance(t, int) and not isinstance(t, bool):
            # ids index the export's own label list (project order), never this model's
            if tag_names is None:
                raise DataError(f"{path}:{ln}: tag {t} of token {i} is an id, and no export manifest beside the "
                                f"file names the ids (its ner_labels); keep the manifest or export without --tag-ids")
            if not 0 <= t < len(tag_names):
                raise DataError(f"{path}:{ln}: tag id {t} of token {i} is not in the manifest's ner_labels {tag_names}")
            t = tag_names[t]
        if t not in L2I:
            raise DataError(f"{path}:{ln}: token {i} ({tok!r}) has tag {t!r}; this model knows O and B-/I- of "
                            f"PER, LOC, ORG, MISC (map or rename the other labels before training)")
        out.append(t)
    return [str(tok) for tok in toks], out


_WIDENED_SAID = set()


def read_jsonl(path):
    """{tokens, tags|ner_tags} sentences of a JSONL(.gz) file: the open datasets and Guillemet's `bio`
    export (string tags, or `--tag-ids` named by its manifest). Refuses, with DataError, anything
    else: another flavour, a malformed line, an unknown tag, a file without a sentence."""
    if not os.path.isfile(path):
        raise DataError(f"{path}: no such file")
    manifest = export_manifest(path)
    tag_names = manifest.get("ner_labels") if manifest else None
    off = ((manifest or {}).get("totals") or {}).get("entities_off_token_boundaries") or 0
    if off and path not in _WIDENED_SAID:
        # the export widened them to whole words (src/lib/domain/export/bio.ts): said once, where they are learnt
        _WIDENED_SAID.add(path)
        log(f"{path}: its export has {off} {'entity' if off == 1 else 'entities'} starting or ending inside a word, "
            f"tagged here on the whole words (the `spans` export keeps exact offsets)")
    op = gzip.open if path.endswith(".gz") else open
    out = []
    ln = 0
    try:
        with op(path, "rt", encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                line = line.strip()
                if line:
                    out.append(read_record(path, ln, line, tag_names))
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise DataError(f"{path}:{ln + 1}: cannot be read ({e})")
    if not out:
        raise DataError(f"{path}: no sentence in the file"
                        + (" (no document of the export was in this split)" if manifest else ""))
    return out


def parse_spec(spec, default_weight=1.0):
    """path[@flag...][:weight[:repeat]] -> (path, weight, repeat, flags).

    Flags: @nomisc (no MISC annotation: O tokens trained as "O or MISC"), @titles (a title M./Mme/MM.
    just before a PER span is moved into it, the NewsEye convention for historical newspapers),
    @mentions and @ocr (augmentation redrawn every epoch, see augment.py), @style=NAME (the file's
    annotation style when --styles is given; by default the style named like the data folder
    ner-fr-NAME, else the first style)."""
    flags = set()
    m = re.search(r"@style=([A-Za-z0-9_-]+)", spec)
    if m:
        spec = spec.replace(m.group(0), "")
        flags.add("style=" + m.group(1))
    for f in ("nomisc", "titles", "mentions", "ocr"):
        if "@" + f in spec:
            spec = spec.replace("@" + f, "")
            flags.add(f)
    parts = spec.split(":")
    path = parts[0]
    w = float(parts[1]) if len(parts) > 1 and parts[1] else default_weight
    rep = int(parts[2]) if len(parts) > 2 and parts[2] else 1
    return path, w, rep, frozenset(flags)


TITLES = {"M.", "M", "MM.", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Mgr", "Dr", "Me"}


def titles_into_per(toks, tags):
    """O-tagged title (optionally + '.') right before B-PER -> B-PER I-PER ..."""
    tags = list(tags)
    n = 0
    for i, t in enumerate(toks):
        if t in TITLES and tags[i] == "O":
            j = i + 1
            if j < len(toks) and toks[j] == "." and tags[j] == "O" and not t.endswith("."):
                j += 1
            if j < len(toks) and tags[j] == "B-PER":
                for k in range(i, j + 1):
                    tags[k] = "I-PER"
                tags[i] = "B-PER"
                n += 1
    return tags, n


class Corpus:
    """Training sentences with a per-sentence loss weight; word pieces computed per epoch (augmentation)."""

    def __init__(self, wp: WordPiece, max_len: int, augmenter: Augmenter | None = None, style_dropout: float = 0.0):
        self.wp = wp
        # probability that a sentence is fed in the first (default) style instead of its corpus's,
        # so that the default style learns what all corpora share
        self.style_dropout = style_dropout
        self.max_len = max_len
        self.sents = []  # (tokens, label ids, weight)
        self.repeat = []
        self.origin = []  # (file index, flags) of each sentence, for augmentation
        self.style = []  # token-type id of each sentence (its annotation style)
        self.files = 0
        self.augmenter = augmenter

    def add(self, path, weight, repeat, flags, style=0):
        data = read_jsonl(path)
        nomisc = "nomisc" in flags
        moved = 0
        file_index = self.files
        self.files += 1
        augment = flags & {"mentions", "ocr"}
        if augment and self.augmenter is None:
            raise ValueError(f"{path}: augmentation flags {sorted(augment)} need an augmenter")
        added = []
        for toks, tags in data:
            if "titles" in flags:
                tags, n = titles_into_per(toks, tags)
                moved += n
            lab = [L2I[t] for t in tags]
            if nomisc:
                lab = [OR_MISC if l == 0 else l for l in lab]
            self.sents.append((toks, lab, weight))
            self.repeat.append(repeat)
            self.origin.append((file_index, frozenset(augment)))
            self.style.append(style)
            added.append((toks, lab))
        if augment:
            self.augmenter.add_file(file_index, added)
        log(f"train: {path}: {len(data)} sentences, weight {weight}, x{repeat}, flags {sorted(flags)}, style {style}"
            + (f", {moved} titles moved into PER" if moved else ""))

    def encode(self, toks, lab, rng_flags):
        """-> list of chunks (ids, labels) ; rng_flags: array of bool per token, ' -> ’ when true."""
        ids, labs = [], []
        chunks = []
        for j, (w, l) in enumerate(zip(toks, lab)):
            if rng_flags is not None and rng_flags[j] and "'" in w:
                w = w.replace("'", APOS)
            p = self.wp.encode_word(w)
            if not p:
                continue
            if len(ids) + len(p) > self.max_len - 2 and ids:
                chunks.append((ids, labs))
                ids, labs = [], []
            p = p[: self.max_len - 2]
            ids.extend(p)
            labs.append(l)
            labs.extend([-100] * (len(p) - 1))
        if ids:
            chunks.append((ids, labs))
        return chunks

    def epoch_batches(self, seed, epoch, max_tokens, apos_p):
        rng = np.random.default_rng([seed, epoch])
        order = np.concatenate([np.full(r, i) for i, r in enumerate(self.repeat)])
        rng.shuffle(order)
        # its own stream, so runs without style dropout draw exactly what they drew before
        style_rng = np.random.default_rng([seed, epoch, 7]) if self.style_dropout > 0 else None
        items = []
        for si in order:
            toks, lab, w = self.sents[si]
            file_index, augment = self.origin[si]
            if augment:
                toks, lab = self.augmenter.apply(toks, lab, augment, file_index, rng)
            flags = rng.random(len(toks)) < apos_p
            style = self.style[si]
            if style_rng is not None and style_rng.random() < self.style_dropout:
                style = 0
            for ids, labs in self.encode(toks, lab, flags):
                items.append((ids, labs, w, style))
        # length-bucketed batches: sort within pools of 2000, cut by padded-token budget
        batches = []
        pool = 2000
        for s in range(0, len(items), pool):
            chunk = sorted(items[s:s + pool], key=lambda x: len(x[0]))
            cur, cur_max = [], 0
            for it in chunk:
                L = len(it[0]) + 2
                if cur and max(cur_max, L) * (len(cur) + 1) > max_tokens:
                    batches.append(cur)
                    cur, cur_max = [], 0
                cur.append(it)
                cur_max = max(cur_max, L)
            if cur:
                batches.append(cur)
        perm = rng.permutation(len(batches))
        return [batches[i] for i in perm]


def collate(batch, cls_id, sep_id, pad_id=0):
    """batch items (piece ids, labels, weight[, style]) -> tensors; the style is the token-type id."""
    T = max(len(b[0]) for b in batch) + 2
    B = len(batch)
    ids = torch.full((B, T), pad_id, dtype=torch.long)
    typ = torch.zeros((B, T), dtype=torch.long)
    lab = torch.full((B, T), -100, dtype=torch.long)
    att = torch.zeros((B, T), dtype=torch.long)
    wt = torch.zeros((B, T), dtype=torch.float)
    for i, item in enumerate(batch):
        x, y, w = item[:3]
        n = len(x)
        if len(item) > 3:
            typ[i, :] = item[3]
        ids[i, 0] = cls_id
        ids[i, 1:n + 1] = torch.tensor(x)
        ids[i, n + 1] = sep_id
        lab[i, 1:n + 1] = torch.tensor(y)
        att[i, :n + 2] = 1
        wt[i, :] = w
    return ids, att, lab, wt, typ


# allowed-label table for the partial-label loss (row OR_MISC: O, B-MISC, I-MISC)
ALLOWED = torch.zeros(len(LABELS) + 1, len(LABELS), dtype=torch.bool)
for _i in range(len(LABELS)):
    ALLOWED[_i, _i] = True
ALLOWED[OR_MISC, [L2I["O"], L2I["B-MISC"], L2I["I-MISC"]]] = True


def ner_loss(logits, lab, wt):
    m = lab != -100
    lg = logits[m]
    y = lab[m]
    w = wt[m]
    allowed = ALLOWED[y]
    lse_all = torch.logsumexp(lg, -1)
    lse_ok = torch.logsumexp(lg.masked_fill(~allowed, -1e4), -1)
    nll = lse_all - lse_ok
    return (nll * w).sum() / w.sum().clamp_min(1e-6), int(m.sum())


# ----------------------------------------------------------------------------- eval
def spans(tags):
    """conlleval-style chunks: (type, start, end); an I- not continuing a chunk starts one."""
    out, cur = [], None
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and (cur is None or cur[0] != t[2:])):
            if cur is not None:
                out.append((cur[0], cur[1], i))
                cur = None
            if t != "O":
                cur = (t[2:], i)
    return out


def f1_report(gold_sents, pred_sents):
    types = ["PER", "LOC", "ORG", "MISC"]
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold_sents, pred_sents):
        gs, ps = set(spans(g)), set(spans(p))
        for s in ps:
            (tp if s in gs else fp)[s[0]] += 1
        for s in gs - ps:
            fn[s[0]] += 1
    rep = {}

    def prf(a, b, c):
        pr = a / (a + b) if a + b else 0.0
        rc = a / (a + c) if a + c else 0.0
        return {"p": pr, "r": rc, "f1": 2 * pr * rc / (pr + rc) if pr + rc else 0.0, "support": a + c}

    for t in types:
        rep[t] = prf(tp[t], fp[t], fn[t])
    rep["micro"] = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return rep


# BIO transitions the app's decoder allows (src/lib/domain/ner/decode.ts, transitionAllowed):
# an I-X only after B-X or I-X, and never first.
BIO_ALLOWED = np.ones((len(LABELS), len(LABELS)), dtype=bool)
BIO_START = np.ones(len(LABELS), dtype=bool)
for _j, _cur in enumerate(LABELS):
    if _cur.startswith("I-"):
        BIO_START[_j] = False
        BIO_ALLOWED[:, _j] = [prev in ("B-" + _cur[2:], _cur) for prev in LABELS]
BIO_PENALTY = np.where(BIO_ALLOWED, 0.0, -np.inf)


def constrained_labels(scores):
    """The most probable label sequence BIO allows (Viterbi over log-probabilities, words x labels),
    as the app decodes; list of label ids."""
    n = len(scores)
    if n == 0:
        return []
    path = np.where(BIO_START, scores[0], -np.inf)
    back = np.zeros((n, len(LABELS)), dtype=np.int64)
    for w in range(1, n):
        cand = path[:, None] + BIO_PENALTY
        back[w] = cand.argmax(0)
        path = cand.max(0) + scores[w]
    out = [int(path.argmax())]
    for w in range(n - 1, 0, -1):
        out.append(int(back[w, out[-1]]))
    return out[::-1]


@torch.no_grad()
def predict(model, wp: WordPiece, sents, max_len=512, max_tokens=8192, constrained=True, style=0):
    """sents: list of token lists -> list of tag lists (first piece of each word; O for empty words).
    constrained: decode each sentence's best valid BIO sequence, as the app does; else argmax per word.
    style: the token-type id (annotation style) of every input."""
    cls_id, sep_id = wp.ids["[CLS]"], wp.ids["[SEP]"]
    model.eval()
    items = []  # (sent idx, [(word idx, first piece pos)], ids)
    for si, toks in enumerate(sents):
        ids, firsts = [], []
        for wi, w in enumerate(toks):
            p = wp.encode_word(w)
            if not p:
                continue
            if len(ids) + len(p) > max_len - 2 and ids:
                items.append((si, firsts, ids))
                ids, firsts = [], []
            firsts.append((wi, len(ids)))
            ids.extend(p[: max_len - 2])
        if ids or not items or items[-1][0] != si:
            items.append((si, firsts, ids))
    preds = [["O"] * len(t) for t in sents]
    # log-probabilities of each word's labels; empty words stay O (log 1 for O)
    scores = [np.tile(np.log(np.eye(len(LABELS))[L2I["O"]] + 1e-30), (len(t), 1)) for t in sents]
    order = sorted(range(len(items)), key=lambda i: len(items[i][2]))
    b = 0
    while b < len(order):
        T = len(items[order[b]][2]) + 2
        e = b
        while e < len(order) and (len(items[order[e]][2]) + 2) * (e - b + 1) <= max_tokens:
            e += 1
        e = max(e, b + 1)
        batch = [items[i] for i in order[b:e]]
        T = max(len(x[2]) for x in batch) + 2
        ids = torch.zeros((len(batch), T), dtype=torch.long)
        att = torch.zeros((len(batch), T), dtype=torch.long)
        for i, (_, _, x) in enumerate(batch):
            ids[i, 0] = cls_id
            ids[i, 1:len(x) + 1] = torch.tensor(x, dtype=torch.long)
            ids[i, len(x) + 1] = sep_id
            att[i, :len(x) + 2] = 1
        logp = torch.log_softmax(model(ids, att, torch.full_like(ids, style)), -1).numpy()
        for i, (si, firsts, _) in enumerate(batch):
            for wi, pos in firsts:
                scores[si][wi] = logp[i, pos + 1]
        b = e
    for si, sc in enumerate(scores):
        ids_ = constrained_labels(sc) if constrained else [int(x) for x in sc.argmax(-1)]
        preds[si] = [LABELS[k] for k in ids_]
    return preds


def evaluate(model, wp, devs, styles=()):
    """devs: name -> sentences; each dev set is read in the style of its name when there is one."""
    res = {}
    for name, data in devs.items():
        preds = predict(model, wp, [t for t, _ in data], style=style_id(styles, name))
        res[name] = f1_report([g for _, g in data], preds)
    res["mean_f1"] = sum(res[n]["micro"]["f1"] for n in devs) / max(1, len(devs))
    return res


def fmt_eval(res):
    parts = [f"{n}={r['micro']['f1']:.4f}" for n, r in res.items() if isinstance(r, dict)]
    return " ".join(parts) + f" mean={res['mean_f1']:.4f}"


def style_id(styles, name):
    """Token-type id of an annotation style name; 0 (the default style) when unknown."""
    return list(styles).index(name) if name in styles else 0


def spec_style(styles, path, flags):
    """A training file's style: its @style=NAME flag, else its folder ner-fr-NAME, else the default."""
    for f in flags:
        if f.startswith("style="):
            name = f[len("style="):]
            if name not in styles:
                sys.exit(f"{path}: @style={name} is not one of --styles {list(styles)}")
            return styles.index(name)
    folder = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return style_id(styles, folder[len("ner-fr-"):] if folder.startswith("ner-fr-") else folder)


# ----------------------------------------------------------------------------- vocab
def build_vocab(args, train_sets):
    counts = Counter()
    for data in train_sets:
        for toks, _ in data:
            for w in toks:
                for p in pre_tokenize(normalize(w)):
                    counts[p] += 1
    if args.vocab_text and args.vocab_text_lines > 0:
        n = 0
        with gzip.open(args.vocab_text, "rt", encoding="utf-8") as f:
            for line in f:
                for p in pre_tokenize(normalize(line)):
                    counts[p] += 1
                n += 1
                if n >= args.vocab_text_lines:
                    break
        log(f"vocab: + {n} lines of {args.vocab_text}")
    log(f"vocab: {len(counts)} distinct pre-tokens, {sum(counts.values())} occurrences")
    req = APOS + "'\u00ab\u00bb\u2013\u2014\u2026\u201c\u201d-.,;:!?()\"%/&"
    return train_wordpiece(counts, args.vocab_size, min_char_count=args.min_char_count,
                           required_chars=req, log=log)


# ----------------------------------------------------------------------------- MLM
def mlm_batches(wp, paths, lines, seed, max_len=128, extra_sentences=()):
    """Encoded sentences for masked-LM pretraining: `lines` random lines of each text file
    (one sentence per line, pre-tokenized exactly like the NER words) plus `extra_sentences`
    (token lists: the NER training sentences, used here without their labels)."""
    rng = np.random.default_rng([seed, 999])
    enc = []

    def add(words):
        ids = []
        for w in words:
            ids.extend(wp.encode_word(w))
        if len(ids) >= 4:
            enc.append(ids[: max_len - 2])

    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            sents = [line.strip() for line in f]
        for i in rng.permutation(len(sents))[:lines]:
            add(sents[i].split())
    for toks in extra_sentences:
        add(toks)
    enc.sort(key=len)  # batches are runs of neighbours in length order: little padding
    return enc


def mlm_step_batch(enc, rng, wp, max_tokens):
    """a batch of sentences of similar length (a run of `enc`, sorted by length, from a random
    start) with 15% of the pieces masked (80% [MASK], 10% random, 10% kept)."""
    start = int(rng.integers(len(enc)))
    batch = []
    tot = 0
    for x in enc[start:]:
        if batch and (len(x) + 2) * (len(batch) + 1) > max_tokens:
            break
        batch.append(x)
    T = max(len(b) for b in batch) + 2
    ids = torch.zeros((len(batch), T), dtype=torch.long)
    att = torch.zeros((len(batch), T), dtype=torch.long)
    lab = torch.full((len(batch), T), -100, dtype=torch.long)
    V = len(wp)
    for i, x in enumerate(batch):
        x = np.array(x)
        m = rng.random(len(x)) < 0.15
        if not m.any():
            m[int(rng.integers(len(x)))] = True
        y = np.full(len(x), -100)
        y[m] = x[m]
        r = rng.random(len(x))
        xin = x.copy()
        xin[m & (r < 0.8)] = wp.ids["[MASK]"]
        rnd = m & (r >= 0.8) & (r < 0.9)
        xin[rnd] = rng.integers(len(SPECIALS), V, size=int(rnd.sum()))
        ids[i, 0] = wp.ids["[CLS]"]
        ids[i, 1:len(x) + 1] = torch.from_numpy(xin)
        ids[i, len(x) + 1] = wp.ids["[SEP]"]
        lab[i, 1:len(x) + 1] = torch.from_numpy(y)
        att[i, :len(x) + 2] = 1
        tot += len(x)
    return ids, att, lab, tot


# ----------------------------------------------------------------------------- checkpoints
def save_atomic(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def lr_at(step, total, peak, warmup, kind, frac=None):
    """warm-up over `warmup` steps, then decay over the steps (or over `frac` of the time budget)."""
    if step < warmup:
        return peak * (step + 1) / warmup
    p = min(1.0, (step - warmup) / max(1, total - warmup)) if frac is None else min(1.0, max(0.0, frac))
    if kind == "cosine":
        return peak * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * p)))
    return peak * max(0.0, 1.0 - p) + peak * 0.01 * p


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Train Guillemet's small French NER model (BERT-style, from scratch, CPU).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--train", nargs="*", default=DEFAULT_TRAIN,
                    help="training JSONL(.gz) files {tokens, tags|ner_tags}; spec path[:weight[:repeat]], "
                         "flags: @nomisc (data without MISC annotation), @titles, @mentions, @ocr (see parse_spec)")
    ap.add_argument("--extra-train", nargs="*", default=[],
                    help="extra corpora, e.g. a Guillemet 'bio' export {tokens, ner_tags}; same spec as --train")
    ap.add_argument("--dev", nargs="*", default=DEFAULT_DEV, help="name=path dev sets (evaluation only)")
    ap.add_argument("--allow-test-split", action="store_true",
                    help="accept a test split as training data (never dev/valid/validation/heldout; the split is read "
                         "from the export manifest beside the file, else from its name): for corpora whose README invites "
                         "merging the test split into training when it is not used for evaluation (Sequoia)")
    ap.add_argument("--init-from", default=None,
                    help="warm start: take model weights (and vocabulary) from this checkpoint (last.pt/best.pt); "
                         "fresh optimizer and schedule")
    ap.add_argument("--init-from-model", default=None,
                    help="warm start from an exported model folder (config.json, vocab.txt, onnx/model.onnx), "
                         "e.g. the shipped models/guillemet-ner-fr: weights read back from the fp32 ONNX graph, "
                         "its vocabulary and dimensions; fresh optimizer and schedule")
    ap.add_argument("--vocab", default=None, help="existing vocab.txt to use instead of learning one")
    ap.add_argument("--vocab-size", type=int, default=8000)
    ap.add_argument("--min-char-count", type=int, default=3)
    ap.add_argument("--vocab-text", default=f"{DATA}/text-fr/an-debats/sentences.txt.gz",
                    help="unlabeled text also counted when learning the vocabulary")
    ap.add_argument("--vocab-text-lines", type=int, default=100000)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ffn", type=int, default=1024)
    ap.add_argument("--max-pos", type=int, default=512)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--max-len", type=int, default=256, help="max word pieces per training chunk")
    ap.add_argument("--batch-tokens", type=int, default=4096, help="padded tokens per batch")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--schedule", choices=["linear", "cosine"], default="linear")
    ap.add_argument("--epochs", type=float, default=None, help="passes over the training data (sets --max-steps)")
    ap.add_argument("--max-steps", type=int, default=None,
                    help="NER optimisation steps (LR schedule length); if neither this nor --epochs is given and "
                         "--time-budget-minutes is, the LR decays on the wall clock over the budget (robust on a "
                         "shared machine, but then not bit-reproducible)")
    ap.add_argument("--time-budget-minutes", type=float, default=None,
                    help="wall-clock budget for the whole run (training stops early enough to export)")
    ap.add_argument("--export-reserve-minutes", type=float, default=4.0)
    ap.add_argument("--apos-p", type=float, default=0.5, help="probability to replace ' by ’ in a token")
    ap.add_argument("--mention-p", type=float, default=0.3,
                    help="@mentions files: probability to replace an entity by another mention of its label")
    ap.add_argument("--ocr-word-p", type=float, default=0.04, help="@ocr files: probability of OCR noise per word")
    ap.add_argument("--mlm-pretrain-steps", type=int, default=0)
    ap.add_argument("--mlm-minutes", type=float, default=0.0,
                    help="masked-LM pretraining for this many minutes before NER (LR schedule on the clock)")
    ap.add_argument("--mlm-text", nargs="*", default=[f"{DATA}/text-fr/an-debats/sentences.txt.gz"],
                    help="unlabeled text files (gzip, one sentence per line) for masked-LM pretraining")
    ap.add_argument("--mlm-lines", type=int, default=200000, help="random lines taken from each --mlm-text file")
    ap.add_argument("--mlm-include-train", action="store_true",
                    help="also pretrain on the NER training sentences (their words only, never dev/test)")
    ap.add_argument("--mlm-lr", type=float, default=1e-3)
    ap.add_argument("--styles", nargs="*", default=[],
                    help="annotation styles, one token-type id each (the first is the app's default): "
                         "each training file is read in its style (@style=NAME or its folder ner-fr-NAME)"
                         " and each dev set in the style of its name")
    ap.add_argument("--style-dropout", type=float, default=0.0,
                    help="with --styles: probability that a training sentence is fed in the first style instead "
                         "of its own, so the first (e.g. `mixed`, a style no file names) learns the common conventions")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (and BLAS threads)")
    ap.add_argument("--ckpt-dir", default="/work/ckpt/guillemet-ner-fr")
    ap.add_argument("--ckpt-minutes", type=float, default=4.0, help="checkpoint (last.pt) interval")
    ap.add_argument("--eval-minutes", type=float, default=8.0,
                    help="dev evaluation (and best.pt) interval; evaluated at a checkpoint once this has passed")
    ap.add_argument("--resume", action="store_true", help="continue exactly from <ckpt-dir>/last.pt")
    ap.add_argument("--out", default=None, help="export the best checkpoint here at the end (model folder)")
    ap.add_argument("--no-node-check", action="store_true", help="skip the transformers.js check at export")
    ap.add_argument("--log-every", type=int, default=50)
    args = ap.parse_args(argv)

    if args.time_budget_minutes and args.time_budget_minutes <= args.export_reserve_minutes:
        ap.error(f"--time-budget-minutes {args.time_budget_minutes:g} leaves no time to train: "
                 f"--export-reserve-minutes {args.export_reserve_minutes:g} of it are kept for the export")
    t_start = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    last_path = os.path.join(args.ckpt_dir, "last.pt")
    best_path = os.path.join(args.ckpt_dir, "best.pt")
    vocab_path = os.path.join(args.ckpt_dir, "vocab.txt")

    state = None
    if args.resume:
        if not os.path.exists(last_path):
            sys.exit(f"--resume: no {last_path}")
        state = torch.load(last_path)
        saved = state["args"]
        for k in ("hidden", "layers", "heads", "ffn", "max_pos", "vocab_size", "seed", "max_len",
                  "batch_tokens", "lr", "warmup", "schedule", "apos_p", "train", "extra_train",
                  "mlm_pretrain_steps", "mlm_minutes", "weight_decay", "dropout", "allow_test_split",
                  "mention_p", "ocr_word_p", "styles", "style_dropout"):
            setattr(args, k, saved.get(k, getattr(args, k)))
        log(f"resume from {last_path}: phase {state['phase']} step {state['step']}")

    # data
    specs = [parse_spec(s) for s in args.train + args.extra_train]
    for path, _, _, _ in specs:
        refusal = training_refusal(path, [d.split("=", 1)[-1] for d in args.dev], args.allow_test_split)
        if refusal:
            sys.exit(refusal)
    devs, dev_specs = {}, []
    for d in args.dev:
        name, path = d.split("=", 1) if "=" in d else (os.path.basename(os.path.dirname(d)), d)
        devs[name] = read_jsonl(path)
        dev_specs.append(f"{name}={path}")
    # Only once the inputs are accepted: a refused run leaves no empty checkpoint folder behind.
    os.makedirs(args.ckpt_dir, exist_ok=True)

    init = torch.load(args.init_from) if (args.init_from and state is None) else None
    if args.init_from_model and state is None and init is None:
        from onnx_weights import read_model_folder
        arrays, model_vocab, dims = read_model_folder(args.init_from_model)
        args.hidden, args.layers, args.heads, args.ffn, args.max_pos = (
            dims["hidden"], dims["layers"], dims["heads"], dims["ffn"], dims["max_pos"])
        if dims.get("styles") and not args.styles:
            args.styles = dims["styles"]  # go on in the model's styles (its exports: the first)
        init = {"model": {k: torch.from_numpy(v) for k, v in arrays.items()}, "vocab": model_vocab,
                "step": f"exported model {args.init_from_model}"}
        args.init_from = args.init_from_model
    if init is not None and not args.styles and (init.get("cfg") or {}).get("styles"):
        args.styles = init["cfg"]["styles"]  # a checkpoint trained with styles goes on in them
    if state is not None:
        vocab = state["vocab"]
    elif init is not None:
        vocab = init["vocab"]
    elif args.vocab:
        vocab = load_vocab(args.vocab)
    else:
        vocab = build_vocab(args, [read_jsonl(p) for p, _, _, _ in specs])
    save_vocab(vocab, vocab_path)
    wp = WordPiece(vocab)
    corpus = Corpus(wp, args.max_len, Augmenter(LABELS, mention_p=args.mention_p, ocr_word_p=args.ocr_word_p),
                    style_dropout=args.style_dropout)
    for s in specs:
        corpus.add(*s, style=spec_style(args.styles, s[0], s[3]))
    unk = sum(1 for toks, _, _ in corpus.sents for w in toks if wp.encode_word(w) == [wp.unk_id])
    log(f"vocab {len(vocab)}; words that are [UNK]: {unk}")

    model = NerEncoder(len(vocab), args.hidden, args.layers, args.heads, args.ffn, args.max_pos,
                       dropout=args.dropout, styles=args.styles)
    log(f"model: {count_params(model)} exported parameters "
        f"(h{args.hidden} L{args.layers} heads{args.heads} ffn{args.ffn} V{len(vocab)})")

    def make_opt(lr):
        decay, no_decay = [], []
        for n, p in model.named_parameters():
            (no_decay if p.ndim < 2 or "ln" in n else decay).append(p)
        return torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                                  {"params": no_decay, "weight_decay": 0.0}],
                                 lr=lr, betas=(0.9, 0.98), eps=1e-6)

    phase = "mlm" if (args.mlm_pretrain_steps > 0 or args.mlm_minutes > 0) else "ner"
    mlm_used_s = 0.0
    step, epoch, batch_in_epoch = 0, 0, 0
    best = {"mean_f1": -1.0}
    max_steps = args.max_steps
    history = []
    tokens_done = 0
    train_seconds = 0.0
    ner_budget_s, ner_used_s = None, 0.0
    opt = make_opt(args.mlm_lr if phase == "mlm" else args.lr)
    if init is not None:
        typ = init["model"].get("typ.weight")
        if typ is not None and typ.shape != model.typ.weight.shape:
            # more annotation styles than the checkpoint's token types: every style starts as type 0
            init["model"] = {**init["model"], "typ.weight": typ[:1].repeat(model.typ.weight.shape[0], 1)}
            log(f"token types {typ.shape[0]} -> {model.typ.weight.shape[0]} (styles {args.styles}), from type 0")
        missing, unexpected = model.load_state_dict(init["model"], strict=False)
        assert not unexpected and all(k.startswith("mlm_") for k in missing), (missing, unexpected)
        log(f"warm start from {args.init_from} (step {init.get('step')})")
        init = None
    if state is not None:
        model.load_state_dict(state["model"])
        phase = state["phase"]
        opt = make_opt(args.mlm_lr if phase == "mlm" else args.lr)
        opt.load_state_dict(state["opt"])
        step, epoch, batch_in_epoch = state["step"], state["epoch"], state["batch_in_epoch"]
        best = state["best"]
        max_steps = state["max_steps"]
        history = state.get("history", [])
        tokens_done = state.get("tokens_done", 0)
        train_seconds = state.get("train_seconds", 0.0)
        ner_budget_s, ner_used_s = state.get("ner_budget_s"), state.get("ner_used_s", 0.0)
        mlm_used_s = state.get("mlm_used_s", 0.0)
        torch.set_rng_state(state["torch_rng"])

    deadline = None
    if args.time_budget_minutes:
        deadline = t_start + 60 * (args.time_budget_minutes - args.export_reserve_minutes)
    if ner_budget_s is not None:  # resumed time-clock run: finish the remaining budget
        deadline = time.time() + max(0.0, ner_budget_s - ner_used_s)

    def checkpoint(extra_eval=True):
        nonlocal best
        res = None
        if phase == "ner" and extra_eval:
            te = time.time()
            res = evaluate(model, wp, devs, args.styles)
            res["step"] = step
            res["epoch"] = epoch
            history.append({"step": step, "epoch": epoch, "time": time.time() - t_start,
                            "ner_minutes": ner_used_s / 60,
                            **{n: res[n]["micro"]["f1"] for n in devs}, "mean": res["mean_f1"]})
            log(f"eval step {step} ep {epoch}: {fmt_eval(res)} ({time.time() - te:.0f}s)")
            if res["mean_f1"] > best["mean_f1"]:
                best = {"mean_f1": res["mean_f1"], "step": step, "eval": res}
                save_atomic({"model": {k: v for k, v in model.state_dict().items() if not k.startswith("mlm_")},
                             "cfg": model.cfg, "vocab": vocab, "eval": res, "step": step,
                             "args": vars(args), "history": history,
                             "tokens_done": tokens_done, "train_seconds": train_seconds}, best_path)
                log(f"new best {res['mean_f1']:.4f} -> {best_path}")
        save_atomic({"model": model.state_dict(), "opt": opt.state_dict(), "phase": phase, "step": step,
                     "epoch": epoch, "batch_in_epoch": batch_in_epoch, "best": best, "max_steps": max_steps,
                     "ner_budget_s": ner_budget_s, "ner_used_s": ner_used_s, "mlm_used_s": mlm_used_s, "vocab": vocab, "args": vars(args), "torch_rng": torch.get_rng_state(),
                     "history": history, "tokens_done": tokens_done, "train_seconds": train_seconds}, last_path)
        return res

    cls_id, sep_id = wp.ids["[CLS]"], wp.ids["[SEP]"]
    last_ckpt = time.time()
    last_eval = time.time()
    stop = False

    # ------------------------------------------------------------------ MLM phase
    if phase == "mlm":
        extra = [toks for toks, _, _ in corpus.sents] if args.mlm_include_train else ()
        enc = mlm_batches(wp, args.mlm_text, args.mlm_lines, args.seed, extra_sentences=extra)
        log(f"mlm: {len(enc)} sentences ({args.mlm_lines} lines of each of {args.mlm_text}"
            f"{f' + {len(extra)} NER training sentences' if extra else ''})")
        mlm_budget_s = 60 * args.mlm_minutes if args.mlm_minutes > 0 else None
        mlm_steps = args.mlm_pretrain_steps if mlm_budget_s is None else 10 ** 9
        model.train()
        t0, tk = time.time(), 0
        phase_t0, used0 = time.time(), mlm_used_s
        while step < mlm_steps and (mlm_budget_s is None or mlm_used_s < mlm_budget_s):
            rng = np.random.default_rng([args.seed, 777, step])
            ids, att, lab, n = mlm_step_batch(enc, rng, wp, args.batch_tokens)
            frac = mlm_used_s / mlm_budget_s if mlm_budget_s else None
            for g in opt.param_groups:
                g["lr"] = lr_at(step, mlm_steps, args.mlm_lr, args.warmup, "linear", frac)
            h = model.encode(ids, att, torch.zeros_like(ids))
            m = lab != -100
            loss = F.cross_entropy(model.mlm_logits(h[m]), lab[m])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            tk += n
            mlm_used_s = used0 + (time.time() - phase_t0)
            if step % args.log_every == 0:
                log(f"mlm step {step} ({mlm_used_s / 60:.1f} min) loss {loss.item():.3f} "
                    f"{tk / (time.time() - t0):.0f} tok/s")
            if time.time() - last_ckpt > 60 * args.ckpt_minutes:
                checkpoint()
                last_ckpt = time.time()
            if deadline and time.time() > deadline:
                stop = True
                break
        if not stop:
            phase = "ner"
            step, epoch, batch_in_epoch = 0, 0, 0
            opt = make_opt(args.lr)
            checkpoint(extra_eval=False)
            last_ckpt = last_eval = time.time()  # the NER phase's first checkpoint comes a full interval later
            log("mlm done; NER phase")

    # ------------------------------------------------------------------ NER phase
    if not stop:
        batches = corpus.epoch_batches(args.seed, epoch, args.batch_tokens, args.apos_p)
        if max_steps is None and args.epochs:
            max_steps = int(round(args.epochs * len(batches)))
        if max_steps is None and deadline and ner_budget_s is None:
            ner_budget_s = deadline - time.time()
        if ner_budget_s is not None:
            log(f"LR schedule on the time clock: {ner_budget_s / 60:.1f} min of NER training "
                f"({ner_used_s / 60:.1f} used)")
        log(f"epoch {epoch}: {len(batches)} batches; max_steps {max_steps}")
        model.train()
        t0, tk, s0 = time.time(), 0, step
        loss_acc, n_acc = 0.0, 0
        phase_t0, used0 = time.time(), ner_used_s
        while True:
            if max_steps is not None and step >= max_steps:
                break
            if batch_in_epoch >= len(batches):
                epoch += 1
                batch_in_epoch = 0
                batches = corpus.epoch_batches(args.seed, epoch, args.batch_tokens, args.apos_p)
                log(f"epoch {epoch}: {len(batches)} batches")
            ts = time.time()
            ids, att, lab, wt, typ = collate(batches[batch_in_epoch], cls_id, sep_id)
            batch_in_epoch += 1
            frac = ner_used_s / ner_budget_s if ner_budget_s else None
            lr = lr_at(step, max_steps or 10 ** 9, args.lr, args.warmup, args.schedule, frac)
            for g in opt.param_groups:
                g["lr"] = lr
            logits = model(ids, att, typ)
            loss, _ = ner_loss(logits, lab, wt)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            n = int(att.sum())
            tk += n
            tokens_done += n
            train_seconds += time.time() - ts
            loss_acc += loss.item()
            n_acc += 1
            if step % args.log_every == 0:
                el = time.time() - t0
                log(f"step {step}/{max_steps} ep {epoch} loss {loss_acc / n_acc:.4f} lr {lr:.2e} "
                    f"{tk / el:.0f} tok/s")
                loss_acc, n_acc = 0.0, 0
            if time.time() - last_ckpt > 60 * args.ckpt_minutes:
                do_eval = time.time() - last_eval > 60 * args.eval_minutes
                checkpoint(extra_eval=do_eval)
                last_ckpt = time.time()
                if do_eval:
                    last_eval = last_ckpt
                model.train()
            ner_used_s = used0 + (time.time() - phase_t0)
            if deadline and time.time() > deadline:
                log("time budget reached")
                break
        checkpoint()
        log(f"training done: step {step}, {tokens_done} tokens in {train_seconds:.0f}s train time "
            f"({tokens_done / max(1, train_seconds):.0f} tok/s); best mean F1 {best['mean_f1']:.4f} "
            f"at step {best.get('step')}")

    if args.out and os.path.exists(best_path):
        import export
        export.export_all(best_path, args.out, node_check=not args.no_node_check,
                          command=" ".join(sys.argv), wall_seconds=time.time() - t_start, log=log,
                          dev_specs=dev_specs)  # the run's own dev sets, not the open data's


if __name__ == "__main__":
    try:
        main()
    except DataError as e:
        sys.exit(f"train.py: error: {e}")
