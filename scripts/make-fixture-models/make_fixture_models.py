"""Writes the tiny NER fixture models under test/fixtures/models/, deterministically.

Each fixture is a folder transformers.js 4.3.2 loads offline (config.json, tokenizer.json,
tokenizer_config.json, onnx/model.onnx and onnx/model_quantized.onnx) for one tokenizer kind:

- bert-wordpiece-cased:   WordPiece with `##`, BertNormalizer keeping case and accents, BIO labels.
- bert-wordpiece-uncased: WordPiece, BertNormalizer lower-casing and stripping accents, BIO labels.
- sentencepiece-unigram:  Unigram pieces with `▁` (Metaspace), NFKC normaliser, BILOU labels with
                          long names (PERSON, LOCATION, ORGANIZATION, DATE) that need a label map.
- roberta-bytelevel:      byte-level BPE with `Ġ`, RoBERTa position offset, plain IO labels.
- bert-wordpiece-styles:  bert-wordpiece-cased with two annotation styles (config guillemet.styles, fed
                          as token types): "toutes" (the default, type 0) and "sans-lieux" (type 1),
                          whose token-type row pushes the LOC labels down so no place is tagged.

The ONNX graph is a lookup, not a transformer: logits = E[input_ids] + P[positions] (+ T[token
types]) masked by attention_mask, where P has exactly max_position_embeddings rows, so a window
longer than the model allows fails in onnxruntime instead of passing silently. E is designed so the
first piece of a few gazetteer words predicts an entity label and everything else predicts O, with
small seeded noise so probabilities differ. Weights are tiny (hidden size = number of labels).

Run with Debian's interpreter (python3-onnx, python3-numpy): /usr/bin/python3 scripts/make-fixture-models/make_fixture_models.py
No torch needed; the output is byte-identical between runs.
"""
from __future__ import annotations

import json
import os
import sys
import unicodedata

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "models")

# Characters the vocabularies know. Deliberately absent: emoji, CJK, most symbols -> [UNK] / <unk>.
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ACCENTED = "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆñ"
DIGITS = "0123456789"
PUNCT = ".,;:!?'\"()[]-–—/«»’‘“”…%€$&*+=@#_"
CHARS = LETTERS + ACCENTED + DIGITS + PUNCT

# Gazetteer: word -> entity type. The first piece of each predicts B-<type> (or U-/plain).
GAZETTEER = {
    "Otan": "ORG", "Kremlin": "ORG", "Sputnik": "ORG", "Onu": "ORG",
    "Lavrov": "PER", "Sergueï": "PER", "Macron": "PER", "Emmanuel": "PER", "Zelensky": "PER",
    "Moscou": "LOC", "Paris": "LOC", "Ukraine": "LOC", "Russie": "LOC", "Kiev": "LOC",
    "Mondial": "MISC",
}
# Words that get a whole-word piece (besides the gazetteer), so pieces vary in length.
COMMON = ["le", "la", "les", "de", "des", "du", "et", "un", "une", "a", "est", "dans", "pour",
          "ministre", "russe", "déclaré", "président", "selon", "avec", "qui", "que", "sur"]
# Continuation chunks, so long words split into several pieces.
CHUNKS = ["tion", "ment", "ais", "ait", "ent", "er", "es", "re", "on", "an", "in", "ou"]

SEED = 20261129


def strip_accents_lower(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def ordered_unique(items):
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


# ---------------------------------------------------------------- tokenizers

def wordpiece_tokenizer(lowercase: bool) -> tuple[dict, list[str]]:
    fold = strip_accents_lower if lowercase else (lambda s: s)
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = ordered_unique(fold(c) for c in CHARS if fold(c))
    words = ordered_unique(fold(w) for w in list(GAZETTEER) + COMMON)
    vocab = ordered_unique(specials + chars + ["##" + c for c in chars] + words + ["##" + c for c in CHUNKS])
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
            for i, t in enumerate(specials)
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": True if lowercase else False, "lowercase": lowercase},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(vocab)}},
    }
    return tok, vocab


def unigram_tokenizer() -> tuple[dict, list[str]]:
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    pieces: list[tuple[str, float]] = [(s, 0.0) for s in specials]
    pieces.append(("▁", -3.0))
    for c in CHARS:
        pieces.append((c, -8.0))
        pieces.append(("▁" + c, -8.5))
    for w in list(GAZETTEER) + COMMON:
        pieces.append(("▁" + w, -2.0))
        pieces.append((w, -2.5))
    for c in CHUNKS:
        pieces.append((c, -4.0))
    seen, vocab = set(), []
    for p, s in pieces:
        if p not in seen:
            seen.add(p)
            vocab.append((p, s))
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
            for i, t in enumerate(specials)
        ],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFKC"},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        ]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {
                "<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]},
                "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]},
            },
        },
        "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": 3, "vocab": [[p, s] for p, s in vocab], "byte_fallback": False},
    }
    return tok, [p for p, _ in vocab]


