// Word-level predictions -> entity spans. Spans are made of whole words (a span never starts
// or ends inside a word), never begin or end with an elided article (`l’Otan` gives `Otan`), and
// carry the mean probability of their words as score.
import type { Token } from '../tokens';
import type { LabelResolver, ResolvedLabel } from './labels';

export interface WordPrediction {
	/** Id of the predicted label (argmax of the word's first piece). */
	labelId: number;
	/** Its softmax probability. */
	probability: number;
}

export interface EntitySpan {
	/** Code-point offsets, end exclusive. */
	start: number;
	end: number;
	label: string;
	score: number;
	/** Word indexes, end exclusive. */
	firstWord: number;
	lastWord: number;
}

interface Run {
	first: number;
	last: number;
	type: string;
}

/** Elided articles, pronouns and conjunctions (`l’`, `d'`, `qu’`, `jusqu’`): never part of an entity's edge. */
const ELIDED_WORD = /^(?:[lLdDjJmMnNsStTcC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu|[Qq]uoiqu|[Pp]resqu)['’]$/u;

export function isElidedWord(text: string): boolean {
	return ELIDED_WORD.test(text);
}

/**
 * Decodes one sequence of words (a document, in order). BIO and IOB1: B starts an entity, I
 * continues one of the same type and otherwise starts one. BILOU: U is a one-word entity, L ends
 * the open entity of its type (or is one word on its own). Plain labels: a run of words with the
 * same label is one entity.
 */
export function decodeEntitySpans(words: readonly Token[], predictions: readonly WordPrediction[], resolver: LabelResolver): EntitySpan[] {
	if (words.length !== predictions.length) {
		throw new Error(`decodeEntitySpans got ${words.length} words but ${predictions.length} predictions`);
	}
	const runs: Run[] = [];
	let open: Run | null = null;
	for (let i = 0; i < words.length; i++) {
		const label: ResolvedLabel = resolver.resolve(predictions[i].labelId);
		if (label.type === null) {
			if (open) runs.push(open);
			open = null;
			continue;
		}
		const continues: boolean = open !== null && open.type === label.type;
		if (label.prefix === 'B' || label.prefix === 'U' || !continues) {
			if (open) runs.push(open);
			open = { first: i, last: i + 1, type: label.type };
		} else if (open) {
			// I, L or a plain label continuing the open entity of the same type.
			open.last = i + 1;
		}
		if (label.prefix === 'U' || label.prefix === 'L') {
			runs.push(open as Run);
			open = null;
		}
	}
	if (open) runs.push(open);
	const spans: EntitySpan[] = [];
	for (const run of runs) {
		let { first, last } = run;
		while (first < last && isElidedWord(words[first].text)) first++;
		while (last > first && isElidedWord(words[last - 1].text)) last--;
		if (first === last) continue;
		let sum = 0;
		for (let i = first; i < last; i++) sum += predictions[i].probability;
		spans.push({
			start: words[first].start,
			end: words[last - 1].end,
			label: run.type,
			score: sum / (last - first),
			firstWord: first,
			lastWord: last
		});
	}
	return spans;
}

/** Softmax probability and argmax of one row of logits. */
export function argmaxSoftmax(logits: ArrayLike<number>, offset: number, size: number): WordPrediction {
	let best = 0;
	let max = -Infinity;
	for (let k = 0; k < size; k++) {
		const v = logits[offset + k];
		if (v > max) {
			max = v;
			best = k;
		}
	}
	let sum = 0;
	for (let k = 0; k < size; k++) sum += Math.exp(logits[offset + k] - max);
	return { labelId: best, probability: 1 / sum };
}
