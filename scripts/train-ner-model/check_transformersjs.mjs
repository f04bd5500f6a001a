// Loads the exported model in transformers.js 4.3.2 (fp32 and q8), runs sample sentences and dev sets.
// Usage: node scripts/train-ner-model/check_transformersjs.mjs in.json out.json
//   in.json: {model_dir: <abs path>, samples: [[word,...],...], devs: {name: [[word,...],...]},
//             styles?: {name: token type id}} (a dev set is read in its annotation style, default 0)
//   out.json: {fp32|q8: {samples: [{input_ids, logits}], preds: {name: [[logprobs | null,...]]}, words_per_s}}
// Words are tokenized one by one (tokenizer.tokenize(word)); each word is labelled by its first piece,
// as the app does (preds: the log-softmax of that piece's logits, decoded by export.py). One intra-op thread.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, AutoModelForTokenClassification, env, Tensor } from '@huggingface/transformers';

const [inPath, outPath] = process.argv.slice(2);
const input = JSON.parse(readFileSync(inPath, 'utf8'));
const modelDir = path.resolve(input.model_dir);
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.dirname(modelDir) + '/';
const id = path.basename(modelDir);

const tokenizer = await AutoTokenizer.from_pretrained(id);
const vocab = tokenizer.get_vocab();
const CLS = vocab.get('[CLS]');
const SEP = vocab.get('[SEP]');
const MAXP = 510;

const pieceCache = new Map();
function pieces(word) {
	let r = pieceCache.get(word);
	if (!r) {
		r = tokenizer.tokenize(word).map((t) => vocab.get(t));
		pieceCache.set(word, r);
	}
	return r;
}

function chunks(sents) {
	const items = [];
	sents.forEach((words, si) => {
		let ids = [];
		let firsts = [];
		let pushed = false;
		words.forEach((w, wi) => {
			const p = pieces(w);
			if (p.length === 0) return;
			if (ids.length + p.length > MAXP && ids.length) {
				items.push({ si, firsts, ids });
				pushed = true;
				ids = [];
				firsts = [];
			}
			firsts.push([wi, ids.length]);
			ids.push(...p.slice(0, MAXP));
		});
		if (ids.length || !pushed) items.push({ si, firsts, ids });
	});
	return items;
}

async function run(model, batch, style = 0) {
	const T = Math.max(...batch.map((b) => b.ids.length)) + 2;
	const B = batch.length;
	const ids = new BigInt64Array(B * T);
	const att = new BigInt64Array(B * T);
	const typ = new BigInt64Array(B * T);
	batch.forEach((b, i) => {
		ids[i * T] = BigInt(CLS);
		b.ids.forEach((x, j) => (ids[i * T + 1 + j] = BigInt(x)));
		ids[i * T + 1 + b.ids.length] = BigInt(SEP);
		for (let j = 0; j < b.ids.length + 2; j++) att[i * T + j] = 1n;
		for (let j = 0; j < T; j++) typ[i * T + j] = BigInt(style);
	});
	const out = await model({
		input_ids: new Tensor('int64', ids, [B, T]),
		attention_mask: new Tensor('int64', att, [B, T]),
		token_type_ids: new Tensor('int64', typ, [B, T])
	});
	return { logits: out.logits.data, T, L: out.logits.dims[2] };
}

const result = {};
for (const dtype of ['fp32', 'q8']) {
	const model = await AutoModelForTokenClassification.from_pretrained(id, {
		dtype,
		session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 }
	});
	pieceCache.clear();
	const r = { samples: [], preds: {} };
	for (const words of input.samples) {
		const [item] = chunks([words]);
		const { logits } = await run(model, [item]);
		r.samples.push({ input_ids: [CLS, ...item.ids, SEP], logits: Array.from(logits) });
	}
	let nWords = 0;
	let secs = 0;
	for (const [name, sents] of Object.entries(input.devs)) {
		const t0 = performance.now();
		const items = chunks(sents);
		// Per word, the log-softmax of its first piece's logits (null for a word with no piece):
		// export.py decodes them exactly as it decodes PyTorch's (constrained BIO, train.py).
		const preds = sents.map((s) => s.map(() => null));
		const order = items.map((_, i) => i).sort((a, b) => items[a].ids.length - items[b].ids.length);
		let b = 0;
		while (b < order.length) {
			let e = b + 1;
			while (e < order.length && (items[order[e]].ids.length + 2) * (e - b + 1) <= 4096 && e - b < 64) e++;
			const batch = order.slice(b, e).map((i) => items[i]);
			const { logits, T, L } = await run(model, batch, input.styles?.[name] ?? 0);
			batch.forEach((it, i) => {
				for (const [wi, pos] of it.firsts) {
					const row = Array.from(logits.subarray((i * T + pos + 1) * L, (i * T + pos + 2) * L));
					const max = Math.max(...row);
					const logSum = max + Math.log(row.reduce((sum, v) => sum + Math.exp(v - max), 0));
					preds[it.si][wi] = row.map((v) => Math.round((v - logSum) * 1e4) / 1e4);
				}
			});
			b = e;
		}
		secs += (performance.now() - t0) / 1000;
		nWords += sents.reduce((a, s) => a + s.length, 0);
		r.preds[name] = preds;
	}
	r.words_per_s = nWords / secs;
	console.log(`${dtype}: loaded; ${nWords} dev words in ${secs.toFixed(1)} s = ${r.words_per_s.toFixed(0)} words/s (1 thread)`);
	result[dtype] = r;
	await model.dispose?.();
}
writeFileSync(outPath, JSON.stringify(result));
