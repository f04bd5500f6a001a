"""Cased WordPiece tokenizer for Guillemet's NER model, written without the `tokenizers` package.

The normaliser and pre-tokeniser replicate what transformers.js 4.3.2 (@huggingface/tokenizers) does
for a tokenizer.json with `BertNormalizer` (clean_text, handle_chinese_chars, no lowercasing, accents
kept) and `BertPreTokenizer`, and `WordPiece.encode` replicates its greedy longest-match-first
WordPiece model, so that ids computed here at training time are the ids the app gets at inference.

The vocabulary is learnt with byte-pair-style merges over word counts (the way the HF WordPiece
trainer does it): symbols are characters, non-initial ones carry the "##" prefix, and the most
frequent adjacent pair is merged until the vocabulary has the requested size.
"""
from __future__ import annotations

import heapq
import json
import unicodedata
from collections import Counter, defaultdict

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PREFIX = "##"

# JavaScript's \s (ECMAScript WhiteSpace + LineTerminator)
_JS_SPACE = set("\t\n\x0b\x0c\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {
    chr(c) for c in range(0x2000, 0x200B)
}
_ASCII_PUNCT = {chr(c) for c in list(range(0x21, 0x30)) + list(range(0x3A, 0x41))
                + list(range(0x5B, 0x61)) + list(range(0x7B, 0x7F))}


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def _is_chinese(cp: int) -> bool:
    return ((0x4E00 <= cp <= 0x9FFF) or (0x3400 <= cp <= 0x4DBF) or (0x20000 <= cp <= 0x2A6DF)
            or (0x2A700 <= cp <= 0x2B73F) or (0x2B740 <= cp <= 0x2B81F) or (0x2B820 <= cp <= 0x2CEAF)
            or (0xF900 <= cp <= 0xFAFF) or (0x2F800 <= cp <= 0x2FA1F))


def is_punct(ch: str) -> bool:
    return ch in _ASCII_PUNCT or unicodedata.category(ch).startswith("P")


def normalize(text: str) -> str:
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        if ch in _JS_SPACE:
            out.append(" ")
        elif _is_chinese(cp):
            out.append(" " + ch + " ")
        else:
            out.append(ch)
    return "".join(out)


def pre_tokenize(text: str) -> list[str]:
    """BertPreTokenizer: runs of non-space non-punctuation characters, or single punctuation chars."""
    words, cur = [], []
    for ch in text:
        if ch in _JS_SPACE:
            if cur:
                words.append("".join(cur))
                cur = []
        elif is_punct(ch):
            if cur:
                words.append("".join(cur))
                cur = []
            words.append(ch)
        else:
            cur.append(ch)
    if cur:
        words.append("".join(cur))
    return words


class WordPiece:
    def __init__(self, vocab: list[str], max_chars: int = 100):
        self.vocab = vocab
        self.ids = {t: i for i, t in enumerate(vocab)}
        self.unk_id = self.ids["[UNK]"]
        self.max_chars = max_chars
        self._cache: dict[str, list[int]] = {}

    def __len__(self):
        return len(self.vocab)

    def encode_pretoken(self, word: str) -> list[int]:
        chars = word  # python str indexes code points, like [...token] in JS
        if len(chars) > self.max_chars:
            return [self.unk_id]
        out, start = [], 0
        while start < len(chars):
            end = len(chars)
            found = None
            while start < end:
                sub = chars[start:end]
                if start > 0:
                    sub = PREFIX + sub
                i = self.ids.get(sub)
                if i is not None:
                    found = i
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            out.append(found)
            start = end
        return out

    def encode_word(self, word: str) -> list[int]:
        """Pieces of one app word (as `tokenizer.tokenize(word)` in transformers.js, no specials)."""
        r = self._cache.get(word)
        if r is None:
            r = []
            for p in pre_tokenize(normalize(word)):
                r.extend(self.encode_pretoken(p))
            self._cache[word] = r
        return r

    def tokens(self, ids):
        return [self.vocab[i] for i in ids]


