// The local NER model: tokenizer + ONNX token classifier through transformers.js, loaded once
// per process and lazily. Offline by default (models/<name>/); with NER_ALLOW_REMOTE=1 a Hub id
// loads through the same path. The model's identity in the database is `model:<name>@<revision>`,
// revision = first 12 hex digits of the SHA-256 of the ONNX file actually loaded.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AutoModelForTokenClassification, AutoTokenizer, env, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { detectPieceConventions, type PieceConventions } from '../../domain/ner/align';
import { detectTaggingScheme, parseLabelMap, type TaggingScheme } from '../../domain/ner/labels';
import type { Config } from '../config';
import { modelFolder, readModelStyles } from './registry';

export type NerDtype = 'fp32' | 'q8';

export interface NerModelSettings {
	/** Folder name under `modelsDir`, an absolute path, or (with allowRemote) a Hub id. */
	name: string;
	modelsDir: string;
	dtype: NerDtype;
	threads: number;
	allowRemote: boolean;
	labelMap: Record<string, string | null>;
	/** Upper bound on the window length in tokens (special tokens included); the model's own limit applies anyway. */
	maxLength?: number;
	/**
	 * Annotation style to follow, for a model trained on corpora with different conventions (its
	 * config.json lists them under guillemet.styles; the style is fed as the token type). Unset or
	 * empty: the model's default, its first style.
	 */
	style?: string;
}

export function nerSettingsFromConfig(config: Config, overrides: Partial<NerModelSettings> = {}): NerModelSettings {
	return {
		name: config.NER_MODEL,
		modelsDir: config.modelsDir,
		dtype: config.NER_DTYPE,
		threads: config.NER_THREADS,
		allowRemote: config.NER_ALLOW_REMOTE,
		labelMap: parseLabelMap(config.NER_LABEL_MAP),
		maxLength: config.NER_MAX_LENGTH,
		style: config.NER_STYLE || undefined,
		...overrides
	};
}

export interface ModelInputs {
	feeds: Record<string, Tensor>;
	batch: number;
	length: number;
}

export interface NerModel {
	readonly settings: NerModelSettings;
	/** Model id as stored: the settings' name (a folder name or a Hub id). */
	readonly id: string;
	readonly revision: string;
	/** Owner of its annotation sets: `model:<id>@<revision>`, plus `~<style>` for a style other than the default. */
	readonly owner: string;
	/** The annotation styles the model was trained with (empty for most models); the first is its default. */
	readonly styles: readonly string[];
	/** The style it follows: settings.style, else the first of `styles`; null for a model without styles. */
	readonly style: string | null;
	/** The ONNX file whose hash is the revision. */
	readonly file: string;
	readonly id2label: readonly string[];
	readonly scheme: TaggingScheme;
	readonly conventions: PieceConventions;
	/** Longest input in tokens, special tokens included. */
	readonly maxLength: number;
	/** Pieces of text a window can hold: maxLength minus the special tokens around them. */
	readonly windowBudget: number;
	/** Special tokens before the text in every window ([CLS], <s>). */
	readonly specialPrefixLength: number;
	/** Pieces and ids of one word, as the tokenizer cuts it on its own (cached). */
	tokenizeWord(word: string): WordPieces;
	/** Builds the model inputs for windows of piece ids (special tokens and padding added). */
	buildInputs(windows: readonly (readonly number[])[]): ModelInputs;
	/** Runs the ONNX session; logits are [batch, length, labels], row-major. */
	run(inputs: ModelInputs): Promise<Float32Array>;
	dispose(): Promise<void>;
}

export interface WordPieces {
	pieces: string[];
	ids: number[];
}

// RoBERTa-family models number positions from padding_idx + 1: two positions are not usable.
const POSITION_OFFSET_TYPES = new Set(['roberta', 'camembert', 'xlm-roberta', 'xlm_roberta', 'longformer', 'flaubert', 'mpnet']);
const WORD_CACHE_LIMIT = 100_000;

const loaded = new Map<string, Promise<NerModel>>();

/** The model for these settings, loaded on first use and shared by every caller in the process. */
export function getNerModel(settings: NerModelSettings): Promise<NerModel> {
	const key = JSON.stringify(settings);
	let model = loaded.get(key);
	if (!model) {
		model = loadNerModel(settings);
		loaded.set(key, model);
		model.catch(() => loaded.delete(key));
	}
	return model;
}

/** Frees every loaded model (tests, the end of a script). */
export async function disposeNerModels(): Promise<void> {
	const models = [...loaded.values()];
	loaded.clear();
	for (const model of models) await (await model.catch(() => null))?.dispose();
}

