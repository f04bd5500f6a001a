// Word-level predictions -> entity spans. Spans are made of whole words (a span never starts
// or ends inside a word), never begin or end with an elided article (`l’Otan` gives `Otan`), an
// emoji or a word of punctuation (`Larqué ,` gives `Larqué`), and carry the mean probability of their words
// as score.
import type { Token } from '../tokens';
import type { LabelResolver, ResolvedLabel, TaggingScheme } from './labels';

export interface WordPrediction {
	/** Id of the predicted label (from the word's first piece; see decodeWordLabels). */
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
 * A word made only of separating punctuation (`,`, `»`, `—`, `(`). Titles such as `M.` are one
 * word with their full stop. `!`, `?` and `+` are left alone: they end names (`Yahoo!`, `C++`,
 * « Qui veut gagner des millions ? ») in the training data.
 */
const PUNCTUATION_WORD = /^[,;:.…«»"“”„‹›()[\]{}\-‐‑–—―'’/\\·•*_]+$/u;
/**
 * A word made only of emoji (a ZWJ sequence, a flag, a skin tone) or pictographic symbols (`©`):
 * the vocabulary has no piece for them, the word is one unknown piece, and the model labels it
 * like its neighbour (`Emmanuel Macron 😀` came out as one person). No name ends with one.
 */
const PICTOGRAPH_WORD = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u200d\ufe0f\u{1F3FB}-\u{1F3FF}])+$/u;
/** Closing marks kept at an entity's end when the entity opened them (`Parti (socialiste)`). */
const OPENER_OF: Record<string, string> = { ')': '(', ']': '[', '»': '«', '”': '“', '"': '"' };

/**
 * Whether the edge word `index` of the words `first`..`last` (end exclusive) is to be left out of
 * the entity: an elided article, an emoji, or punctuation, unless it closes a mark opened inside the entity.
 * The model sometimes runs an entity onto the comma or quote after it, which an annotator would
 * then have to trim by hand, and which would join it to the next entity of its type.
 */
