#!/usr/bin/python3
"""Export a checkpoint (best.pt) to a transformers.js model folder, quantize it, check it, write the card.

    /usr/bin/python3 scripts/train-ner-model/export.py --ckpt /work/ckpt/guillemet-ner-fr/best.pt \
        --out models/guillemet-ner-fr

Steps: ONNX fp32 (opset 17, dynamic batch/sequence) -> onnx/model.onnx; int8 dynamic quantisation with
python3-onnx + numpy -> onnx/model_quantized.onnx; config.json, tokenizer.json, tokenizer_config.json,
vocab.txt; then (unless --no-node-check) check_transformersjs.mjs loads both files in transformers.js,
compares logits with torch and predicts the dev sets; F1 (fp32 and q8) and SHA-256 go into README.md.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from model import LABELS, NerEncoder, count_params  # noqa: E402
from wordpiece import WordPiece, write_tokenizer_files  # noqa: E402

OPSET = 17


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


class Wrapper(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.m(input_ids, attention_mask, token_type_ids)


def load_model(ckpt_path):
    ck = torch.load(ckpt_path)
    return model_from_checkpoint(ck), ck


def model_from_checkpoint(ck):
    """the encoder of a checkpoint dict (best.pt), in eval mode; the masked-LM head may be absent."""
    cfg = ck["cfg"]
    m = NerEncoder(cfg["vocab_size"], cfg["hidden"], cfg["layers"], cfg["heads"], cfg["ffn"], cfg["max_pos"],
                   cfg["num_labels"], cfg["dropout"], cfg.get("styles", ()))
    missing, unexpected = m.load_state_dict(ck["model"], strict=False)
    assert not unexpected and all(k.startswith("mlm_") for k in missing), (missing, unexpected)
    m.eval()
    return m


def export_fp32(model, path):
    torch.manual_seed(0)
    ids = torch.tensor([[2, 10, 11, 12, 3], [2, 13, 14, 3, 0]], dtype=torch.long)
    att = (ids != 0).long()
    typ = torch.zeros_like(ids)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(Wrapper(model), (ids, att, typ), path, opset_version=OPSET,
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                                        "attention_mask": {0: "batch_size", 1: "sequence_length"},
                                        "token_type_ids": {0: "batch_size", 1: "sequence_length"},
                                        "logits": {0: "batch_size", 1: "sequence_length"}},
                          do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)


def quantize(src, dst, weight_bits=7, emb_min_rows=1000):
    """Dynamic int8 quantisation by graph rewriting.

    MatMul(X, W const) -> DynamicQuantizeLinear(X) -> MatMulInteger(Xq, Wq, Xzp) -> Cast -> Mul(Xs*Ws).
    W: int8, symmetric, per output column, |q| <= 2**(weight_bits-1)-1 (7 bits by default, so that the
    u8 x s8 products of AVX2 kernels cannot saturate int16). Large embedding tables (Gather on a constant
    with >= emb_min_rows rows) are stored int8 per row: Gather(int8) -> Cast -> Mul(Gather(row scales)).
    """
    m = onnx.load(src)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    # constants may also come as Constant nodes
    const_nodes = {}
    for n in g.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    const_nodes[n.output[0]] = (n, a.t)

    def get_const(name):
        if name in inits:
            return numpy_helper.to_array(inits[name])
        if name in const_nodes:
            return numpy_helper.to_array(const_nodes[name][1])
        return None

    qmax = 2 ** (weight_bits - 1) - 1
    new_nodes = []
    new_inits = []
    used_consts = set()
    nq = ne = 0
    for n in g.node:
        if n.op_type == "MatMul":
            w = get_const(n.input[1])
            if w is not None and w.ndim == 2 and w.dtype == np.float32:
                base = n.output[0].replace("/", "_").replace(":", "_") + f"_q{nq}"
                absmax = np.abs(w).max(axis=0)
                scale = np.where(absmax > 0, absmax / qmax, 1.0).astype(np.float32)
                wq = np.clip(np.round(w / scale), -qmax, qmax).astype(np.int8)
                new_inits += [numpy_helper.from_array(wq, base + "_W"),
                              numpy_helper.from_array(scale, base + "_Ws"),
                              numpy_helper.from_array(np.zeros(w.shape[1], np.int8), base + "_Wzp")]
                x = n.input[0]
                new_nodes += [
                    helper.make_node("DynamicQuantizeLinear", [x], [base + "_Xq", base + "_Xs", base + "_Xzp"],
                                     name=base + "_dql"),
                    helper.make_node("MatMulInteger", [base + "_Xq", base + "_W", base + "_Xzp", base + "_Wzp"],
                                     [base + "_i32"], name=base + "_mmi"),
                    helper.make_node("Cast", [base + "_i32"], [base + "_f"], to=TensorProto.FLOAT,
                                     name=base + "_cast"),
                    helper.make_node("Mul", [base + "_Xs", base + "_Ws"], [base + "_s"], name=base + "_smul"),
                    helper.make_node("Mul", [base + "_f", base + "_s"], [n.output[0]], name=base + "_mul"),
                ]
                used_consts.add(n.input[1])
                nq += 1
                continue
        if n.op_type == "Gather":
            w = get_const(n.input[0])
            if w is not None and w.ndim == 2 and w.dtype == np.float32 and w.shape[0] >= emb_min_rows:
                base = n.output[0].replace("/", "_").replace(":", "_") + f"_qe{ne}"
                absmax = np.abs(w).max(axis=1, keepdims=True)
                scale = np.where(absmax > 0, absmax / 127.0, 1.0).astype(np.float32)
                wq = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
                new_inits += [numpy_helper.from_array(wq, base + "_E"),
                              numpy_helper.from_array(scale, base + "_Es")]
                new_nodes += [
                    helper.make_node("Gather", [base + "_E", n.input[1]], [base + "_g"], name=base + "_gather"),
                    helper.make_node("Cast", [base + "_g"], [base + "_gf"], to=TensorProto.FLOAT,
                                     name=base + "_cast"),
                    helper.make_node("Gather", [base + "_Es", n.input[1]], [base + "_gs"],
                                     name=base + "_gscale"),
                    helper.make_node("Mul", [base + "_gf", base + "_gs"], [n.output[0]], name=base + "_mul"),
                ]
                used_consts.add(n.input[0])
                ne += 1
                continue
        new_nodes.append(n)
    # drop constants no longer referenced
    still = set()
    for n in new_nodes:
        still.update(n.input)
    still.update(o.name for o in g.output)
    keep_inits = [i for i in g.initializer if i.name in still] + new_inits
    final_nodes = [n for n in new_nodes
                   if not (n.op_type == "Constant" and n.output[0] in used_consts and n.output[0] not in still)]
    del g.node[:]
    g.node.extend(final_nodes)
    del g.initializer[:]
    g.initializer.extend(keep_inits)
    onnx.checker.check_model(m)
    onnx.save(m, dst)
    return nq, ne


def write_config(model, out_dir):
    c = model.cfg
    cfg = {
        "architectures": ["BertForTokenClassification"],
        "model_type": "bert",
        "vocab_size": c["vocab_size"],
        "hidden_size": c["hidden"],
        "num_hidden_layers": c["layers"],
        "num_attention_heads": c["heads"],
        "intermediate_size": c["ffn"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": c["dropout"],
        "attention_probs_dropout_prob": c["dropout"],
        "max_position_embeddings": c["max_pos"],
        "type_vocab_size": max(2, len(c.get("styles", ()))),
        "initializer_range": 0.02,
        "layer_norm_eps": 1e-6,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "num_labels": len(LABELS),
        "id2label": {str(i): l for i, l in enumerate(LABELS)},
        "label2id": {l: i for i, l in enumerate(LABELS)},
        "guillemet": {
            "note": "Trained from scratch by scripts/train-ner-model/train.py. Pre-LayerNorm transformer layers "
                    "(not weight-compatible with PyTorch BertModel); use the ONNX files. Label each word by its "
                    "FIRST word piece; tokenize words separately.",
            "pre_layer_norm": True,
            **({"styles": c["styles"],
                "styles_note": "annotation styles (corpus conventions): token_type_ids = the index of the "
                               "style to follow, the same for every token; index 0 is the default"}
               if c.get("styles") else {}),
        },
    }
    with open(os.path.join(out_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2, ensure_ascii=False)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def run_node_check(out_dir, model, wp, dev_specs, log=log):
    """Run check_transformersjs.mjs: loads fp32 and q8, returns its JSON (logits of samples, dev preds)."""
    from train import read_jsonl, style_id
    samples = [
        ["Emmanuel", "Macron", "a", "reçu", "le", "secrétaire", "général", "de", "l’", "Otan", "à", "Paris", "."],
        ["Le", "Monde", "et", "Ouest-France", "ont", "publié", "l'", "entretien", "avec", "Jean-Luc",
         "Mélenchon", "(", "LFI", ")", "le", "12", "mars", "2024", "."],
        ["Selon", "l’", "Insee", ",", "la", "Bretagne", "compte", "3\u00a0340\u00a0000", "habitants", "."],
    ]
    with tempfile.TemporaryDirectory() as td:
        inp = os.path.join(td, "in.json")
        outp = os.path.join(td, "out.json")
        devs = {}
        for d in dev_specs:
            name, path = d.split("=", 1)
            devs[name] = [t for t, _ in read_jsonl(path)]
        with open(inp, "w", encoding="utf-8") as f:
            styles = model.cfg.get("styles", ())
            json.dump({"model_dir": os.path.abspath(out_dir), "samples": samples, "devs": devs,
                       "styles": {name: style_id(styles, name) for name in devs}}, f, ensure_ascii=False)
        cmd = ["node", os.path.join(HERE, "check_transformersjs.mjs"), inp, outp]
        log("node check:", " ".join(cmd))
        r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"node check failed:\n{r.stdout}\n{r.stderr}")
        log(r.stdout.strip()[-2000:])
        with open(outp, encoding="utf-8") as f:
            res = json.load(f)
    # compare logits with torch on the same ids
    cmp = {}
    for dtype in ("fp32", "q8"):
        diffs = []
        for s, node_s in zip(samples, res[dtype]["samples"]):
            ids = torch.tensor([node_s["input_ids"]], dtype=torch.long)
            # ids must be what our own tokenizer produces
            mine = [wp.ids["[CLS]"]] + [i for w in s for i in wp.encode_word(w)] + [wp.ids["[SEP]"]]
            assert mine == node_s["input_ids"], ("tokenizer mismatch", s, mine, node_s["input_ids"])
            with torch.no_grad():
                lt = model(ids, torch.ones_like(ids), torch.zeros_like(ids))[0].numpy()
            ln = np.array(node_s["logits"], dtype=np.float32).reshape(lt.shape)
            diffs.append(float(np.abs(lt - ln).max()))
        cmp[dtype] = max(diffs)
    res["max_abs_logit_diff_vs_torch"] = cmp
    log(f"max |logit diff| vs torch: fp32 {cmp['fp32']:.2e}, q8 {cmp['q8']:.2e}")
    if cmp["fp32"] > 1e-4:
        raise RuntimeError(f"fp32 ONNX logits differ from torch by {cmp['fp32']}")
    return res


def export_all(ckpt_path, out_dir, node_check=True, command=None, wall_seconds=None, log=log,
               dev_specs=None):
    from train import DEFAULT_DEV, L2I, LABELS, constrained_labels, f1_report, read_jsonl, evaluate
    dev_specs = dev_specs or DEFAULT_DEV
    torch.manual_seed(0)
    model, ck = load_model(ckpt_path)
    vocab = ck["vocab"]
    wp = WordPiece(vocab)
    os.makedirs(os.path.join(out_dir, "onnx"), exist_ok=True)
    fp32 = os.path.join(out_dir, "onnx", "model.onnx")
    q8 = os.path.join(out_dir, "onnx", "model_quantized.onnx")
    export_fp32(model, fp32)
    nq, ne = quantize(fp32, q8)
    log(f"exported {fp32}; quantized {nq} MatMuls and {ne} embedding Gathers -> {q8}")
    write_config(model, out_dir)
    write_tokenizer_files(vocab, out_dir, model.cfg["max_pos"])
    metrics = {"torch_fp32": None, "onnx": {}}
    gold = {}
    for d in dev_specs:
        name, path = d.split("=", 1)
        gold[name] = read_jsonl(path)
    metrics["torch_fp32"] = evaluate(model, wp, gold, model.cfg.get("styles", ()))
    log("torch fp32 dev: " + " ".join(f"{n}={metrics['torch_fp32'][n]['micro']['f1']:.4f}" for n in gold))
    if node_check:
        res = run_node_check(out_dir, model, wp, dev_specs, log=log)
        metrics["max_abs_logit_diff_vs_torch"] = res["max_abs_logit_diff_vs_torch"]
        metrics["node_words_per_s"] = {k: res[k].get("words_per_s") for k in ("fp32", "q8")}
        o_row = np.log(np.eye(len(LABELS))[L2I["O"]] + 1e-30)  # a word with no piece is O
        for dtype in ("fp32", "q8"):
            metrics["onnx"][dtype] = {}
            for name, data in gold.items():
                # per word log-probabilities from transformers.js, decoded like PyTorch's
                preds = [[LABELS[k] for k in constrained_labels(np.array([o_row if r is None else r for r in sent]))]
                         for sent in res[dtype]["preds"][name]]
                metrics["onnx"][dtype][name] = f1_report([g for _, g in data], preds)
            log(f"transformers.js {dtype} dev: " + " ".join(
                f"{n}={metrics['onnx'][dtype][n]['micro']['f1']:.4f}" for n in gold))
    # the whole run's evaluation curve and phase times live in last.pt (best.pt stops at the best step)
    full_history, phase_times = ck.get("history", []), {}
    last_path = os.path.join(os.path.dirname(os.path.abspath(ckpt_path)), "last.pt")
    if os.path.exists(last_path):
        last = torch.load(last_path)
        full_history = last.get("history") or full_history
        phase_times = {k: last.get(k) for k in ("ner_budget_s", "ner_used_s", "mlm_used_s")}
        ner_used = phase_times.get("ner_used_s")
        if full_history and ner_used:
            # runs before `ner_minutes` was logged: the last evaluation closes the NER phase
            ner_start = full_history[-1]["time"] - ner_used
            for h in full_history:
                h.setdefault("ner_minutes", max(0.0, (h["time"] - ner_start) / 60))
    info = {
        "full_history": full_history,
        "averaged_from": ck.get("averaged_from"),
        **phase_times,
        "params": count_params(model),
        "cfg": model.cfg,
        "step": ck.get("step"),
        "train_args": ck.get("args"),
        "history": ck.get("history", []),
        "tokens_done": ck.get("tokens_done"),
        "train_seconds": ck.get("train_seconds"),
        "command": command,
        "wall_seconds": wall_seconds,
    }
    with open(os.path.join(os.path.dirname(os.path.abspath(ckpt_path)), "export_metrics.json"), "w") as f:
        json.dump({"metrics": metrics, "info": info}, f, indent=1, default=str)
    import card
    card.write_card(out_dir, metrics, info)
    log(f"model card written: {os.path.join(out_dir, 'README.md')}")
    return metrics


def main():
    ap = argparse.ArgumentParser(description="Export a Guillemet NER checkpoint to ONNX (fp32 + q8) + card.")
    ap.add_argument("--ckpt", default="/work/ckpt/guillemet-ner-fr/best.pt")
    ap.add_argument("--out", default=os.path.join(REPO, "models", "guillemet-ner-fr"))
    ap.add_argument("--no-node-check", action="store_true")
    ap.add_argument("--command", default=None, help="training command to record in the card")
    ap.add_argument("--wall-seconds", type=float, default=None, help="training wall time to record")
    a = ap.parse_args()
    torch.set_num_threads(1)
    export_all(a.ckpt, a.out, node_check=not a.no_node_check, command=a.command, wall_seconds=a.wall_seconds)


if __name__ == "__main__":
    main()