export async function loadNerModel(settings: NerModelSettings): Promise<NerModel> {
	env.allowRemoteModels = settings.allowRemote;
	env.allowLocalModels = true;
	env.localModelPath = settings.modelsDir.endsWith(path.sep) ? settings.modelsDir : settings.modelsDir + path.sep;
	const folder = modelFolder(settings.modelsDir, settings.name);
	if (!settings.allowRemote && !fs.existsSync(path.join(folder, 'config.json'))) {
		throw new Error(
			`NER model "${settings.name}" is not in ${settings.modelsDir} (expected ${path.join(folder, 'config.json')}); set NER_MODEL and MODELS_DIR, or NER_ALLOW_REMOTE=1 for a Hub id`
		);
	}
	const fileName = settings.dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx';
	// A local folder loads by absolute path (no dependence on the global localModelPath when
	// several folders are used in one process); only a Hub id goes by name.
	const source = fs.existsSync(path.join(folder, 'config.json')) ? folder : settings.name;
	const tokenizer = (await AutoTokenizer.from_pretrained(source)) as PreTrainedTokenizer;
	const model = (await AutoModelForTokenClassification.from_pretrained(source, {
		dtype: settings.dtype,
		device: 'cpu',
		session_options: { intraOpNumThreads: settings.threads, interOpNumThreads: 1 }
	})) as PreTrainedModel;
	const file = findLoadedFile(folder, settings.name, fileName);
	const revision = createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 12);
	const config = model.config as unknown as Record<string, unknown>;
	const id2label = readId2Label(config, settings.name);
	const conventions = detectPieceConventions(
		(tokenizer as unknown as { _tokenizerJSON: Record<string, unknown> })._tokenizerJSON,
		(tokenizer as unknown as { unk_token?: string | null }).unk_token ?? null
	);
	const { prefix, suffix } = specialTokensAround(tokenizer);
	const maxLength = modelMaxLength(config, tokenizer, settings.maxLength);
	const windowBudget = maxLength - prefix.length - suffix.length;
	if (windowBudget < 1) throw new Error(`NER model "${settings.name}" allows ${maxLength} tokens, too few for its ${prefix.length + suffix.length} special tokens`);
	const unkId = conventions.unkToken === null ? null : (tokenizer.convert_tokens_to_ids(conventions.unkToken) as number | null);
	const padId = (tokenizer as unknown as { pad_token_id?: number | null }).pad_token_id ?? 0;
	const session = (model as unknown as { sessions: Record<string, { inputNames: string[] }> }).sessions.model;
	const wantsTokenTypes = session.inputNames.includes('token_type_ids');
	const styles = readModelStyles(config, settings.name);
	const styleIndex = resolveStyle(styles, settings.style, settings.name);
	if (styleIndex > 0 && !wantsTokenTypes) throw new Error(`NER model "${settings.name}" lists styles but takes no token_type_ids`);
	const style = styles.length ? styles[styleIndex] : null;
	const labels = id2label.length;
	const cache = new Map<string, WordPieces>();

	return {
		settings,
		id: settings.name,
		revision,
		owner: `model:${settings.name}@${revision}${styleIndex > 0 ? `~${style}` : ''}`,
		styles,
		style,
		file,
		id2label,
		scheme: detectTaggingScheme(id2label),
		conventions,
		maxLength,
		windowBudget,
		specialPrefixLength: prefix.length,
		tokenizeWord(word) {
			let entry = cache.get(word);
			if (entry) return entry;
			let pieces = tokenizer.tokenize(word);
			// A word the tokenizer drops entirely (control characters) still gets a label: as unknown.
			if (pieces.length === 0 && conventions.unkToken !== null) pieces = [conventions.unkToken];
			const ids = tokenizer.convert_tokens_to_ids(pieces).map((id, i) => {
				if (id === null || id === undefined) {
					if (unkId === null) throw new Error(`piece "${pieces[i]}" of "${word}" has no id and the tokenizer has no unknown token`);
					return unkId;
				}
				return id as number;
			});
			entry = { pieces, ids };
			if (cache.size >= WORD_CACHE_LIMIT) cache.clear();
			cache.set(word, entry);
			return entry;
		},
		buildInputs(windows) {
			const batch = windows.length;
			const length = Math.max(...windows.map((w) => w.length)) + prefix.length + suffix.length;
			const ids = new BigInt64Array(batch * length).fill(BigInt(padId));
			const mask = new BigInt64Array(batch * length);
			windows.forEach((window, b) => {
				const row = [...prefix, ...window, ...suffix];
				if (row.length > maxLength) throw new Error(`a window of ${row.length} tokens exceeds the model's ${maxLength}`);
				for (let t = 0; t < row.length; t++) {
					ids[b * length + t] = BigInt(row[t]);
					mask[b * length + t] = 1n;
				}
			});
			const feeds: Record<string, Tensor> = {
				input_ids: new Tensor('int64', ids, [batch, length]),
				attention_mask: new Tensor('int64', mask, [batch, length])
			};
			if (wantsTokenTypes) feeds.token_type_ids = new Tensor('int64', new BigInt64Array(batch * length).fill(BigInt(styleIndex)), [batch, length]);
			return { feeds, batch, length };
		},
		async run(inputs) {
			const output = (await (model as unknown as (feeds: Record<string, Tensor>) => Promise<{ logits: Tensor }>)(inputs.feeds)).logits;
			const dims = output.dims;
			if (dims[0] !== inputs.batch || dims[1] !== inputs.length || dims[2] !== labels) {
				throw new Error(`NER model returned logits of shape [${dims.join(', ')}], expected [${inputs.batch}, ${inputs.length}, ${labels}]`);
			}
			return output.data as Float32Array;
		},
		async dispose() {
			await model.dispose();
		}
	};
}