function isEdgeNoise(words: readonly Token[], index: number, first: number, last: number): boolean {
	const text = words[index].text;
	if (isElidedWord(text) || PICTOGRAPH_WORD.test(text)) return true;
	if (!PUNCTUATION_WORD.test(text)) return false;
	const opener = OPENER_OF[text];
	if (opener === undefined || index !== last - 1) return true;
	let open = 0;
	for (let i = first; i < index; i++) {
		if (words[i].text === opener && (opener !== text || open === 0)) open++;
		else if (words[i].text === text) open--;
	}
	return open <= 0;
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
		while (first < last && isEdgeNoise(words, first, first, last)) first++;
		while (last > first && isEdgeNoise(words, last - 1, first, last)) last--;
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

/**
 * Joins entities of the same label that touch (the second starts at the word right after the
 * first): `M. Paul` + `Deschanel` -> `M. Paul Deschanel`. Two different entities of one type
 * are separated in running French text (`Paris et Lyon`, `Lavrov, Stoltenberg`); the small
 * shipped model, though, often restarts a long name with a B- label. Measured with
 * `npm run ner:eval -- --touching split|join`; see README.md (The NER model). The score is the
 * mean probability of the joined words. Spans must be in text order, as decodeEntitySpans gives them.
 */
export function joinTouchingSpans(spans: readonly EntitySpan[], predictions: readonly WordPrediction[]): EntitySpan[] {
	const joined: EntitySpan[] = [];
	for (const span of spans) {
		const previous = joined[joined.length - 1];
		if (!previous || previous.label !== span.label || previous.lastWord !== span.firstWord) {
			joined.push(span);
			continue;
		}
		let sum = 0;
		for (let i = previous.firstWord; i < span.lastWord; i++) sum += predictions[i].probability;
		joined[joined.length - 1] = { ...previous, end: span.end, lastWord: span.lastWord, score: sum / (span.lastWord - previous.firstWord) };
	}
	return joined;
}

/** Writes the log-softmax of one row of logits (`size` wide) into `out` at `outOffset`. */
export function logSoftmaxRow(logits: ArrayLike<number>, offset: number, size: number, out: Float32Array, outOffset: number): void {
	let max = -Infinity;
	for (let k = 0; k < size; k++) max = Math.max(max, logits[offset + k]);
	let sum = 0;
	for (let k = 0; k < size; k++) sum += Math.exp(logits[offset + k] - max);
	const logSum = max + Math.log(sum);
	for (let k = 0; k < size; k++) out[outOffset + k] = logits[offset + k] - logSum;
}

/**
 * Whether label `next` may follow label `previous` (null: the sequence starts or ends there) in
 * the model's scheme. BIO: an I continues a B or I of its type. BILOU: I and L continue a B or I of
 * their type, and a B or I must be continued. IOB1 and plain labels allow every sequence.
 */
export function transitionAllowed(scheme: TaggingScheme, previous: ResolvedLabel | null, next: ResolvedLabel | null): boolean {
	if (scheme !== 'bio' && scheme !== 'bilou') return true;
	const continues = (label: ResolvedLabel | null): boolean => label !== null && label.type !== null && (label.prefix === 'I' || (scheme === 'bilou' && label.prefix === 'L'));
	const open = (label: ResolvedLabel | null): boolean => label !== null && label.type !== null && (label.prefix === 'B' || label.prefix === 'I');
	if (continues(next)) return open(previous) && previous!.type === next!.type;
	return scheme === 'bio' || !open(previous);
}

/**
 * One label per word from the words' log-probabilities (`scores`, words × labels, row-major):
 * the most probable label sequence the tagging scheme allows (Viterbi). An argmax per word can
 * give `O I-PER` or `B-PER I-LOC`, which the span decoder would have to guess about; the
 * constrained path weighs the alternatives by the model's own probabilities instead. For IOB1
 * and plain labels every sequence is valid, so this is the argmax, as it is with `constrained`
 * false (kept to measure what the constraint is worth). `probability` is the softmax probability
 * of the chosen label.
 */
export function decodeWordLabels(scores: Float32Array, labelCount: number, resolver: LabelResolver, constrained = true): WordPrediction[] {
	const words = scores.length / labelCount;
	if (!Number.isInteger(words)) throw new Error(`decodeWordLabels: ${scores.length} scores is not a multiple of ${labelCount} labels`);
	const labels = resolver.labels;
	if (labels.length !== labelCount) throw new Error(`decodeWordLabels: ${labelCount} labels per word but the resolver has ${labels.length}`);
	const chosen = new Int32Array(words);
	if (!constrained || (resolver.scheme !== 'bio' && resolver.scheme !== 'bilou')) {
		for (let w = 0; w < words; w++) {
			let best = 0;
			for (let k = 1; k < labelCount; k++) if (scores[w * labelCount + k] > scores[w * labelCount + best]) best = k;
			chosen[w] = best;
		}
	} else if (words > 0) {
		const allowed: boolean[][] = labels.map((previous) => labels.map((next) => transitionAllowed(resolver.scheme, previous, next)));
		let path = new Float64Array(labelCount);
		let nextPath = new Float64Array(labelCount);
		const back = new Int32Array(words * labelCount);
		for (let k = 0; k < labelCount; k++) path[k] = transitionAllowed(resolver.scheme, null, labels[k]) ? scores[k] : -Infinity;
		for (let w = 1; w < words; w++) {
			for (let k = 0; k < labelCount; k++) {
				let best = -1;
				let bestScore = -Infinity;
				for (let j = 0; j < labelCount; j++) {
					if (allowed[j][k] && path[j] > bestScore) {
						bestScore = path[j];
						best = j;
					}
				}
				nextPath[k] = best < 0 ? -Infinity : bestScore + scores[w * labelCount + k];
				back[w * labelCount + k] = best;
			}
			[path, nextPath] = [nextPath, path];
		}
		let last = -1;
		for (let k = 0; k < labelCount; k++) {
			if (path[k] === -Infinity || !transitionAllowed(resolver.scheme, labels[k], null)) continue;
			if (last < 0 || path[k] > path[last]) last = k;
		}
		if (last < 0) throw new Error('decodeWordLabels: the label inventory allows no sequence (it has no O label)');
		for (let w = words - 1; w >= 0; w--) {
			chosen[w] = last;
			last = back[w * labelCount + last];
		}
	}
	return Array.from(chosen, (labelId, w) => ({ labelId, probability: Math.exp(scores[w * labelCount + labelId]) }));
}
