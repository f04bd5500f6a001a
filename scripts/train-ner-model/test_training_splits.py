"""Which files train.py refuses to train on: evaluation splits, named by the export manifest beside
the file when it lists the file, else by the file name.
/usr/bin/python3 -m unittest discover -s scripts/train-ner-model -p 'test_*.py'"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from train import split_of, training_refusal  # noqa: E402

SENTENCE = {"tokens": ["Paris", "."], "ner_tags": ["B-LOC", "O"]}


class TrainingSplitsTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()

    def file(self, name):
        path = os.path.join(self.folder, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(SENTENCE) + "\n")
        return path

    def manifest(self, name, files, split=True):
        with open(os.path.join(self.folder, name), "w", encoding="utf-8") as f:
            json.dump({"schema": "guillemet.corpus-manifest/1", "split_rule": "bucket = …" if split else None,
                       "splits": {part: {"file": file, "ratio": 0.5} for part, file in files.items()}}, f)

    def test_evaluation_splits_are_refused_whatever_they_are_called(self):
        for name in ("dev.jsonl.gz", "valid.jsonl", "validation.jsonl", "heldout.jsonl", "Holdout.jsonl",
                     "sequoia_valid.jsonl", "default-bio-heldout.jsonl"):
            with self.subTest(name=name):
                self.assertRegex(training_refusal(self.file(name), [], allow_test_split=True) or "",
                                 r"^refusing to train on a \w+ split \(kept for evaluation\): ")
        self.assertIsNone(training_refusal(self.file("train.jsonl"), [], allow_test_split=False))
        self.assertIsNone(training_refusal(self.file("heldout-notes-train.jsonl"), [], allow_test_split=False))

    def test_a_test_split_needs_allow_test_split(self):
        test = self.file("test.jsonl.gz")
        self.assertEqual(training_refusal(test, [], allow_test_split=False),
                         f"refusing to train on a test split without --allow-test-split: {test}")
        self.assertIsNone(training_refusal(test, [], allow_test_split=True))

    def test_a_dev_set_of_the_run_is_refused_whatever_its_name(self):
        mine = self.file("mine.jsonl")
        self.assertEqual(training_refusal(mine, [mine], allow_test_split=True), f"refusing to train on a dev set of this run: {mine}")

    def test_the_manifest_names_the_split_the_file_name_cannot(self):
        # A downloaded split export: `<project>-<format>-<split>.jsonl` beside `<project>-<format>-manifest.json`.
        self.manifest("default-bio-manifest.json", {"train": "default-bio-train.jsonl", "held-out": "default-bio-held-out.jsonl"})
        held_out = self.file("default-bio-held-out.jsonl")
        self.assertEqual(split_of(held_out), "held-out")
        self.assertEqual(training_refusal(held_out, [], allow_test_split=True),
                         f"refusing to train on a held-out split (kept for evaluation): {held_out}")
        self.assertEqual(split_of(self.file("default-bio-train.jsonl")), "train")
        # A file the manifest lists under its split whatever it was saved as.
        other = tempfile.mkdtemp()
        self.folder = other
        self.manifest("manifest.json", {"train": "part-1.jsonl", "validation": "part-2.jsonl"})
        self.assertIsNotNone(training_refusal(self.file("part-2.jsonl"), [], allow_test_split=True))
        self.assertIsNone(training_refusal(self.file("part-1.jsonl"), [], allow_test_split=True))

    def test_an_export_without_splits_saved_as_dev_is_still_read_as_dev(self):
        self.manifest("dev.manifest.json", {"corpus": "dev.jsonl"}, split=False)
        self.assertEqual(split_of(self.file("dev.jsonl")), "dev")

    def test_the_command_refuses_a_validation_file_before_any_work(self):
        valid = self.file("validation.jsonl")
        run = subprocess.run([sys.executable, os.path.join(HERE, "train.py"), "--train", f"{valid}@ocr:1:2", "--dev",
                              f"mine={self.file('mine.jsonl')}", "--ckpt-dir", os.path.join(self.folder, "ckpt")],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 1)
        self.assertEqual(run.stderr.strip(), f"refusing to train on a validation split (kept for evaluation): {valid}")
        self.assertFalse(os.path.exists(os.path.join(self.folder, "ckpt")), "a refused run creates no checkpoint folder")


if __name__ == "__main__":
    unittest.main()
