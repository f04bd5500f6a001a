"""Rebuild training weights from an exported model folder (config.json, vocab.txt, onnx/model.onnx).

The shipped model carries no PyTorch checkpoint (it would not fit the repository's size budget), so
continuing training from it (`train.py --init-from-model models/<name>`, used by
`npm run model:train -- --from-corpus`) reads the fp32 ONNX graph back: named initializers are the
parameters themselves; each linear layer's weight is the anonymous constant input of the MatMul node
whose output is named after the module (`/m/layers.0/qkv/MatMul_output_0`), stored transposed.
"""
from __future__ import annotations

import json
import os

import numpy as np
import onnx
from onnx import numpy_helper

from wordpiece import load_vocab


def read_model_folder(model_dir: str):
    """Returns (state_dict of numpy arrays keyed like NerEncoder's, vocab, dims)."""
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    if not config.get("guillemet", {}).get("pre_layer_norm"):
        raise SystemExit(f"{model_dir}: not a model exported by scripts/train-ner-model (config.guillemet.pre_layer_norm missing)")
    vocab = load_vocab(os.path.join(model_dir, "vocab.txt"))
    graph = onnx.load(os.path.join(model_dir, "onnx", "model.onnx")).graph
    constants = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    state = {}
    for name, array in constants.items():
        if name.startswith("m."):
            state[name[2:]] = array.copy()
    for node in graph.node:
        if node.op_type != "MatMul":
            continue
        weight = next((i for i in node.input if i in constants and not i.startswith("m.")), None)
        if weight is None:
            continue
        module = node.output[0].rsplit("/", 1)[0].strip("/")  # "m/layers.0/qkv"
        if not module.startswith("m/"):
            continue
        state[module[2:].replace("/", ".") + ".weight"] = constants[weight].T.copy()
    dims = dict(vocab_size=config["vocab_size"], hidden=config["hidden_size"], layers=config["num_hidden_layers"],
                heads=config["num_attention_heads"], ffn=config["intermediate_size"],
                max_pos=config["max_position_embeddings"])
    styles = (config.get("guillemet") or {}).get("styles")
    if styles:
        dims["styles"] = list(styles)
    if len(vocab) != dims["vocab_size"]:
        raise SystemExit(f"{model_dir}: vocab.txt has {len(vocab)} entries, config.json says {dims['vocab_size']}")
    return state, vocab, dims


def load_into(model, state) -> None:
    """Copies the arrays into a NerEncoder; every exported parameter must be found."""
    import torch

    tensors = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [k for k in missing if not k.startswith("mlm_")]
    if missing or unexpected:
        raise SystemExit(f"ONNX weights do not fit the model: missing {missing}, unexpected {unexpected}")
