"""Checks of augment.py: /usr/bin/python3 -m unittest discover -s scripts/train-ner-model -p 'test_*.py'"""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from augment import Augmenter, entity_spans, ocr_noise  # noqa: E402

NAMES = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
ID = {n: i for i, n in enumerate(NAMES)}


def labels(*tags):
    return [ID[t] for t in tags]


SENTENCES = [
    ("M. le docteur Funck est à Paris .".split(), labels("B-PER", "I-PER", "I-PER", "I-PER", "O", "O", "B-LOC", "O")),
    ("Jaurès parle à Lyon et à Saint-Étienne .".split(), labels("B-PER", "O", "O", "B-LOC", "O", "O", "B-LOC", "O")),
    ("La Chambre a voté .".split(), labels("O", "B-ORG", "O", "O", "O")),
]


def valid_bio(lab):
    previous = "O"
    for lid in lab:
        name = NAMES[lid]
        if name.startswith("I-") and previous[2:] != name[2:]:
            return False
        previous = name
    return True


class EntitySpans(unittest.TestCase):
    def test_reads_runs_and_adjacent_entities(self):
        self.assertEqual(entity_spans(labels("B-PER", "I-PER", "B-PER", "O", "B-LOC"), NAMES),
                         [(0, 2, "PER"), (2, 3, "PER"), (4, 5, "LOC")])

    def test_ignores_the_partial_label_id(self):
        # Europeana's "O or MISC" pseudo label (id 9) is outside the label names: not an entity
        self.assertEqual(entity_spans([9, ID["B-LOC"], 9], NAMES), [(1, 2, "LOC")])


class MentionReplacement(unittest.TestCase):
    def setUp(self):
        self.augmenter = Augmenter(NAMES, mention_p=1.0)
        self.augmenter.add_file(0, SENTENCES)

    def test_every_entity_becomes_a_mention_of_its_own_label_and_file(self):
        rng = np.random.default_rng(3)
        pool = {kind: {tuple(t[a:b]) for t, l in SENTENCES for a, b, kind2 in entity_spans(l, NAMES) if kind2 == kind}
                for kind in ("PER", "LOC", "ORG")}
        for _ in range(50):
            for toks, lab in SENTENCES:
                new_toks, new_lab = self.augmenter.apply(toks, lab, {"mentions"}, 0, rng)
                self.assertEqual(len(new_toks), len(new_lab))
                self.assertTrue(valid_bio(new_lab))
                spans = entity_spans(new_lab, NAMES)
                self.assertEqual([k for _, _, k in spans], [k for _, _, k in entity_spans(lab, NAMES)])
                for a, b, kind in spans:
                    self.assertIn(tuple(new_toks[a:b]), pool[kind])

    def test_context_words_are_kept(self):
        rng = np.random.default_rng(5)
        toks, lab = SENTENCES[1]
        new_toks, new_lab = self.augmenter.apply(toks, lab, {"mentions"}, 0, rng)
        context = [w for w, lid in zip(new_toks, new_lab) if lid == ID["O"]]
        self.assertEqual(context, ["parle", "à", "et", "à", "."])

    def test_same_seed_same_sentences(self):
        runs = []
        for _ in range(2):
            rng = np.random.default_rng([13, 2])
            runs.append([self.augmenter.apply(t, l, {"mentions", "ocr"}, 0, rng) for t, l in SENTENCES])
        self.assertEqual(runs[0], runs[1])


class OcrNoise(unittest.TestCase):
    def test_keeps_the_token_count_and_changes_some_words(self):
        rng = np.random.default_rng(7)
        toks = "Le président de la République est arrivé à Marseille hier soir .".split()
        changed = 0
        for _ in range(200):
            noisy = ocr_noise(toks, rng, word_p=0.1, caps_line_p=0.0, capital_accent_p=0.0)
            self.assertEqual(len(noisy), len(toks))
            self.assertTrue(all(noisy))
            changed += sum(a != b for a, b in zip(noisy, toks))
        self.assertGreater(changed, 50)

    def test_capital_accents_and_headlines(self):
        rng = np.random.default_rng(1)
        toks = ["Les", "États-Unis", "et", "l'", "Élysée"]
        self.assertEqual(ocr_noise(toks, rng, word_p=0.0, caps_line_p=0.0, capital_accent_p=1.0),
                         ["Les", "Etats-Unis", "et", "l'", "Elysée"])
        self.assertEqual(ocr_noise(toks, rng, word_p=0.0, caps_line_p=1.0, capital_accent_p=0.0),
                         ["LES", "ÉTATS-UNIS", "ET", "L'", "ÉLYSÉE"])


if __name__ == "__main__":
    unittest.main()
