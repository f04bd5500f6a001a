// Text -> entity suggestions with the local model, exact to the character. The one path that
// pre-annotation, evaluation and the benchmark all take:
//   splitSentences (words, sentence starts) -> tokenizer pieces per word -> windows within the
//   model's length -> ONNX logits -> first piece of each word from its best window -> the best
//   label sequence the tagging scheme allows -> spans -> touching spans of one label joined -> the
//   project's convention for person titles.
import { OffsetIndex } from '../../domain/offsets';
import { splitSentences, type Token } from '../../domain/tokens';
import { alignPiecesToWord, type PieceRange } from '../../domain/ner/align';
import { groupWordsIntoUnits, wordsToUnits } from '../../domain/ner/units';
import { chooseWindowPerWord, planWindows, splitAtSpaces, type WindowPlan } from '../../domain/ner/windows';
import { decodeEntitySpans, decodeWordLabels, joinTouchingSpans, logSoftmaxRow, type EntitySpan, type WordPrediction } from '../../domain/ner/decode';
import type { LabelResolver } from '../../domain/ner/labels';
import { applyPersonTitleConvention, type PersonTitleConvention } from '../../domain/ner/person-titles';
import type { NerModel } from './model';

export interface AnnotateOptions {
	resolver: LabelResolver;
	/** Windows per ONNX run (padded to the longest). */
	batchSize?: number;
	/** Pieces of context repeated between consecutive windows. */
	overlap?: number;
	/** Also align every piece to the text (tests, debugging); labelling needs only words. */
	withPieceOffsets?: boolean;
	/**
	 * `constrained` (default): the most probable label sequence the tagging scheme allows.
	 * `argmax`: each word's own best label, invalid sequences left to the span decoder (for comparison).
	 */
	decoding?: 'constrained' | 'argmax';
	/**
	 * `join` (default): entities of one label that touch become one (see joinTouchingSpans); not for
	 * IOB1 models, whose B- label exists only to mark that boundary. `split`: as decoded (for comparison).
	 */
	touching?: 'join' | 'split';
	/**
	 * Whether person spans carry their titles (`M. Lavrov` or `Lavrov`; see domain/ner/person-titles.ts).
	 * Unset: the spans as the model decoded them.
	 */
	personTitles?: PersonTitleConvention;
	/** The project's person label, when it is not `PER` (renamed); none: no person spans to adjust. */
	personLabel?: string;
	/** Called with each batch's inference time in ms (the benchmark's "bare session" figure). */
	onInference?: (milliseconds: number, inputs: { batch: number; length: number }) => void;
}

export interface TextAnnotation {
	/**
	 * The units labelled: the tokeniser's words, with hyphenated compounds and a split elision
	 * glued back (see domain/ner/units.ts). Every word of the text is in exactly one unit.
	 */
	words: Token[];
	predictions: WordPrediction[];
	/** Index of the window each word's prediction was taken from. */
	windowOfWord: Int32Array;
	windows: WindowPlan[];
	spans: EntitySpan[];
	pieceCount: number;
	/** Per word, its pieces and their code-point ranges (only with `withPieceOffsets`). */
	pieces?: { pieces: string[]; ranges: PieceRange[] }[];
}

/**
 * Windows per inference run. One by default: the q8 model quantises its activations per run, over
 * the whole batch, so with several windows a document's suggestions would depend on the windows
 * it happens to share a run with (measured: Sequoia dev F1 moves by up to 0.6 point between batch
 * sizes). With one window per run the same text always gets the same suggestions, and on one thread
 * it is as fast (`npm run bench:ner -- --batch-size 1|8`: 11,967 and 11,935 words/s).
 */
export const DEFAULT_BATCH_SIZE = 1;

const HAS_SPACE = /\s/;

export function defaultOverlap(budget: number): number {
	return Math.min(48, Math.floor(budget / 4));
}

interface PreparedText {
	words: Token[];
	ids: number[][];
	windows: WindowPlan[];
	windowOfWord: Int32Array;
	pieceCount: number;
	pieces?: { pieces: string[]; ranges: PieceRange[] }[];
}

interface WindowJob {
	text: number;
	window: number;
	ids: number[];
	/** Position of each of the window's words' first piece inside `ids`. */
	firstPiece: number[];
}

