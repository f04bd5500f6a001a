"""Training-time data augmentation for small or clean NER sets (one module owns it).

Two augmentations, redrawn every epoch from the run's seeded generator, so a run stays reproducible:

- mention replacement (`@mentions` on a training file): each gold entity is, with some probability,
  replaced by another mention of the same label taken from the same file. The file's own mentions
  keep its conventions (a NewsEye person stays "M. le docteur X"); the model has to read the context
  instead of memorising the few thousand names of a small corpus.
- OCR noise (`@ocr`): letters swapped for the ones OCR confuses (e/c, l/i, n/u, m/rn, s/f...), dropped
  or doubled, accents lost on capitals (`Etats-Unis`), now and then a whole line in capitals (a
  headline). Historical newspapers are OCR text; the clean Wikipedia sentences that make most of the
  training data are not.

Token counts never change, so the BIO labels stay aligned word for word.
"""
from __future__ import annotations

import unicodedata

import numpy as np

# What OCR reads instead of a letter (or letter pair) in old French print.
CONFUSIONS = {
    "e": ["c", "é", "o"], "c": ["e", "o"], "o": ["c", "0", "e"], "a": ["o", "e"],
    "i": ["l", "1", "t"], "l": ["i", "1", "I"], "t": ["l", "f"], "f": ["t", "s"],
    "n": ["u", "ri"], "u": ["n", "ii"], "m": ["rn", "in"], "h": ["li", "b"], "b": ["h"],
    "s": ["f", "a"], "r": ["t", "i"], "é": ["e", "ê", "è"], "è": ["e", "é"], "à": ["a"],
    "I": ["l", "1"], "E": ["F"], "O": ["0", "C"], "S": ["8"],
}
PAIR_CONFUSIONS = {"rn": "m", "in": "m", "li": "h", "ri": "n"}


def entity_spans(labels, label_names):
    """(start, end, type) of each B-/I- run in a list of label ids (other ids end a span)."""
    out, start, kind = [], None, None
    for i, lid in enumerate(list(labels) + [-1]):
        name = label_names[lid] if 0 <= lid < len(label_names) else "O"
        if name.startswith("I-") and start is not None and name[2:] == kind:
            continue
        if start is not None:
            out.append((start, i, kind))
            start, kind = None, None
        if name.startswith(("B-", "I-")):
            start, kind = i, name[2:]
    return out


def mention_pool(sentences, label_names):
    """label -> list of mentions (tuples of tokens) seen in these (tokens, label ids) sentences."""
    pool = {}
    for toks, lab in sentences:
        for a, b, kind in entity_spans(lab, label_names):
            pool.setdefault(kind, []).append(tuple(toks[a:b]))
    return pool


def replace_mentions(toks, lab, pool, rng, p, label_ids):
    """Each entity replaced, with probability p, by a random mention of its label from `pool`."""
    spans = entity_spans(lab, label_ids["names"])
    if not spans:
        return toks, lab
    draws = rng.random(len(spans))
    out_t, out_l, prev = [], [], 0
    for (a, b, kind), r in zip(spans, draws):
        out_t.extend(toks[prev:a])
        out_l.extend(lab[prev:a])
        candidates = pool.get(kind)
        if r < p and candidates:
            mention = candidates[int(rng.integers(len(candidates)))]
            out_t.extend(mention)
            out_l.extend([label_ids["B-" + kind]] + [label_ids["I-" + kind]] * (len(mention) - 1))
        else:
            out_t.extend(toks[a:b])
            out_l.extend(lab[a:b])
        prev = b
    out_t.extend(toks[prev:])
    out_l.extend(lab[prev:])
    return out_t, out_l


def strip_accents(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def ocr_word(word, rng):
    """One OCR-like corruption of a word (letters only; punctuation and digits left alone)."""
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    if not letters:
        return word
    kind = rng.random()
    i = letters[int(rng.integers(len(letters)))]
    if kind < 0.6:
        pair = word[i:i + 2]
        if pair in PAIR_CONFUSIONS and rng.random() < 0.5:
            return word[:i] + PAIR_CONFUSIONS[pair] + word[i + 2:]
        options = CONFUSIONS.get(word[i])
        if not options:
            return word
        return word[:i] + options[int(rng.integers(len(options)))] + word[i + 1:]
    if kind < 0.8 and len(word) > 3:
        return word[:i] + word[i + 1:]
    if kind < 0.9:
        return word[:i] + word[i] + word[i:]
    return strip_accents(word)


def ocr_noise(toks, rng, word_p, caps_line_p, capital_accent_p):
    """A sentence as OCR might have read it; same number of tokens."""
    out = list(toks)
    if rng.random() < capital_accent_p:
        # old print often drops accents on capitals: État -> Etat, Élysée -> Elysée
        out = [strip_accents(w[0]) + w[1:] if w and w[0].isupper() else w for w in out]
    if rng.random() < caps_line_p:
        out = [w.upper() for w in out]
    draws = rng.random(len(out))
    for i, r in enumerate(draws):
        if r < word_p:
            out[i] = ocr_word(out[i], rng) or out[i]
    return out


class Augmenter:
    """Per-file augmentation settings and mention pools; `apply` is called once per sentence per epoch."""

    def __init__(self, label_names, mention_p=0.3, ocr_word_p=0.04, caps_line_p=0.02, capital_accent_p=0.3):
        self.names = list(label_names)
        self.ids = {n: i for i, n in enumerate(self.names)}
        self.ids["names"] = self.names
        self.mention_p = mention_p
        self.ocr_word_p = ocr_word_p
        self.caps_line_p = caps_line_p
        self.capital_accent_p = capital_accent_p
        self.pools = {}  # file index -> mention pool

    def add_file(self, file_index, sentences):
        self.pools[file_index] = mention_pool(sentences, self.names)

    def apply(self, toks, lab, flags, file_index, rng):
        if "mentions" in flags:
            toks, lab = replace_mentions(toks, lab, self.pools[file_index], rng, self.mention_p, self.ids)
        if "ocr" in flags:
            toks = ocr_noise(toks, rng, self.ocr_word_p, self.caps_line_p, self.capital_accent_p)
        return toks, lab