/** Where the transformers.js loader read the ONNX file from: the local folder, else its cache. */
function findLoadedFile(folder: string, name: string, fileName: string): string {
	const local = path.join(folder, 'onnx', fileName);
	if (fs.existsSync(local)) return local;
	const cacheDir = env.cacheDir;
	if (cacheDir) {
		for (const candidate of [path.join(cacheDir, name, 'onnx', fileName), path.join(cacheDir, name, 'resolve', 'main', 'onnx', fileName)]) {
			if (fs.existsSync(candidate)) return candidate;
		}
	}
	throw new Error(`cannot find the ONNX file loaded for "${name}" (${fileName}) to compute its revision`);
}

/** Token-type id of the requested style (0, the default, when none is requested). */
function resolveStyle(styles: readonly string[], requested: string | undefined, name: string): number {
	if (!requested) return 0;
	const index = styles.indexOf(requested);
	if (index < 0) {
		throw new Error(
			styles.length
				? `NER model "${name}" has no style "${requested}"; its styles: ${styles.join(', ')} (NER_STYLE, --style)`
				: `NER model "${name}" has no annotation styles; unset NER_STYLE (or --style)`
		);
	}
	return index;
}

function readId2Label(config: Record<string, unknown>, name: string): string[] {
	const raw = config.id2label as Record<string, string> | undefined;
	if (!raw || typeof raw !== 'object') throw new Error(`NER model "${name}" has no id2label in its config.json`);
	const entries = Object.entries(raw).map(([id, label]) => [Number(id), label] as const);
	const labels: string[] = [];
	for (const [id, label] of entries) {
		if (!Number.isInteger(id) || id < 0) throw new Error(`NER model "${name}": id2label key "${id}" is not a label id`);
		labels[id] = label;
	}
	for (let i = 0; i < labels.length; i++) if (labels[i] === undefined) throw new Error(`NER model "${name}": id2label has no label ${i}`);
	return labels;
}

/** Ids the tokenizer puts before and after a single sequence ([CLS] … [SEP], <s> … </s>). */
function specialTokensAround(tokenizer: PreTrainedTokenizer): { prefix: number[]; suffix: number[] } {
	const probe = 'a';
	const bare = tokenizer.encode(probe, { add_special_tokens: false });
	const full = tokenizer.encode(probe, { add_special_tokens: true });
	for (let at = 0; at + bare.length <= full.length; at++) {
		if (bare.every((id, k) => full[at + k] === id)) return { prefix: full.slice(0, at), suffix: full.slice(at + bare.length) };
	}
	throw new Error('cannot find where the tokenizer puts its special tokens');
}

function modelMaxLength(config: Record<string, unknown>, tokenizer: PreTrainedTokenizer, cap?: number): number {
	const limits: number[] = [];
	const positions = config.max_position_embeddings;
	if (typeof positions === 'number' && positions > 0) {
		limits.push(positions - (POSITION_OFFSET_TYPES.has(String(config.model_type)) ? 2 : 0));
	}
	const fromTokenizer = tokenizer.model_max_length;
	if (Number.isFinite(fromTokenizer) && fromTokenizer > 0 && fromTokenizer < 1e7) limits.push(fromTokenizer);
	if (cap !== undefined) limits.push(cap);
	if (!limits.length) return 512;
	return Math.min(...limits);
}