def bytelevel_tokenizer() -> tuple[dict, list[str]]:
    b2u = bytes_to_unicode()
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    vocab = specials + [b2u[b] for b in range(256)]
    merges: list[tuple[str, str]] = []
    for w in list(GAZETTEER) + COMMON:
        for prefixed in (" " + w, w):
            symbols = [b2u[b] for b in prefixed.encode("utf-8")]
            current = symbols[0]
            for s in symbols[1:]:
                merges.append((current, s))
                current = current + s
                vocab.append(current)
    vocab = ordered_unique(vocab)
    merges = ordered_unique(merges)
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True}
            for i, t in enumerate(specials)
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0],
                           "trim_offsets": True, "add_prefix_space": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {t: i for i, t in enumerate(vocab)}, "merges": [[a, b] for a, b in merges]},
    }
    return tok, vocab


# ---------------------------------------------------------------- weights and graph

def entity_piece_ids(vocab: list[str], kind: str, fold) -> dict[int, str]:
    """Ids of the pieces a gazetteer word starts with, per kind, mapped to the word's type."""
    index = {t: i for i, t in enumerate(vocab)}
    out: dict[int, str] = {}
    for word, typ in GAZETTEER.items():
        if kind == "wordpiece":
            candidates = [fold(word)]
        elif kind == "unigram":
            candidates = ["▁" + word]
        else:
            b2u = bytes_to_unicode()
            candidates = ["".join(b2u[b] for b in (" " + word).encode()), "".join(b2u[b] for b in word.encode())]
        for c in candidates:
            if c in index:
                out[index[c]] = typ
    return out


def label_for(scheme: str, typ: str, names: dict[str, str]) -> str:
    name = names.get(typ, typ)
    return {"bio": f"B-{name}", "bilou": f"U-{name}", "plain": name}[scheme]


def make_embeddings(vocab, labels, entity_ids, scheme, names, rng):
    emb = rng.uniform(-0.5, 0.5, size=(len(vocab), len(labels))).astype(np.float32)
    o = labels.index("O")
    emb[:, o] += 3.0
    for i, typ in entity_ids.items():
        target = labels.index(label_for(scheme, typ, names))
        emb[i, target] += 6.0
    return emb


