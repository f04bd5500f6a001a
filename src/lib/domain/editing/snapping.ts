// Word-boundary arithmetic for the workspace: snapping a mouse selection to whole words and
// moving a span's edges word by word. Words are the project tokeniser's tokens (tokens.ts), so
// a span made here cuts the text exactly where the model and the BIO export cut it.
// All offsets are code points; `tokens` are sorted and do not overlap.
import type { Token } from '../tokens';

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

/**
 * Moves one edge of a range by a word. `edge: 'end'`, `+1` takes in the next word, `-1` gives
 * back the last one; `edge: 'start'`, `-1` takes in the previous word, `+1` gives back the first.
 * A range never shrinks below one word: the result is null when the move is not possible.
 */
export function moveEdge(tokens: readonly Token[], range: Range, edge: 'start' | 'end', direction: 1 | -1): Range | null {
	if (edge === 'end') {
		if (direction === 1) {
			const next = adjacentWord(tokens, range, 1);
			return next ? { start: range.start, end: next.end } : null;
		}
		// The last token ending strictly before the current end, still after the start.
		const index = firstEndingAfter(tokens, range.end - 1) - 1;
		const token = tokens[index];
		const end = token ? Math.min(token.end, range.end - 1) : -1;
		return token && end > range.start ? { start: range.start, end } : null;
	}
	if (direction === -1) {
		const previous = adjacentWord(tokens, range, -1);
		return previous ? { start: previous.start, end: range.end } : null;
	}
	const index = lastStartingBefore(tokens, range.start + 1) + 1;
	const token = tokens[index];
	return token && token.start < range.end ? { start: token.start, end: range.end } : null;
}
