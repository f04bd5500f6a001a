#!/usr/bin/python3
"""Write models/guillemet-ner-fr/README.md (model card) from export metrics; checksums of every file.

Regenerate after any change to the folder:
    /usr/bin/python3 scripts/train-ner-model/card.py \
        --metrics /work/ckpt/guillemet-ner-fr/export_metrics.json --out models/guillemet-ner-fr
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os

TYPES = ["PER", "LOC", "ORG", "MISC", "micro"]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def files_of(out_dir):
    out = []
    for root, _, files in os.walk(out_dir):
        for f in files:
            p = os.path.join(root, f)
            rel = os.path.relpath(p, out_dir)
            if rel == "README.md":
                continue
            out.append(rel)
    return sorted(out)


def score_table(rep_by_dev, title):
    lines = [f"**{title}** (exact-match span P / R / F1, support = gold entities)", "",
             "| dev set | " + " | ".join(TYPES) + " |", "|---|" + "---|" * len(TYPES)]
    for dev, rep in rep_by_dev.items():
        if not isinstance(rep, dict) or "micro" not in rep:
            continue
        cells = []
        for t in TYPES:
            r = rep[t]
            cells.append(f"{r['p']:.3f} / {r['r']:.3f} / **{r['f1']:.3f}** ({r['support']})")
        lines.append(f"| {dev} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def dev_name(path):
    """`.../ner-fr-wikineural/dev.jsonl.gz` -> `wikineural`."""
    folder = os.path.basename(os.path.dirname(path))
    return folder[len("ner-fr-"):] if folder.startswith("ner-fr-") else folder


def app_eval_section(app_evals):
    """Scores from `npm run ner:eval -- --json` (the app's own path: its word units, windows, span
    decoding constrained to valid BIO sequences): one table per dtype, exact match per label."""
    L = ["### With Guillemet's evaluation command (`npm run ner:eval`)\n",
         "The app's own pre-annotation path on the dev text rebuilt with offsets (its word units, sentence "
         "windows of `NER_MAX_LENGTH` pieces, the best valid BIO label sequence per text), exact match on character spans. "
         "Command: `npm run ner:eval -- --data <dev.jsonl.gz> --dtype <q8|fp32> --person-titles <convention> [--style <name>] --threads 1 --json`. "
         "Person titles follow each dev set's guideline, as a project's setting makes them in the app: `exclude` "
         "(`M. [Lavrov]`: WikiNEuRal, Sequoia, Guillemet's default) or `include` (`[M. Lavrov]`: NewsEye); "
         "`model` rows are the model's own spans with no title rule. For a model with annotation styles, "
         "the row says which style the dev set was read in (`--style`).\n"]
    by_dtype = {}
    for ev in app_evals:
        by_dtype.setdefault(ev["dtype"], []).append(ev)
    labels = ["PER", "LOC", "ORG", "MISC"]
    for dtype in sorted(by_dtype, key=lambda d: d != "q8"):
        L.append(f"**{dtype}** (exact P / R / F1; micro relaxed F1 = overlap with the same label)\n")
        L.append("| dev set (" + ("style, " if any(e.get("style") for e in by_dtype[dtype]) else "")
                 + "person titles) | " + " | ".join(labels) + " | micro exact | micro relaxed | words/s |")
        L.append("|---|" + "---|" * (len(labels) + 3))
        for ev in by_dtype[dtype]:
            ex = ev["exact"]
            cells = []
            for t in labels:
                r = ex["perLabel"].get(t)
                cells.append("n/a" if r is None else
                             f"{r['precision']:.3f} / {r['recall']:.3f} / **{r['f1']:.3f}** ({r['support']})")
            m = ex["micro"]
            wps = ev["words"] / ev["seconds"] if ev.get("seconds") else 0
            titles = ev.get("personTitles") or "model"
            style = f"style {ev['style']}, " if ev.get("style") else ""
            L.append(f"| {dev_name(ev['data'])} ({style}{titles}) | " + " | ".join(cells)
                     + f" | {m['precision']:.3f} / {m['recall']:.3f} / **{m['f1']:.3f}** "
                     + f"| {ev['relaxed']['micro']['f1']:.3f} | {wps:,.0f} |")
        L.append("")
    return L


def run_summary(label, d):
    """one row of the pretraining comparison from a run's export_metrics.json."""
    info, metrics = d["info"], d["metrics"]
    ta = info.get("train_args") or {}
    mlm = ta.get("mlm_minutes") or 0
    mlm_txt = (f"{mlm:.0f} min on {len(ta.get('mlm_text') or [])} text files"
               + (" + NER train words" if ta.get("mlm_include_train") else "")) if mlm else "none"
    if not mlm and ta.get("init_from"):
        mlm_txt = f"warm start from `{ta['init_from']}`"
    ner_min = (info.get("ner_budget_s") or 0) / 60
    ner_txt = f"{ner_min:.0f} min, best at step {info.get('step')}"
    if info.get("averaged_from"):
        mlm_txt = "as its parts"
        ner_txt = "weight average of " + " and ".join(f"`{r['path']}`" for r in info["averaged_from"])
    cells = []
    for src in ("torch_fp32", "q8"):
        rep = metrics["torch_fp32"] if src == "torch_fp32" else (metrics.get("onnx") or {}).get("q8") or {}
        for dev in ("wikineural", "sequoia", "newseye"):
            try:
                cells.append(f"{rep[dev]['micro']['f1']:.3f}")
            except (KeyError, TypeError):
                cells.append("n/a")
    return (f"| {label} | {mlm_txt} | {ner_txt} | "
            + " | ".join(cells) + " |")


