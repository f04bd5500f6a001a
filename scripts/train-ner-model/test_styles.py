"""Checks of annotation styles in train.py: /usr/bin/python3 -m unittest discover -s scripts/train-ner-model -p 'test_*.py'"""
import json
import os
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import NerEncoder  # noqa: E402
from train import Corpus, collate, parse_spec, spec_style, style_id  # noqa: E402
from wordpiece import WordPiece  # noqa: E402

STYLES = ["wikineural", "newseye", "sequoia", "europeana"]


class StyleTest(unittest.TestCase):
    def test_a_spec_names_its_style_apart_from_the_other_flags(self):
        path, weight, repeat, flags = parse_spec("/d/ner-fr-x/train.jsonl.gz@style=newseye@ocr:0.5:3")
        self.assertEqual((path, weight, repeat), ("/d/ner-fr-x/train.jsonl.gz", 0.5, 3))
        self.assertEqual(flags, frozenset({"style=newseye", "ocr"}))

    def test_a_file_is_read_in_its_named_style_else_its_folder_else_the_default(self):
        self.assertEqual(spec_style(STYLES, "/d/ner-fr-x/train.jsonl.gz", {"style=sequoia"}), 2)
        self.assertEqual(spec_style(STYLES, "/d/ner-fr-europeana/train.jsonl.gz", set()), 3)
        self.assertEqual(spec_style(STYLES, "/d/export/corpus.jsonl", set()), 0)
        self.assertEqual(spec_style([], "/d/ner-fr-newseye/train.jsonl.gz", set()), 0)
        with self.assertRaises(SystemExit):
            spec_style(STYLES, "/d/a.jsonl", {"style=hipe"})

    def test_a_dev_set_is_read_in_the_style_of_its_name(self):
        self.assertEqual(style_id(STYLES, "newseye"), 1)
        self.assertEqual(style_id(STYLES, "other"), 0)

    def test_each_sentence_of_a_batch_carries_its_style_as_token_type(self):
        ids, att, lab, wt, typ = collate([([5, 6], [1, 2], 1.0, 2), ([7], [0], 0.3, 1)], cls_id=2, sep_id=3)
        self.assertEqual(typ.tolist(), [[2, 2, 2, 2], [1, 1, 1, 1]])
        self.assertEqual(ids.tolist(), [[2, 5, 6, 3], [2, 7, 3, 0]])
        _, _, _, _, typ = collate([([5], [0], 1.0)], cls_id=2, sep_id=3)
        self.assertEqual(typ.tolist(), [[0, 0, 0]])

    def test_the_model_has_one_token_type_per_style_and_they_change_its_output(self):
        torch.manual_seed(0)
        model = NerEncoder(50, hidden=16, layers=1, heads=2, ffn=32, max_pos=16, styles=STYLES).eval()
        self.assertEqual(model.typ.weight.shape[0], 4)
        self.assertEqual(model.cfg["styles"], STYLES)
        ids = torch.tensor([[2, 10, 11, 3]])
        att = torch.ones_like(ids)
        a = model(ids, att, torch.zeros_like(ids))
        b = model(ids, att, torch.full_like(ids, 1))
        self.assertFalse(torch.allclose(a, b))
        self.assertNotIn("styles", NerEncoder(50, hidden=16, layers=1, heads=2, ffn=32, max_pos=16).cfg)

    def test_style_dropout_feeds_some_sentences_in_the_first_style(self):
        vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Paris", "est", "."]
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "ner-fr-newseye", "train.jsonl")
            os.makedirs(os.path.dirname(path))
            with open(path, "w", encoding="utf-8") as f:
                for _ in range(400):
                    f.write(json.dumps({"tokens": ["Paris", "est", "."], "tags": ["B-LOC", "O", "O"]}) + "\n")

            def styles_fed(dropout):
                corpus = Corpus(WordPiece(vocab), 32, style_dropout=dropout)
                corpus.add(path, 1.0, 1, frozenset(), style=spec_style(["mixed"] + STYLES, path, set()))
                return [item[3] for batch in corpus.epoch_batches(13, 0, 4096, 0.0) for item in batch]

            self.assertEqual(set(styles_fed(0.0)), {2})
            fed = styles_fed(0.3)
            self.assertEqual(set(fed), {0, 2})
            self.assertAlmostEqual(fed.count(0) / len(fed), 0.3, delta=0.07)
            self.assertEqual(set(styles_fed(1.0)), {0})


if __name__ == "__main__":
    unittest.main()