def train_wordpiece(word_counts: Counter, vocab_size: int, min_char_count: int = 3,
                    required_chars: str = "", log=print) -> list[str]:
    """Learn a WordPiece vocabulary from pre-token counts (pre-tokens: outputs of pre_tokenize)."""
    char_init, char_cont = Counter(), Counter()
    for w, c in word_counts.items():
        char_init[w[0]] += c
        for ch in w[1:]:
            char_cont[ch] += c
    alphabet = set()
    vocab = list(SPECIALS)
    seen = set(vocab)

    def add(t):
        if t not in seen:
            seen.add(t)
            vocab.append(t)

    for ch, c in sorted(char_init.items(), key=lambda x: (-x[1], x[0])):
        if c >= min_char_count:
            add(ch)
            alphabet.add(ch)
    for ch, c in sorted(char_cont.items(), key=lambda x: (-x[1], x[0])):
        if c >= min_char_count:
            add(PREFIX + ch)
            alphabet.add(ch)
    for ch in required_chars:
        add(ch)
        add(PREFIX + ch)
        alphabet.add(ch)
    log(f"wordpiece: alphabet {len(alphabet)} chars, {len(vocab)} initial tokens")

    # words as symbol lists; words containing chars outside the alphabet are skipped
    words, counts = [], []
    for w, c in sorted(word_counts.items()):
        if len(w) < 2 or len(w) > 40 or any(ch not in alphabet for ch in w):
            continue
        words.append([w[0]] + [PREFIX + ch for ch in w[1:]])
        counts.append(c)
    pair_count: dict = defaultdict(int)
    where: dict = defaultdict(set)
    for wi, syms in enumerate(words):
        c = counts[wi]
        for a, b in zip(syms, syms[1:]):
            pair_count[(a, b)] += c
            where[(a, b)].add(wi)
    heap = [(-c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)

    def merged(a, b):
        return a + b[len(PREFIX):]

    while len(vocab) < vocab_size and heap:
        negc, pair = heapq.heappop(heap)
        cur = pair_count.get(pair, 0)
        if cur <= 0:
            continue
        if -negc != cur:
            heapq.heappush(heap, (-cur, pair))
            continue
        a, b = pair
        new = merged(a, b)
        add(new)
        changed = set()
        for wi in list(where.get(pair, ())):
            syms = words[wi]
            c = counts[wi]
            # remove old pairs
            for x, y in zip(syms, syms[1:]):
                pair_count[(x, y)] -= c
                changed.add((x, y))
            out, i = [], 0
            while i < len(syms):
                if i + 1 < len(syms) and syms[i] == a and syms[i + 1] == b:
                    out.append(new)
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            words[wi] = out
            for x, y in zip(out, out[1:]):
                pair_count[(x, y)] += c
                where[(x, y)].add(wi)
                changed.add((x, y))
        pair_count.pop(pair, None)
        where.pop(pair, None)
        for p in changed:
            c = pair_count.get(p, 0)
            if c > 0:
                heapq.heappush(heap, (-c, p))
    log(f"wordpiece: vocabulary {len(vocab)} tokens")
    return vocab


def tokenizer_json(vocab: list[str], model_max_length: int = 512) -> dict:
    ids = {t: i for i, t in enumerate(vocab)}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True} for t in SPECIALS
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": False, "lowercase": False},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [ids[t]], "tokens": [t]} for t in ("[CLS]", "[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": PREFIX, "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": PREFIX,
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


def tokenizer_config(model_max_length: int = 512) -> dict:
    return {
        "tokenizer_class": "BertTokenizer",
        "do_lower_case": False,
        "strip_accents": False,
        "tokenize_chinese_chars": True,
        "clean_up_tokenization_spaces": True,
        "model_max_length": model_max_length,
        "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
        "cls_token": "[CLS]", "mask_token": "[MASK]",
    }


def save_vocab(vocab: list[str], path: str):
    with open(path, "w", encoding="utf-8") as f:
        for t in vocab:
            f.write(t + "\n")


def load_vocab(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def write_tokenizer_files(vocab: list[str], out_dir: str, model_max_length: int = 512):
    import os
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab, model_max_length), f, ensure_ascii=False, indent=None,
                  separators=(",", ":"))
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_config(model_max_length), f, ensure_ascii=False, indent=2)
    save_vocab(vocab, os.path.join(out_dir, "vocab.txt"))