/** Annotates several texts, batching their windows together (same results as one at a time). */
export async function annotateTexts(model: NerModel, texts: readonly string[], options: AnnotateOptions): Promise<TextAnnotation[]> {
	const budget = model.windowBudget;
	const overlap = options.overlap ?? defaultOverlap(budget);
	const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
	const labels = model.id2label.length;
	const prepared = texts.map((text) => prepareText(model, text, budget, overlap, options.withPieceOffsets ?? false));
	// Per text, the log-probabilities of each word's labels (words × labels) from its chosen window,
	// and which words have theirs yet.
	const scores = prepared.map((text) => new Float32Array(text.words.length * labels));
	const scored = prepared.map((text) => new Uint8Array(text.words.length));

	const jobs = prepared.flatMap((text, t) => windowJobs(text, t, budget));
	// Similar lengths together: less padding. Results go back by (text, window), so order is free.
	const order = jobs.map((_, i) => i).sort((a, b) => jobs[a].ids.length - jobs[b].ids.length);
	for (let from = 0; from < order.length; from += batchSize) {
		const batch = order.slice(from, from + batchSize).map((i) => jobs[i]);
		const inputs = model.buildInputs(batch.map((job) => job.ids));
		const started = performance.now();
		const logits = await model.run(inputs);
		options.onInference?.(performance.now() - started, inputs);
		// Windows are left-aligned after the special tokens, padding on the right.
		const prefix = model.specialPrefixLength;
		batch.forEach((job, b) => {
			const text = prepared[job.text];
			const window = text.windows[job.window];
			for (let k = 0; k < job.firstPiece.length; k++) {
				const word = window.start + k;
				if (text.windowOfWord[word] !== job.window) continue;
				const position = prefix + job.firstPiece[k];
				logSoftmaxRow(logits, (b * inputs.length + position) * labels, labels, scores[job.text], word * labels);
				scored[job.text][word] = 1;
			}
		});
	}
	return prepared.map((text, t) => {
		for (let i = 0; i < text.words.length; i++) {
			if (!scored[t][i]) throw new Error(`word ${i} ("${text.words[i].text}") got no prediction`);
		}
		const predictions = decodeWordLabels(scores[t], labels, options.resolver, options.decoding !== 'argmax');
		const decoded = decodeEntitySpans(text.words, predictions, options.resolver);
		const spans = options.touching !== 'split' && options.resolver.scheme !== 'iob1' ? joinTouchingSpans(decoded, predictions) : decoded;
		return {
			words: text.words,
			predictions,
			windowOfWord: text.windowOfWord,
			windows: text.windows,
			spans: options.personTitles ? applyPersonTitleConvention(text.words, spans, options.personTitles, options.personLabel) : spans,
			pieceCount: text.pieceCount,
			pieces: text.pieces
		};
	});
}

function windowJobs(text: PreparedText, textIndex: number, budget: number): WindowJob[] {
	return text.windows.map((window, w) => {
		const ids: number[] = [];
		const firstPiece: number[] = [];
		for (let i = window.start; i < window.end; i++) {
			firstPiece.push(ids.length);
			const wordIds = text.ids[i];
			// A word longer than a window keeps its first pieces; its label comes from the first.
			const room = budget - ids.length;
			for (let k = 0; k < wordIds.length && k < room; k++) ids.push(wordIds[k]);
		}
		return { text: textIndex, window: w, ids, firstPiece };
	});
}

/** The piece ids of each window annotateText would run for `text` (the benchmark's bare-session input). */
export function planTextWindows(model: NerModel, text: string, overlap?: number): number[][] {
	const budget = model.windowBudget;
	return windowJobs(prepareText(model, text, budget, overlap ?? defaultOverlap(budget), false), 0, budget).map((job) => job.ids);
}

export async function annotateText(model: NerModel, text: string, options: AnnotateOptions): Promise<TextAnnotation> {
	return (await annotateTexts(model, [text], options))[0];
}

function prepareText(model: NerModel, text: string, budget: number, overlap: number, withPieceOffsets: boolean): PreparedText {
	const index = new OffsetIndex(text);
	const tokens: Token[] = [];
	const tokenStartsSentence: boolean[] = [];
	for (const sentence of splitSentences(text, index)) {
		let first = true;
		for (const token of sentence.tokens) {
			if (!HAS_SPACE.test(token.text)) {
				tokenStartsSentence.push(first);
				tokens.push(token);
				first = false;
				continue;
			}
			for (const word of splitAtSpaces(token)) {
				tokenStartsSentence.push(first);
				tokens.push(word);
				first = false;
			}
		}
	}
	// The model labels units: words, with compounds glued as its training data tokenised them.
	const groups = groupWordsIntoUnits(tokens);
	const words = wordsToUnits(tokens, groups);
	const sentenceStarts = groups.map((group) => tokenStartsSentence[group.start]);
	const ids: number[][] = [];
	const counts: number[] = [];
	const pieces: { pieces: string[]; ranges: PieceRange[] }[] | undefined = withPieceOffsets ? [] : undefined;
	let pieceCount = 0;
	for (const word of words) {
		const tokenized = model.tokenizeWord(word.text);
		ids.push(tokenized.ids);
		counts.push(tokenized.ids.length);
		pieceCount += tokenized.ids.length;
		if (pieces) {
			const ranges = alignPiecesToWord(word.text, tokenized.pieces, model.conventions).map((r) => ({ start: word.start + r.start, end: word.start + r.end }));
			pieces.push({ pieces: tokenized.pieces, ranges });
		}
	}
	const windows = words.length ? planWindows(counts, sentenceStarts, budget, overlap) : [];
	const windowOfWord = words.length ? chooseWindowPerWord(windows, counts, budget) : new Int32Array(0);
	return { words, ids, windows, windowOfWord, pieceCount, pieces };
}
