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

/**
 * About the longest piece of text handed to the segmenter at once (UTF-16 units). Node 20's
 * Intl.Segmenter slows down much faster than the text grows (the words of 64,000 characters of
 * news: 0.3 s; of 80,000: 3.7 s; of a 250,000-character newspaper issue: about a minute, during
 * which a save that refreshes that document's memory suggestions blocks every request), while
 * pieces of a few thousand characters go at a constant rate (the whole issue: 0.2 s). Pieces end
 * where a boundary is certain, so the segments are those of the whole text.
 */
export const SEGMENTER_PIECE_LENGTH = 4_000;

/**
 * After a line break (Unicode word and sentence rules always break there), or, for words only, after
 * a plain space that nothing attaches to (not another space, a combining mark or a joiner).
 */
const WORD_PIECE_END = /\n|\x20(?![\s\p{M}\p{Cf}])/gu;
const SENTENCE_PIECE_END = /\n/g;

/** The segments of `text`, segmented piece by piece (see SEGMENTER_PIECE_LENGTH), with indexes in the whole text. */
function* segmentInPieces(segmenter: Intl.Segmenter, text: string, pieceEnd: RegExp): Generator<{ segment: string; index: number }> {
	let from = 0;
	while (from < text.length) {
		let to = text.length;
		if (text.length - from > SEGMENTER_PIECE_LENGTH) {
			pieceEnd.lastIndex = from + SEGMENTER_PIECE_LENGTH;
			const end = pieceEnd.exec(text);
			if (end) to = end.index + 1;
		}
		for (const { segment, index } of segmenter.segment(from === 0 && to === text.length ? text : text.slice(from, to))) yield { segment, index: from + index };
		from = to;
	}
}

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
	for (const { segment: raw, index: rawStart } of segmentInPieces(wordSegmenter, text, WORD_PIECE_END)) {
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

/** Whether a token is an elided word (`l’`, `d’`, `qu’`, `jusqu’`), as tokenizeWords cuts it off the next one. */
export function isElision(token: string): boolean {
	return ELISION.exec(token)?.[0].length === token.length;
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
	for (const { segment, index: unitStart } of segmentInPieces(sentenceSegmenter, text, SENTENCE_PIECE_END)) {
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
