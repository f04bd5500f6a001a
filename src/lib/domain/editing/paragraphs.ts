// Paragraph breaks, in code points. A quote may run over several paragraphs (a long statement, see
// docs/quote-annotation-guidelines.md); an entity, a mention, a cue or a stance never does. The
// workspace draws every line of the text as a paragraph (layout.splitParagraphs), so every line
// break counts as a paragraph break here: what the annotator sees apart is never one span.
import { OffsetIndex } from '../offsets';
import type { SpanLayer } from '../spans';
import type { Range } from './snapping';

/** Whether a span of this layer may run over a paragraph break: only a quote. */
export function mayCrossParagraphs(layer: SpanLayer): boolean {
	return layer === 'quote';
}

/** The code-point offset of every line break of the text, in order. */
export function findParagraphBreaks(text: string, index: OffsetIndex = new OffsetIndex(text)): number[] {
	const breaks: number[] = [];
	for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) breaks.push(index.toCodePoint(at));
	return breaks;
}

/** Index of the first break at or after `offset` (breaks.length when none). */
function firstBreakFrom(breaks: readonly number[], offset: number): number {
	let low = 0;
	let high = breaks.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		if (breaks[mid] < offset) low = mid + 1;
		else high = mid;
	}
	return low;
}

/**
 * The first paragraph break inside `range` that `kept` does not hold too, or null. `kept` is the
 * range a span already had (imported across a break): it may keep what it had, not take in more.
 */
export function findNewParagraphBreak(breaks: readonly number[], range: Range, kept: Range | null = null): number | null {
	for (let index = firstBreakFrom(breaks, range.start); index < breaks.length && breaks[index] < range.end; index++) {
		const at = breaks[index];
		if (!kept || at < kept.start || at >= kept.end) return at;
	}
	return null;
}

/**
 * From the start of the paragraph holding `range.start` to the end of the one holding
 * `range.end`: how far a span's edges may move by words.
 */
export function paragraphBounds(breaks: readonly number[], range: Range, textLength: number): Range {
	const before = firstBreakFrom(breaks, range.start) - 1;
	const after = firstBreakFrom(breaks, range.end);
	return { start: before >= 0 ? breaks[before] + 1 : 0, end: after < breaks.length ? breaks[after] : textLength };
}
