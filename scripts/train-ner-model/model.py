"""Small BERT-style encoder for token classification (pre-LayerNorm transformer layers).

Inputs/outputs follow BertForTokenClassification (input_ids, attention_mask, token_type_ids -> logits)
so the ONNX export loads in transformers.js as model_type "bert".
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
L2I = {l: i for i, l in enumerate(LABELS)}


class Layer(nn.Module):
    def __init__(self, h, heads, ffn, dropout):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(h, eps=1e-6)
        self.qkv = nn.Linear(h, 3 * h)
        self.out = nn.Linear(h, h)
        self.ln2 = nn.LayerNorm(h, eps=1e-6)
        self.ff1 = nn.Linear(h, ffn)
        self.ff2 = nn.Linear(ffn, h)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        b, t, h = x.shape
        nh = self.heads
        y = self.ln1(x)
        q, k, v = self.qkv(y).split(h, dim=-1)
        q = q.reshape(b, t, nh, h // nh).transpose(1, 2)
        k = k.reshape(b, t, nh, h // nh).transpose(1, 2)
        v = v.reshape(b, t, nh, h // nh).transpose(1, 2)
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(h // nh)) + bias
        att = self.drop(torch.softmax(att, dim=-1))
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, t, h)
        x = x + self.drop(self.out(y))
        y = self.ff2(self.drop(F.gelu(self.ff1(self.ln2(x)))))
        return x + self.drop(y)


class NerEncoder(nn.Module):
    def __init__(self, vocab_size, hidden=256, layers=4, heads=4, ffn=1024, max_pos=512,
                 num_labels=len(LABELS), dropout=0.1, styles=()):
        super().__init__()
        self.cfg = dict(vocab_size=vocab_size, hidden=hidden, layers=layers, heads=heads, ffn=ffn,
                        max_pos=max_pos, num_labels=num_labels, dropout=dropout)
        if styles:
            # annotation styles (corpus conventions) are token types: styles[i] is token type i
            self.cfg["styles"] = list(styles)
        self.word = nn.Embedding(vocab_size, hidden)
        self.pos = nn.Embedding(max_pos, hidden)
        self.typ = nn.Embedding(max(2, len(styles)), hidden)
        self.ln_emb = nn.LayerNorm(hidden, eps=1e-6)
        self.drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList([Layer(hidden, heads, ffn, dropout) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(hidden, eps=1e-6)
        self.cls = nn.Linear(hidden, num_labels)
        # MLM head (training only, not exported); decoder tied to the word embeddings
        self.mlm_dense = nn.Linear(hidden, hidden)
        self.mlm_ln = nn.LayerNorm(hidden, eps=1e-6)
        self.mlm_bias = nn.Parameter(torch.zeros(vocab_size))
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def encode(self, input_ids, attention_mask, token_type_ids):
        t = input_ids.shape[1]
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0)
        x = self.word(input_ids) + self.pos(pos) + self.typ(token_type_ids)
        x = self.drop(self.ln_emb(x))
        bias = (1.0 - attention_mask.to(x.dtype)).unsqueeze(1).unsqueeze(2) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        return self.ln_f(x)

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.cls(self.encode(input_ids, attention_mask, token_type_ids))

    def mlm_logits(self, h):
        h = self.mlm_ln(F.gelu(self.mlm_dense(h)))
        return F.linear(h, self.word.weight, self.mlm_bias)


def count_params(model: NerEncoder, exported_only=True) -> int:
    n = 0
    for name, p in model.named_parameters():
        if exported_only and name.startswith("mlm_"):
            continue
        n += p.numel()
    return n
