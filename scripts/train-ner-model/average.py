#!/usr/bin/python3
"""Average the weights of fine-tuned checkpoints that share one initialisation (a "model soup").

Two NER runs started from the same masked-LM checkpoint (different seeds, so a different data order
and dropout) usually land in one basin of the loss, and the mean of their weights is often better
than either. This writes the averaged checkpoint and its dev scores; export it like any best.pt:

    /usr/bin/python3 scripts/train-ner-model/average.py --ckpt /work/ckpt/mlm/best.pt /work/ckpt/mlm2/best.pt \
        --out /work/ckpt/soup/best.pt
    /usr/bin/python3 scripts/train-ner-model/export.py --ckpt /work/ckpt/soup/best.pt --out models/guillemet-ner-fr

Refuses checkpoints with different vocabularies or shapes: averaging them would be meaningless.
"""
from __future__ import annotations

import argparse
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export import model_from_checkpoint  # noqa: E402
from train import DEFAULT_DEV, evaluate, fmt_eval, read_jsonl, save_atomic  # noqa: E402
from wordpiece import WordPiece  # noqa: E402


def read_checkpoint(path):
    """A best.pt, or a run's last.pt (its final weights, whatever the last evaluation said): the
    latter's masked-LM head is dropped, as export drops it, and its architecture is checked by shape."""
    ck = torch.load(path)
    if "cfg" not in ck:
        ck = dict(ck)
        ck["model"] = {k: v for k, v in ck["model"].items() if not k.startswith("mlm_")}
    return ck


def main():
    ap = argparse.ArgumentParser(description="Average NER checkpoints that share one initialisation.")
    ap.add_argument("--ckpt", nargs="+", required=True, help="best.pt (or last.pt: a run's final weights) files to average (two or more)")
    ap.add_argument("--out", required=True, help="averaged checkpoint to write (e.g. /work/ckpt/soup/best.pt)")
    ap.add_argument("--dev", nargs="*", default=DEFAULT_DEV, help="name=path dev sets to score the result on")
    a = ap.parse_args()
    if len(a.ckpt) < 2:
        sys.exit("--ckpt: give at least two checkpoints")
    torch.set_num_threads(1)
    cks = [read_checkpoint(p) for p in a.ckpt]
    first = cks[0]
    template = next((ck for ck in cks if "cfg" in ck), None)
    if template is None:
        sys.exit("--ckpt: give at least one best.pt (a last.pt does not record the architecture)")
    for p, ck in zip(a.ckpt, cks):
        if ck["vocab"] != first["vocab"]:
            sys.exit(f"{p}: vocabulary differs from {a.ckpt[0]}")
        if "cfg" in ck and ck["cfg"] != template["cfg"]:
            sys.exit(f"{p}: architecture differs: {ck['cfg']} vs {template['cfg']}")
        if set(ck["model"]) != set(template["model"]) or any(ck["model"][k].shape != template["model"][k].shape for k in ck["model"]):
            sys.exit(f"{p}: weight names or shapes differ from {a.ckpt[0]}")
    averaged = {k: sum(ck["model"][k].float() for ck in cks) / len(cks) for k in first["model"]}
    out = dict(template)
    out["step"] = first.get("step")
    out["model"] = averaged
    out["history"] = []  # each run's curve stays with its own checkpoints; this one was never trained
    devs = {}
    for d in a.dev:
        name, path = d.split("=", 1)
        devs[name] = read_jsonl(path)
    wp = WordPiece(first["vocab"])
    # each part scored again here, so parts and average are measured alike (the score stored in a
    # checkpoint is whatever its training run's evaluation was then)
    out["averaged_from"] = [{"path": p, "step": ck.get("step"), "seed": (ck.get("args") or {}).get("seed"),
                             "train": (ck.get("args") or {}).get("train"), "eval": {
        n: r["micro"]["f1"] for n, r in evaluate(model_from_checkpoint({**template, "model": ck["model"]}), wp, devs, template["cfg"].get("styles", ())).items()
        if isinstance(r, dict) and "micro" in r}} for p, ck in zip(a.ckpt, cks)]
    model = model_from_checkpoint(out)
    res = evaluate(model, wp, devs, model.cfg.get("styles", ()))
    out["eval"] = res
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    save_atomic(out, a.out)
    for entry in out["averaged_from"]:
        print(f"{entry['path']} (step {entry['step']}): "
              + " ".join(f"{n}={f:.4f}" for n, f in entry["eval"].items()))
    print(f"average of {len(cks)}: {fmt_eval(res)} -> {a.out}")


if __name__ == "__main__":
    main()