def comparison_section(compare, note=""):
    """The table of compared runs; `note`: the markdown that says how they were run and differ."""
    L = ["## Masked-LM pretraining: measured\n"]
    if note:
        L.append(note.strip() + "\n")
    L += [
         "| run | masked-LM pretraining | NER training | torch wikineural | torch sequoia | torch newseye "
         "| q8 wikineural | q8 sequoia | q8 newseye |",
         "|---|---|---|---|---|---|---|---|---|"]
    for label, d in compare:
        L.append(run_summary(label, d))
    L.append("")
    L.append("Dev F1 (torch) at each checkpoint evaluation, by minutes of NER training:\n")
    L.append("| run | " + " | ".join(["NER min → wikineural / sequoia / newseye"]) + " |")
    L.append("|---|---|")
    for label, d in compare:
        hist = d["info"].get("full_history") or d["info"].get("history") or []
        if not hist:
            continue
        pts = [f"{h.get('ner_minutes', h['time'] / 60):.0f} → {h.get('wikineural', 0):.3f} / "
               f"{h.get('sequoia', 0):.3f} / {h.get('newseye', 0):.3f}" for h in hist]
        L.append(f"| {label} | " + "; ".join(pts) + " |")
    L.append("")
    return L


def write_card(out_dir, metrics, info, app_evals=(), compare=(), compare_note="", pretraining=""):
    cfg = info["cfg"]
    files = files_of(out_dir)
    sizes = {f: os.path.getsize(os.path.join(out_dir, f)) for f in files}
    total = sum(sizes.values())
    ta = info.get("train_args") or {}
    hist = info.get("history") or []
    tok_s = (info["tokens_done"] / info["train_seconds"]) if info.get("train_seconds") else None
    wall = info.get("wall_seconds")
    onnx = metrics.get("onnx") or {}

    def mf(rep, dev):
        try:
            return f"{rep[dev]['micro']['f1']:.3f}"
        except (KeyError, TypeError):
            return "n/a"

    devs = [d for d in (metrics.get("torch_fp32") or {}) if isinstance(metrics["torch_fp32"][d], dict)
            and "micro" in metrics["torch_fp32"][d]]
    summary = ["| dev set | torch fp32 | transformers.js fp32 | transformers.js q8 |", "|---|---|---|---|"]
    for d in devs:
        summary.append(f"| {d} | {mf(metrics['torch_fp32'], d)} | {mf(onnx.get('fp32'), d)} | "
                       f"{mf(onnx.get('q8'), d)} |")

    L = []
    L.append("# guillemet-ner-fr — Guillemet's small French NER model\n")
    L.append("A small BERT-style encoder trained **from scratch** on a 2-core CPU for French named-entity "
             "recognition (PER, LOC, ORG, MISC; BIO tags), used by Guillemet to pre-annotate news articles. "
             + ("It was first pretrained as a masked language model on open unlabeled French text, then "
                "fine-tuned for NER; no external pretrained weights are used. "
                if (ta.get("mlm_minutes") or ta.get("mlm_pretrain_steps") or info.get("averaged_from") or pretraining)
                else "")
             + 
             "It is exported to ONNX for transformers.js 4.3.2 (`model_type: \"bert\"`, "
             "`BertForTokenClassification`), in fp32 (`onnx/model.onnx`) and int8 dynamic quantisation "
             "(`onnx/model_quantized.onnx`, `dtype: 'q8'`).\n")
    L.append("> **Licence / non-commercial.** The weights were trained on WikiNEuRal (CC BY-NC-SA 4.0). Treat "
             "this model as **non-commercial**: you may use it, share it and build on it for non-commercial "
             "purposes, with attribution, and share derived models under the same terms; you may **not** use "
             "it (or annotations it produces as a commercial product) commercially without the rights "
             "holders' permission. To get a model free of that restriction, retrain without WikiNEuRal (see "
             "*Retraining* below): the other sets are CC BY 4.0 (NewsEye), LGPL-LR (Sequoia) and CC0 "
             "(Europeana).\n")
    L.append("## Usage (transformers.js)\n")
    L.append("```js\nimport { AutoTokenizer, AutoModelForTokenClassification, env } from '@huggingface/transformers';\n"
             "env.allowRemoteModels = false;\nenv.localModelPath = '/abs/path/to/models/';\n"
             "const tokenizer = await AutoTokenizer.from_pretrained('guillemet-ner-fr');\n"
             "const model = await AutoModelForTokenClassification.from_pretrained('guillemet-ner-fr', { dtype: 'q8' });\n"
             "```\n")
    L.append("Split the text into words first (punctuation apart, French elision `l’Otan` -> `l’` + `Otan`), "
             "tokenize **each word separately** with `tokenizer.tokenize(word)`, build `[CLS] pieces… [SEP]` "
             "(at most 512 positions), run the model and read each word's label probabilities from its "
             "**first** word piece. A word that becomes `[UNK]` is one piece. That is exactly how the model was "
             "trained. Then take the most probable label sequence BIO allows (Viterbi: an `I-X` only after "
             "`B-X` or `I-X`), as Guillemet does (`src/lib/domain/ner/decode.ts`); a plain argmax per word "
             "also works but scores 1 to 3.5 points lower (measured with `npm run ner:eval -- --decoding argmax`). "
             "Guillemet also joins two entities of one label that touch (`M. Paul` + `Deschanel`): the model "
             "sometimes restarts a long name with `B-`, while two distinct entities of one type are separated "
             "in running text (`npm run ner:eval -- --touching split` measures without it). "
             "It leaves separating punctuation out of an entity's edges (`Larqué ,` gives `Larqué`, unless the "
             "entity opened the mark: `Parti (socialiste)`), which the model sometimes runs onto, and emoji "
             "too (`Macron 😀` gives `Macron`: an emoji is one `[UNK]` piece, labelled like the word before it). "
             "The training data disagree on person titles (NewsEye puts `M.` inside the span, WikiNEuRal and "
             "Sequoia leave it out) and so does the model: Guillemet then applies the project's convention to "
             "its spans (`src/lib/domain/ner/person-titles.ts`).\n")
    if cfg.get("styles"):
        st = cfg["styles"]
        L.append("**Annotation styles.** The training corpora follow different guidelines (NewsEye puts a "
                 "person's title and function in the span and tags few things in stock listings, WikiNEuRal "
                 "keeps the bare name, Europeana tags no MISC), so the model learnt each corpus's conventions "
                 "as a *style*, given as the token type: `token_type_ids` = the style's index for every "
                 "token (" + ", ".join(f"{i} `{n}`" for i, n in enumerate(st)) + "; `config.json` "
                 "`guillemet.styles`). transformers.js feeds zeros by default, i.e. the first style, "
                 f"`{st[0]}`. Guillemet follows `NER_STYLE` (default: the first); `npm run ner:eval -- "
                 "--style NAME` measures one. Each dev set below is read in its own corpus's style.\n")
    L.append("## Scores\n")
    L.append("Exact-match entity micro-F1 (conlleval/seqeval-style spans; each sentence decoded to its best "
             "valid BIO sequence) on "
             "the dev splits, which were never used for training. `torch fp32` is the training-time "
             "evaluation in Python; the transformers.js columns come from "
             "`scripts/train-ner-model/check_transformersjs.mjs` (real tokenizer + onnxruntime-node, 1 thread).\n")
    L.extend(summary)
    L.append("")
    if metrics.get("max_abs_logit_diff_vs_torch"):
        d = metrics["max_abs_logit_diff_vs_torch"]
        L.append(f"Max |logit difference| vs PyTorch on sample sentences: fp32 {d['fp32']:.1e}, q8 {d['q8']:.1e}.")
    if metrics.get("node_words_per_s"):
        w = metrics["node_words_per_s"]
        L.append(f"Throughput in transformers.js, 1 intra-op thread, dev sets incl. tokenization "
                 f"(batched by length): fp32 ≈ {w['fp32']:.0f} words/s, q8 ≈ {w['q8']:.0f} words/s.\n")
    L.append("### Per label\n")
    if onnx.get("fp32"):
        L.append(score_table(onnx["fp32"], "transformers.js fp32"))
        L.append("")
    if onnx.get("q8"):
        L.append(score_table(onnx["q8"], "transformers.js q8"))
        L.append("")
    L.append(score_table(metrics["torch_fp32"], "PyTorch fp32 (training-time evaluation)"))
    L.append("")
    if app_evals:
        L.extend(app_eval_section(app_evals))
    if hist:
        L.append("### Dev F1 during training (torch fp32, checkpoint evaluations)\n")
        L.append("| step | epoch | minutes | " + " | ".join(devs) + " | mean |")
        L.append("|---|---|---|" + "---|" * (len(devs) + 1))
        keep = hist if len(hist) <= 14 else hist[:: max(1, len(hist) // 12)] + [hist[-1]]
        seen = set()
        for h in keep:
            if h["step"] in seen:
                continue
            seen.add(h["step"])
            L.append(f"| {h['step']} | {h['epoch']} | {h['time'] / 60:.0f} | "
                     + " | ".join(f"{h.get(d, 0):.3f}" for d in devs) + f" | {h['mean']:.3f} |")
        L.append("")
    if compare:
        L.extend(comparison_section(compare, compare_note))
    L.append("## Architecture\n")
    L.append(f"- Encoder: {cfg['layers']} transformer layers (pre-LayerNorm), hidden {cfg['hidden']}, "
             f"{cfg['heads']} heads, feed-forward {cfg['ffn']}, GELU, learned absolute positions "
             f"(max {cfg['max_pos']}), "
             + (f"token-type embeddings: one per annotation style ({', '.join(cfg['styles'])}), "
                if cfg.get("styles") else "token-type embeddings (2), ")
             + "linear token-classification head over 9 labels "
             "`O B-PER I-PER B-LOC I-LOC B-ORG I-ORG B-MISC I-MISC`.")
    L.append(f"- Parameters: **{info['params']:,}** (exported graph).")
    L.append(f"- Vocabulary: {cfg['vocab_size']:,} cased WordPiece tokens (accents kept, `##` continuation, "
             "`[PAD] [UNK] [CLS] [SEP] [MASK]`), learnt by our own code (BPE-style merges, "
             "`scripts/train-ner-model/wordpiece.py`) from the training sentences + 100k sentences of "
             "`text-fr/an-debats`; `’` (U+2019) is in it. `tokenizer.json`: WordPiece model, BertNormalizer "
             "(lowercase false, strip_accents false, clean_text, handle_chinese_chars), BertPreTokenizer, "
             "`[CLS] $A [SEP]` template.")
    L.append("- Not weight-compatible with PyTorch `BertModel` (pre-LN layers): the ONNX files are the "
             "deliverable; `config.json` carries the BERT-style fields transformers.js needs.")
    L.append("- q8: every MatMul with a constant weight is rewritten to `DynamicQuantizeLinear -> MatMulInteger "
             "-> Cast -> Mul` (int8 weights, per output column, 7-bit range so AVX2 u8×s8 kernels cannot "
             "saturate); the word-embedding table is stored int8 per row (`Gather -> Cast -> Mul` by the "
             "row scale). Position/type embeddings, LayerNorms and biases stay fp32.\n")
    L.append("## Files\n")
    L.append("| file | bytes |")
    L.append("|---|---|")
    for f in files:
        L.append(f"| `{f}` | {sizes[f]:,} |")
    L.append(f"| **total (without this README)** | **{total:,}** ({total / 1e6:.1f} MB) |\n")
    L.append("## Training data\n")
    L.append("| set | split used | sentences | annotation | licence |")
    L.append("|---|---|---|---|---|")
    L.append("| WikiNEuRal fr (Tedeschi et al. 2021) | train (our split of the original val+test) | 23,278 | silver | CC BY-NC-SA 4.0 (non-commercial) |")
    L.append("| NewsEye fr via HIPE-2022 (Hamdi et al. 2021) | train | 3,590 | manual, OCR text | CC BY 4.0 |")
    if any("ner-fr-sequoia/test." in s for s in (ta.get("train") or []) + (ta.get("extra_train") or [])):
        # Its README invites merging the test split into training when it is not used for evaluation.
        L.append("| Sequoia 9.2 + PARSEME-FR NE (Candito & Seddah 2012) | train + test (the test split is merged "
                 "into training, as the corpus README invites; scores are on its dev split) | 2,231 + 456 "
                 "| manual (gold) | LGPL-LR |")
    else:
        L.append("| Sequoia 9.2 + PARSEME-FR NE (Candito & Seddah 2012) | train | 2,231 | manual (gold) | LGPL-LR |")
    if any("europeana" in s for s in (ta.get("train") or [])):
        L.append("| Europeana Newspapers fr (Neudecker 2016) | train, down-weighted, no MISC (partial-label loss)"
                 + ("; titles `M.`/`Mme`/`MM.` before a PER moved into the span (NewsEye convention)"
                    if any("@titles" in s for s in ta.get("train") or []) else "")
                 + " | 7,732 | noisy, OCR | CC0 |")
    if ta.get("extra_train"):
        L.append(f"| extra (Guillemet exports) | {', '.join(ta['extra_train'])} | | | |")
    if ta.get("mlm_minutes") or ta.get("mlm_pretrain_steps"):
        amount = (f"{ta['mlm_minutes']:.0f} minutes" if ta.get("mlm_minutes")
                  else f"{ta['mlm_pretrain_steps']} steps")
        names = ", ".join(f"`text-fr/{os.path.basename(os.path.dirname(t))}`" for t in ta.get("mlm_text") or [])
        L.append(f"| {names} (masked-LM pretraining only, {amount}; {ta.get('mlm_lines'):,} random lines of each"
                 + ("; plus the words of the NER training sentences above" if ta.get("mlm_include_train") else "")
                 + ") | | | unlabeled | CC0 / public domain |")
    elif pretraining:
        L.append(f"| {pretraining.strip()} | | | unlabeled | CC0 / public domain |")
    L.append("")
    L.append("Dev sets: WikiNEuRal dev (2,000 sentences), Sequoia dev (412), NewsEye dev (682); never trained on. "
             "Augmentation: in each epoch, each token containing `'` is rewritten with `’` with probability "
             f"{ta.get('apos_p', 0.5)}, so both apostrophes are seen."
             + (" Files flagged `@mentions` have each entity replaced, with probability "
                f"{ta.get('mention_p', 0.3)}, by another mention of its label from the same file; files flagged "
                f"`@ocr` get OCR-like noise (a letter confused, dropped or doubled in {ta.get('ocr_word_p', 0.04):.0%} "
                "of words, accents lost on capitals, now and then a line in capitals); redrawn every epoch "
                "(`scripts/train-ner-model/augment.py`)."
                if any("@mentions" in spec or "@ocr" in spec for spec in (ta.get("train") or [])) else "")
             + "\n")
    L.append("## Training\n")
    if info.get("command"):
        cmd = info["command"]
        if cmd.startswith("scripts/"):
            cmd = "/usr/bin/python3 " + cmd
        L.append(f"Command (run from the repository root):\n\n```\n{cmd}\n```\n")
    L.append(f"- Train spec: `{ta.get('train')}`; extra: `{ta.get('extra_train')}`.")
    if ta.get("init_from"):
        L.append(f"- Warm start: weights and vocabulary of `{ta['init_from']}`, with a fresh optimizer.")
    elif ta.get("vocab"):
        L.append(f"- Vocabulary: `{ta['vocab']}` (the one learnt by the first shipped run); weights from scratch.")
    L.append(f"- AdamW (β 0.9/0.98, weight decay {ta.get('weight_decay')}), peak LR {ta.get('lr')}, "
             f"{ta.get('warmup')} warm-up steps then {ta.get('schedule')} decay; length-bucketed batches of "
             f"≤ {ta.get('batch_tokens')} padded tokens, chunks ≤ {ta.get('max_len')} pieces; dropout "
             f"{ta.get('dropout')}; seed {ta.get('seed')}; {ta.get('threads', 1)} thread(s).")
    if info.get("averaged_from"):
        runs = info["averaged_from"]
        def part(r):
            setup = ""
            if r.get("seed") is not None:
                setup = f"seed {r['seed']}" + (f", train `{' '.join(r['train'])}`" if r.get("train") else "") + "; "
            return (f"`{r['path']}` step {r['step']} ({setup}"
                    + ", ".join(f"{n} {f:.3f}" for n, f in r["eval"].items()) + ")")
        L.append(f"- Weights: the element-wise **average of {len(runs)} checkpoints** fine-tuned from the same "
                 "masked-LM checkpoint (`scripts/train-ner-model/average.py`): "
                 + "; ".join(part(r) for r in runs)
                 + ". The command above is the first of them; the " + ("second" if len(runs) == 2 else "others")
                 + " and the averaging are in `scripts/train-ner-model/README.md` (*The shipped model*).")
    else:
        L.append(f"- Best checkpoint (by mean micro-F1 over the three dev sets): step {info.get('step')}.")
    if tok_s:
        L.append(f"- Throughput: {tok_s:,.0f} word-piece tokens/s (incl. [CLS]/[SEP]), "
                 f"{info['tokens_done']:,} tokens in {info['train_seconds'] / 60:.0f} training minutes.")
    if wall:
        L.append(f"- Wall time of the run (incl. vocabulary, evaluations, export): {wall / 60:.0f} min.")
    L.append("")
    L.append("## Retraining\n")
    L.append("See `scripts/train-ner-model/README.md`. Without WikiNEuRal (commercially usable result):\n")
    L.append("```\n/usr/bin/python3 scripts/train-ner-model/train.py \\\n"
             "  --train /work/shared/data/ner-fr-newseye/train.jsonl.gz:1:2 /work/shared/data/ner-fr-sequoia/train.jsonl.gz:1:3 \\\n"
             "          '/work/shared/data/ner-fr-europeana/train.jsonl.gz@nomisc:0.3' \\\n"
             "  --extra-train guillemet-bio-export.jsonl.gz --time-budget-minutes 90 --out models/guillemet-ner-fr\n```\n")
    L.append("Annotators' corrections: export the corpus from Guillemet in the `bio` flavour "
             "(`{\"tokens\": [...], \"ner_tags\": [...]}` per line) and pass it with `--extra-train file:weight:repeat`.\n")
    L.append("## Known weaknesses\n")
    L.append("- Small model trained from scratch on ~30k sentences: it misses rare entities and gets boundaries "
             "wrong more often than a pretrained transformer; MISC is the weakest label.")
    L.append("- Annotation conventions differ between the training sets (NewsEye PER includes titles such as "
             "`M.`; WikiNEuRal excludes them; Sequoia ORG/LOC may include a leading common noun), so spans "
             "around titles and common nouns are inconsistent.")
    L.append("- WikiNEuRal is silver (automatic) annotation; historical OCR data (NewsEye, Europeana) is noisy.")
    L.append("- NewsEye is the hardest dev set, below Guillemet's target of 0.70 for it. For scale: in the "
             "HIPE-2022 shared task the best system on NewsEye French (coarse literal labels, strict "
             "match, micro-F1) scored 0.656, and the organisers' baseline, XLM-RoBERTa base (about 50 "
             "times this model's parameters) fine-tuned on NewsEye's full training file, 0.654 "
             "(`hipe-eval/HIPE-2022-eval`, `HIPE_2022_evaluation_results.md`; `hipe-eval/HIPE-2022-baseline`). "
             "That training file could not be obtained for this project, and those scores are on HIPE's "
             "test split (part of this model's training data here), not on the dev split above: the "
             "figures are not directly comparable, but they place 0.70 above what published systems "
             "reach on this corpus.")
    L.append("- Context: trained on sentence-length chunks, it now and then leaves out a mention inside a long "
             "multi-sentence window that it finds in the sentence alone (the model shipped before this one "
             "missed one of the three `M. Lavrov` of Guillemet's sample article, in a 96-word window; this one "
             "finds all three).")
    L.append("- Words are labelled by their first piece only; the later pieces of a long word do not vote.")
    L.append("- Sentences longer than 510 word pieces must be split by the caller.\n")
    L.append("## Citations\n")
    L.append("Tedeschi et al. 2021 (WikiNEuRal, Findings of EMNLP); Hamdi et al. 2021 (NewsEye, SIGIR) and "
             "Ehrmann et al. 2022 (HIPE-2022); Candito & Seddah 2012 (Sequoia, TALN), Candito et al. 2014; "
             "Neudecker 2016 (Europeana Newspapers NER, LREC).\n")
    L.append("## SHA-256\n")
    L.append("Checksums of every file in this folder except this README:\n")
    L.append("```")
    for f in files:
        L.append(f"{sha256(os.path.join(out_dir, f))}  {f}")
    L.append("```")
    with open(os.path.join(out_dir, "README.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(L) + "\n")


def main():
    ap = argparse.ArgumentParser(description="Rewrite the model card (scores from export_metrics.json, checksums).")
    ap.add_argument("--metrics", default="/work/ckpt/guillemet-ner-fr/export_metrics.json")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                  "models", "guillemet-ner-fr"))
    ap.add_argument("--app-eval", nargs="*", default=[],
                    help="JSON outputs of `npm run ner:eval -- --json` to report (one per dev set and dtype)")
    ap.add_argument("--compare", nargs="*", default=[],
                    help="label=export_metrics.json of runs to compare (masked-LM pretraining with/without)")
    ap.add_argument("--pretraining", default=None,
                    help="file with one line for the training-data table: the masked-LM text and time, for a "
                         "model fine-tuned from a masked-LM checkpoint (--init-from) rather than pretrained in its own run")
    ap.add_argument("--compare-note", default=None,
                    help="markdown file: how the compared runs were made and how they differ (printed above the table)")
    a = ap.parse_args()
    with open(a.metrics) as f:
        d = json.load(f)
    app_evals = []
    for p in a.app_eval:
        with open(p) as f:
            app_evals.append(json.load(f))
    compare = []
    for c in a.compare:
        if "=" not in c:
            ap.error(f"--compare {c!r}: expected label=path/to/export_metrics.json")
        label, p = c.split("=", 1)
        with open(p) as f:
            compare.append((label, json.load(f)))
    pretraining = ""
    if a.pretraining:
        with open(a.pretraining, encoding="utf-8") as f:
            pretraining = " ".join(f.read().split())
    note = ""
    if a.compare_note:
        with open(a.compare_note, encoding="utf-8") as f:
            note = f.read()
    write_card(a.out, d["metrics"], d["info"], app_evals, compare, note, pretraining)
    print("wrote", os.path.join(a.out, "README.md"))


if __name__ == "__main__":
    main()