def make_graph(name, emb, max_positions, position_offset, with_token_types, rng, doc, type_bias=None):
    vocab_size, hidden = emb.shape
    pos = (rng.uniform(-0.05, 0.05, size=(max_positions, hidden))).astype(np.float32)
    inits = [numpy_helper.from_array(emb, "word_embeddings"), numpy_helper.from_array(pos, "position_embeddings"),
             numpy_helper.from_array(np.array(0, dtype=np.int64), "zero"),
             numpy_helper.from_array(np.array(1, dtype=np.int64), "one"),
             numpy_helper.from_array(np.array(position_offset, dtype=np.int64), "position_offset"),
             numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis")]
    nodes = [
        helper.make_node("Gather", ["word_embeddings", "input_ids"], ["tok"]),
        helper.make_node("Shape", ["input_ids"], ["shape"]),
        helper.make_node("Gather", ["shape", "one"], ["seq_len"], axis=0),
        helper.make_node("Add", ["seq_len", "position_offset"], ["pos_end"]),
        helper.make_node("Range", ["position_offset", "pos_end", "one"], ["positions"]),
        # Gather fails on an index >= max_positions: the fixture enforces the model's length limit.
        helper.make_node("Gather", ["position_embeddings", "positions"], ["pos"]),
        helper.make_node("Add", ["tok", "pos"], ["summed"]),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_f", "last_axis"], ["mask_3d"]),
    ]
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
              helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "sequence_length"])]
    last = "summed"
    if with_token_types:
        types = rng.uniform(-0.05, 0.05, size=(2, hidden)).astype(np.float32)
        if type_bias is not None:
            types = types + type_bias.astype(np.float32)
        inits.append(numpy_helper.from_array(types, "token_type_embeddings"))
        inputs.append(helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["batch_size", "sequence_length"]))
        nodes.append(helper.make_node("Gather", ["token_type_embeddings", "token_type_ids"], ["typ"]))
        nodes.append(helper.make_node("Add", ["summed", "typ"], ["summed_typ"]))
        last = "summed_typ"
    nodes.append(helper.make_node("Mul", [last, "mask_3d"], ["logits"]))
    output = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", hidden])
    graph = helper.make_graph(nodes, name, inputs, [output], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="guillemet-fixture",
                              doc_string=doc)
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write_fixture(folder, tok, tok_config, config, emb, max_positions, position_offset, with_token_types, rng,
                  type_bias=None):
    path = os.path.join(OUT, folder)
    os.makedirs(os.path.join(path, "onnx"), exist_ok=True)
    with open(os.path.join(path, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    with open(os.path.join(path, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tok_config, f, ensure_ascii=False, indent=2)
    with open(os.path.join(path, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=2)
    state = rng.get_state()
    fp32 = make_graph(folder, emb, max_positions, position_offset, with_token_types, rng, "fixture fp32", type_bias)
    rng.set_state(state)
    # Same weights; a different doc string, so the q8 file (and its revision hash) differs from fp32.
    q8 = make_graph(folder, emb, max_positions, position_offset, with_token_types, rng, "fixture q8 (same weights)",
                    type_bias)
    onnx.save(fp32, os.path.join(path, "onnx", "model.onnx"))
    onnx.save(q8, os.path.join(path, "onnx", "model_quantized.onnx"))


def config_for(model_type, arch, labels, max_positions, vocab_size, extra=None):
    cfg = {
        "model_type": model_type,
        "architectures": [arch],
        "id2label": {str(i): l for i, l in enumerate(labels)},
        "label2id": {l: i for i, l in enumerate(labels)},
        "max_position_embeddings": max_positions,
        "vocab_size": vocab_size,
        "hidden_size": len(labels),
        "num_hidden_layers": 0,
    }
    cfg.update(extra or {})
    return cfg


def main() -> None:
    types = ["PER", "LOC", "ORG", "MISC"]
    bio = ["O"] + [f"{p}-{t}" for t in types for p in ("B", "I")]

    for folder, lowercase in (("bert-wordpiece-cased", False), ("bert-wordpiece-uncased", True)):
        rng = np.random.RandomState(SEED)
        fold = strip_accents_lower if lowercase else (lambda s: s)
        tok, vocab = wordpiece_tokenizer(lowercase)
        emb = make_embeddings(vocab, bio, entity_piece_ids(vocab, "wordpiece", fold), "bio", {}, rng)
        tok_config = {"tokenizer_class": "BertTokenizer", "do_lower_case": lowercase, "model_max_length": 512,
                      "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]",
                      "mask_token": "[MASK]"}
        config = config_for("bert", "BertForTokenClassification", bio, 512, len(vocab), {"type_vocab_size": 2})
        write_fixture(folder, tok, tok_config, config, emb, 512, 0, True, rng)

    # Two annotation styles: type 1 ("sans-lieux") takes 20 off both LOC labels of every token.
    rng = np.random.RandomState(SEED)
    tok, vocab = wordpiece_tokenizer(False)
    emb = make_embeddings(vocab, bio, entity_piece_ids(vocab, "wordpiece", lambda s: s), "bio", {}, rng)
    type_bias = np.zeros((2, len(bio)))
    type_bias[1, [bio.index("B-LOC"), bio.index("I-LOC")]] = -20.0
    tok_config = {"tokenizer_class": "BertTokenizer", "do_lower_case": False, "model_max_length": 512,
                  "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]",
                  "mask_token": "[MASK]"}
    config = config_for("bert", "BertForTokenClassification", bio, 512, len(vocab),
                        {"type_vocab_size": 2, "guillemet": {"styles": ["toutes", "sans-lieux"]}})
    write_fixture("bert-wordpiece-styles", tok, tok_config, config, emb, 512, 0, True, rng, type_bias)

    # SentencePiece-style: BILOU with long type names, and a short maximum length (64) so that
    # small texts already need several windows.
    names = {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION", "MISC": "DATE"}
    bilou = ["O"] + [f"{p}-{names[t]}" for t in types for p in ("B", "I", "L", "U")]
    rng = np.random.RandomState(SEED)
    tok, vocab = unigram_tokenizer()
    emb = make_embeddings(vocab, bilou, entity_piece_ids(vocab, "unigram", None), "bilou", names, rng)
    tok_config = {"tokenizer_class": "CamembertTokenizer", "model_max_length": 64, "bos_token": "<s>", "eos_token": "</s>",
                  "unk_token": "<unk>", "sep_token": "</s>", "cls_token": "<s>", "pad_token": "<pad>", "mask_token": "<unk>"}
    config = config_for("camembert", "CamembertForTokenClassification", bilou, 66, len(vocab), {"pad_token_id": 1})
    write_fixture("sentencepiece-unigram", tok, tok_config, config, emb, 66, 2, False, rng)

    # Byte-level BPE (RoBERTa): plain labels without prefixes; max_position_embeddings 66 with the
    # RoBERTa offset of 2, i.e. 64 usable positions.
    plain = ["O"] + types
    rng = np.random.RandomState(SEED)
    tok, vocab = bytelevel_tokenizer()
    emb = make_embeddings(vocab, plain, entity_piece_ids(vocab, "bytelevel", None), "plain", {}, rng)
    tok_config = {"tokenizer_class": "RobertaTokenizer", "model_max_length": 64, "add_prefix_space": True,
                  "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>", "cls_token": "<s>",
                  "pad_token": "<pad>", "mask_token": "<unk>"}
    config = config_for("roberta", "RobertaForTokenClassification", plain, 66, len(vocab), {"pad_token_id": 1})
    write_fixture("roberta-bytelevel", tok, tok_config, config, emb, 66, 2, False, rng)
    print(f"[fixtures:models] wrote 5 fixture models under {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
