"""Checks of the training files train.py accepts, and of how it refuses the others:
/usr/bin/python3 -m unittest discover -s scripts/train-ner-model -p 'test_*.py'"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from train import DataError, read_jsonl  # noqa: E402

TOKENS = ["Le", "chef", "de", "l’", "Otan", ",", "Jean-Marie", "Lefèvre", ",", "est", "à", "Bruxelles", "."]
TAGS = ["O", "O", "O", "O", "B-ORG", "O", "B-PER", "I-PER", "O", "O", "O", "B-LOC", "O"]
# A project whose schema lists ORG first: its `--tag-ids` export numbers the tags in that order.
PROJECT_LABELS = ["O", "B-ORG", "I-ORG", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def write(folder, name, lines, manifest=None):
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    if manifest is not None:
        with open(os.path.join(folder, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump({"schema": "guillemet.corpus-manifest/1", **manifest}, f)
    return path


class ReadCorpusTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()

    def refused(self, path):
        with self.assertRaises(DataError) as caught:
            read_jsonl(path)
        return str(caught.exception)

    def test_a_guillemet_bio_export_keeps_its_words_and_tags(self):
        path = write(self.folder, "train.jsonl", [{"id": "d#1", "tokens": TOKENS, "ner_tags": TAGS}],
                     manifest={"ner_labels": PROJECT_LABELS})
        self.assertEqual(read_jsonl(path), [(TOKENS, TAGS)])

    def test_tag_ids_are_named_by_the_manifest_of_their_export_not_by_the_model_order(self):
        ids = [PROJECT_LABELS.index(t) for t in TAGS]
        path = write(self.folder, "train.jsonl", [{"id": "d#1", "tokens": TOKENS, "ner_tags": ids}],
                     manifest={"ner_labels": PROJECT_LABELS})
        self.assertEqual(read_jsonl(path), [(TOKENS, TAGS)])

    def test_tag_ids_without_a_manifest_are_refused(self):
        path = write(self.folder, "corpus.jsonl", [{"tokens": ["Paris"], "ner_tags": [3]}])
        self.assertIn(f"{path}:1: tag 3 of token 1 is an id, and no export manifest", self.refused(path))

    def test_other_flavours_are_refused_with_the_export_to_make(self):
        spans = write(self.folder, "spans.jsonl", [
            "\n",
            {"schema": "guillemet.corpus/1", "id": "d", "text": "Paris", "entities": [],
             "tokens": [{"text": "Paris", "start": 0, "end": 5, "ner": "B-LOC"}]}])
        self.assertEqual(self.refused(spans), f"{spans}:2: a Guillemet `spans` record (a whole document with its spans); "
                         "export the corpus with `npm run export -- --format bio` (token records: {tokens, ner_tags})")
        conll = write(self.folder, "corpus.conll", ["-DOCSTART- -X- O O\n", "\n", "Paris\tB-LOC\n"])
        self.assertIn(f"{conll}:1: not JSON (Expecting value at column 1): a CoNLL file? export the corpus with "
                      "`npm run export -- --format bio`", self.refused(conll))

    def test_a_label_the_model_does_not_know_is_named_with_its_token_and_line(self):
        path = write(self.folder, "train.jsonl", [{"tokens": TOKENS, "ner_tags": TAGS},
                                                  {"tokens": ["l’", "Otan"], "ner_tags": ["O", "B-ORGANISATION"]}])
        self.assertEqual(self.refused(path), f"{path}:2: token 2 ('Otan') has tag 'B-ORGANISATION'; this model knows "
                         "O and B-/I- of PER, LOC, ORG, MISC (map or rename the other labels before training)")

    def test_broken_records_and_empty_or_missing_files_are_refused(self):
        mismatch = write(self.folder, "a.jsonl", [{"tokens": ["Paris", "."], "tags": ["B-LOC"]}])
        self.assertEqual(self.refused(mismatch), f"{mismatch}:1: 2 tokens but 1 tags")
        empty = write(self.folder, "train.jsonl", ["\n"], manifest={"ner_labels": PROJECT_LABELS})
        self.assertEqual(self.refused(empty), f"{empty}: no sentence in the file (no document of the export was in this split)")
        missing = os.path.join(self.folder, "absent.jsonl")
        self.assertEqual(self.refused(missing), f"{missing}: no such file")

    def test_the_command_says_what_is_wrong_in_one_line_without_a_traceback(self):
        path = write(self.folder, "corpus.conll", ["Paris\tB-LOC\n"])
        run = subprocess.run([sys.executable, os.path.join(HERE, "train.py"), "--train", path, "--dev",
                              f"mine={write(self.folder, 'mine.jsonl', [{'tokens': TOKENS, 'tags': TAGS}])}",
                              "--ckpt-dir", os.path.join(self.folder, "ckpt")], capture_output=True, text=True)
        self.assertEqual(run.returncode, 1)
        self.assertNotIn("Traceback", run.stderr)
        self.assertEqual(run.stderr.strip().splitlines()[-1][:40], f"train.py: error: {path}:1: not JSON"[:40])

    def test_a_time_budget_that_the_export_reserve_eats_is_refused_before_any_work(self):
        run = subprocess.run([sys.executable, os.path.join(HERE, "train.py"), "--time-budget-minutes", "2",
                              "--ckpt-dir", os.path.join(self.folder, "ckpt")], capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--time-budget-minutes 2 leaves no time to train: --export-reserve-minutes 4 of it are kept "
                      "for the export", run.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.folder, "ckpt")))

    def test_a_run_on_a_guillemet_export_is_scored_and_exported_on_its_own_dev_set(self):
        # Not on the open data's dev sets, which a machine without /work/shared/data lacks.
        train = write(self.folder, "train.jsonl", [{"id": "d#1", "tokens": TOKENS, "ner_tags": TAGS}] * 4,
                      manifest={"ner_labels": PROJECT_LABELS})
        dev = write(self.folder, "mine.jsonl", [{"tokens": TOKENS, "tags": TAGS}])
        ckpt, out = os.path.join(self.folder, "ckpt"), os.path.join(self.folder, "model")
        run = subprocess.run([sys.executable, os.path.join(HERE, "train.py"), "--train", train, "--dev", f"mine={dev}",
                              "--vocab-text-lines", "0", "--vocab-size", "200", "--min-char-count", "1",
                              "--hidden", "16", "--layers", "1", "--heads", "2", "--ffn", "32", "--max-pos", "64",
                              "--max-steps", "2", "--warmup", "1", "--ckpt-dir", ckpt, "--out", out,
                              "--no-node-check"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr[-2000:])
        with open(os.path.join(ckpt, "export_metrics.json"), encoding="utf-8") as f:
            metrics = json.load(f)["metrics"]
        self.assertEqual(sorted(k for k, v in metrics["torch_fp32"].items() if isinstance(v, dict) and "micro" in v), ["mine"])
        self.assertTrue(os.path.exists(os.path.join(out, "onnx", "model_quantized.onnx")))


if __name__ == "__main__":
    unittest.main()
