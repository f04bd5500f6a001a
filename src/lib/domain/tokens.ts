// Word and sentence segmentation of French text, the one tokeniser of the project: the model
// input, span snapping in the browser, BIO export and evaluation all cut text the same way.
// Built on Intl.Segmenter (ICU), plus the two French rules ICU lacks: elision (`l’Otan` ->
// `l’` + `Otan`) and abbreviations that do not end a sentence (`M. Lavrov`).
import { OffsetIndex } from './offsets';

export interface Token {
	text: string;
	/** Code-point offsets into the text, end exclusive. */
	start: number;
	end: number;
}

export interface Sentence {
	start: number;
	end: number;
	tokens: Token[];
}

const wordSegmenter = new Intl.Segmenter('fr', { granularity: 'word' });
const sentenceSegmenter = new Intl.Segmenter('fr', { granularity: 'sentence' });

/** Elided articles, pronouns and conjunctions that attach to the next word with an apostrophe. */
const ELISION = /^(?:[lLdDjJmMnNsStTcC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu|[Qq]uoiqu|[Pp]resqu)['’]/u;

/** Abbreviations after which a full stop does not end the sentence. */
const NON_FINAL_ABBREVIATIONS = new Set([
	'M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Dr', 'Pr', 'Me', 'Mgr', 'St', 'Ste', 'av', 'apr', 'J.-C',
	'cf', 'etc', 'p', 'n', 'no', 'vol', 'art', 'al', 'env', 'hab', 'gén', 'col', 'lt', 'cap', 'sgt'
]);

function isSpace(segment: string): boolean {
	return /^\s+$/u.test(segment);
}

/** Splits `text` into tokens (words, numbers, punctuation); whitespace is never a token. */
export function tokenizeWords(text: string, index: OffsetIndex = new OffsetIndex(text)): Token[] {
	const tokens: Token[] = [];
	for (const { segment: raw, index: rawStart } of wordSegmenter.segment(text)) {
		if (isSpace(raw)) continue;
		// ICU glues a narrow no-break space (U+202F, French typography before « : ; ! ? ») to the
		// word beside it; a token never starts or ends with a space. Inside (`10 000`) it stays.
		const leading = raw.length - raw.trimStart().length;
		const segment = raw.trim();
		const unitStart = rawStart + leading;
		const elision = segment.length > 2 ? ELISION.exec(segment) : null;
		if (elision && elision[0].length < segment.length) {
			pushToken(tokens, index, unitStart, elision[0].length);
			pushToken(tokens, index, unitStart + elision[0].length, segment.length - elision[0].length);
		} else {
			pushToken(tokens, index, unitStart, segment.length);
		}
	}
	return tokens;
}

function pushToken(tokens: Token[], index: OffsetIndex, unitStart: number, unitLength: number): void {
	const text = index.text.slice(unitStart, unitStart + unitLength);
	const start = index.toCodePoint(unitStart);
	tokens.push({ text, start, end: index.toCodePoint(unitStart + unitLength, 'ceil') });
}

/** Sentences of `text` with their tokens; paragraph breaks always end a sentence. */
export function splitSentences(text: string, index: OffsetIndex = new OffsetIndex(text)): Sentence[] {
	return findSentenceRanges(text).map(({ start, end }) => {
		const cpStart = index.toCodePoint(start);
		const tokens = tokenizeWords(text.slice(start, end)).map((token) => ({
			text: token.text,
			start: token.start + cpStart,
			end: token.end + cpStart
		}));
		return { start: cpStart, end: index.toCodePoint(end, 'ceil'), tokens };
	});
}

/**
 * Where the sentences of `text` start and end, in UTF-16 units (for the browser, which lays text
 * out in them), without cutting words: the same sentences as splitSentences, at a fraction of the
 * cost. Leading and trailing spaces are left out.
 */
export function findSentenceRanges(text: string): { start: number; end: number }[] {
	const ranges: { start: number; end: number }[] = [];
	for (const { segment, index: unitStart } of sentenceSegmenter.segment(text)) {
		const trimmedEnd = unitStart + segment.trimEnd().length;
		const leading = segment.length - segment.trimStart().length;
		if (trimmedEnd <= unitStart + leading) continue;
		const range = { start: unitStart + leading, end: trimmedEnd };
		const previous = ranges.at(-1);
		if (previous && endsWithAbbreviation(text.slice(previous.start, previous.end)) && !text.slice(previous.end, range.start).includes('\n')) {
			previous.end = range.end;
		} else {
			ranges.push(range);
		}
	}
	return ranges;
}

/**
 * Joins consecutive sentences that one of `spans` crosses (code-point offsets, end exclusive), so
 * no span is cut in two: an OCR name list (`J. H. VAN VLECK`) or a span over a paragraph break
 * would otherwise start the next sentence inside an entity.
 */
export function joinSentencesAcross(sentences: readonly Sentence[], spans: readonly { start: number; end: number }[]): Sentence[] {
	const joined: Sentence[] = [];
	for (const sentence of sentences) {
		const previous = joined.at(-1);
		if (previous && spans.some((span) => span.start < previous.end && span.end > sentence.start)) {
			joined[joined.length - 1] = { start: previous.start, end: sentence.end, tokens: [...previous.tokens, ...sentence.tokens] };
		} else {
			joined.push(sentence);
		}
	}
	return joined;
}

function endsWithAbbreviation(sentence: string): boolean {
	const match = /(?:^|[\s(«"“])([\p{L}.-]+)\.$/u.exec(sentence);
	if (!match) return false;
	const word = match[1];
	// A single capital is an initial (`J. Stoltenberg`), never the end of a sentence in news.
	return NON_FINAL_ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(word);
}

/**
 * Number of words (letters or digits, joined by apostrophes or hyphens), for document statistics.
 * A regular expression rather than the segmenter: it runs on every imported document and is ten
 * times faster, and a count does not need token boundaries.
 */
export function countWords(text: string): number {
	return text.match(WORD)?.length ?? 0;
}

const WORD = /[\p{L}\p{N}\p{M}]+(?:['’-][\p{L}\p{N}\p{M}]+)*/gu;
