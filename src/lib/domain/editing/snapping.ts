// Word-boundary arithmetic for the workspace: snapping a mouse selection to whole words and
// moving a span's edges word by word. Words are the project tokeniser's tokens (tokens.ts), so
// a span made here cuts the text exactly where the model and the BIO export cut it.
// All offsets are code points; `tokens` are sorted and do not overlap.
import { isElision, type Token } from '../tokens';

export interface Range {
	start: number;
	end: number;
}

/** Index of the first token whose end is after `offset` (tokens.length when none). */
function firstEndingAfter(tokens: readonly Token[], offset: number): number {
	let low = 0;
	let high = tokens.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		if (tokens[mid].end <= offset) low = mid + 1;
		else high = mid;
	}
	return low;
}

/** Index of the last token whose start is before `offset` (-1 when none). */
function lastStartingBefore(tokens: readonly Token[], offset: number): number {
	let low = 0;
	let high = tokens.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		if (tokens[mid].start < offset) low = mid + 1;
		else high = mid;
	}
	return low - 1;
}

/**
 * Widens a selection to the words it touches: a start inside a word moves to the word's start,
 * an end inside a word to its end; whitespace at either edge is dropped. Null when the
 * selection holds no word.
 */
export function snapToWords(tokens: readonly Token[], range: Range): Range | null {
	if (range.end <= range.start) return null;
	const first = firstEndingAfter(tokens, range.start);
	const last = lastStartingBefore(tokens, range.end);
	if (first >= tokens.length || last < 0 || first > last) return null;
	return { start: tokens[first].start, end: tokens[last].end };
}

/**
 * A range for an entity, without the elided word it starts with when a word follows it with no
 * space between (`l’Otan` -> `Otan`, `qu’Emmanuel Macron` -> `Emmanuel Macron`): the guideline,
 * and where the model, the gazetteers and the memory put the entity. A double click on `Otan`
 * selects `l’Otan` in the browser. Null when there is nothing to leave out.
 */
export function withoutLeadingElision(tokens: readonly Token[], range: Range): Range | null {
	const index = firstEndingAfter(tokens, range.start);
	const first = tokens[index];
	const next = tokens[index + 1];
	if (!first || first.start !== range.start || !isElision(first.text)) return null;
	if (!next || next.start !== first.end || next.start >= range.end) return null;
	return { start: next.start, end: range.end };
}

/** The word at `offset`, or the next one when `offset` is between words. */
export function wordAt(tokens: readonly Token[], offset: number): Range | null {
	const index = firstEndingAfter(tokens, offset);
	if (index < tokens.length) return { start: tokens[index].start, end: tokens[index].end };
	const last = tokens.at(-1);
	return last ? { start: last.start, end: last.end } : null;
}

/** The word after (`+1`) or before (`-1`) the range, as a one-word range. */
export function adjacentWord(tokens: readonly Token[], range: Range, direction: 1 | -1): Range | null {
	if (direction === 1) {
		const index = firstEndingAfter(tokens, range.end);
		const token = tokens[index];
		return token && token.start >= range.end ? { start: token.start, end: token.end } : null;
	}
	const index = lastStartingBefore(tokens, range.start);
	const token = tokens[index];
	return token && token.end <= range.start ? { start: token.start, end: token.end } : null;
}

/**
 * The first word from `offset` on that has a letter or a digit: where a new keyboard selection
 * starts (`n`), so it never begins on the comma after the current annotation.
 */
export function nextWordFrom(tokens: readonly Token[], offset: number): Range | null {
	for (let index = firstEndingAfter(tokens, offset); index < tokens.length; index++) {
		const token = tokens[index];
		if (token.start >= offset && /[\p{L}\p{N}]/u.test(token.text)) return { start: token.start, end: token.end };
	}
	return null;
}

/** Quotation marks and brackets, closing mark by opening mark. */
const CLOSING_MARKS: Record<string, string> = { '«': '»', '“': '”', '‹': '›', '(': ')', '[': ']' };
const OPENING_MARKS = Object.fromEntries(Object.entries(CLOSING_MARKS).map(([open, close]) => [close, open]));

/**
 * Whether a span's edge may stop on this token when it moves by a word: a word, a number, a
 * symbol or a percent sign (`20 €`, `50 %`), or the mark that closes (at the end) or opens (at the start) a quotation or
 * bracket left open in `inside`, the rest of the span (`« Nous refusons »`, `(dite Lieu12)`).
 * Other punctuation is stepped over: a span does not end on the colon of `indiquait :`.
 */
function isEdgeWord(tokens: readonly Token[], index: number, edge: 'start' | 'end', inside: Range): boolean {
	const token = tokens[index];
	if (/[\p{L}\p{N}\p{S}%‰]/u.test(token.text)) return true;
	const partner = edge === 'end' ? OPENING_MARKS[token.text] : CLOSING_MARKS[token.text];
	if (!partner) return false;
	// Read towards the candidate: a mark of its kind met first closes (or opens) something outside
	// the span, not what the candidate would close (or open).
	const held = tokens.slice(firstEndingAfter(tokens, inside.start), lastStartingBefore(tokens, inside.end) + 1);
	let open = 0;
	for (const other of edge === 'end' ? held : held.reverse()) {
		if (other.text === partner) open++;
		else if (other.text === token.text && open > 0) open--;
	}
	return open > 0;
}

/**
 * Moves one edge of a range by a word. `edge: 'end'`, `+1` takes in the next word, `-1` gives
 * back the last one; `edge: 'start'`, `-1` takes in the previous word, `+1` gives back the first.
 * Punctuation on the way is taken in or given back with the word (see isEdgeWord). A range never
 * shrinks below one word, nor grows out of `within` (the paragraph an entity stays in): the result
 * is null when the move is not possible.
 */
export function moveEdge(tokens: readonly Token[], range: Range, edge: 'start' | 'end', direction: 1 | -1, within?: Range): Range | null {
	if (edge === 'end') {
		if (direction === 1) {
			for (let index = firstEndingAfter(tokens, range.end); index < tokens.length; index++) {
				if (tokens[index].start < range.end) continue;
				if (within && tokens[index].end > within.end) return null;
				if (isEdgeWord(tokens, index, 'end', range)) return { start: range.start, end: tokens[index].end };
			}
			return null;
		}
		// The last word ending strictly before the current end, still after the start.
		for (let index = firstEndingAfter(tokens, range.end - 1) - 1; index >= 0; index--) {
			const end = Math.min(tokens[index].end, range.end - 1);
			if (end <= range.start) return null;
			if (isEdgeWord(tokens, index, 'end', { start: range.start, end: tokens[index].start })) return { start: range.start, end };
		}
		return null;
	}
	if (direction === -1) {
		for (let index = lastStartingBefore(tokens, range.start); index >= 0; index--) {
			if (tokens[index].end > range.start) continue;
			if (within && tokens[index].start < within.start) return null;
			if (isEdgeWord(tokens, index, 'start', range)) return { start: tokens[index].start, end: range.end };
		}
		return null;
	}
	for (let index = lastStartingBefore(tokens, range.start + 1) + 1; index < tokens.length; index++) {
		const start = tokens[index].start;
		if (start >= range.end) return null;
		if (isEdgeWord(tokens, index, 'start', { start: tokens[index].end, end: range.end })) return { start, end: range.end };
	}
	return null;
}
