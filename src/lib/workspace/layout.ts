// How the reading view lays spans over the text, in the browser's UTF-16 units: the text cut into
// paragraphs, long paragraphs cut into blocks at sentence starts, spans assigned to the blocks they
// touch, and inside a block a tree of nested highlights. Spans of different layers may overlap without nesting (a stance that starts
// inside a quote and ends after it); such a span is cut where it crosses its parent's edge, so
// every highlight stays a real element. Pure functions, no DOM.

/** A stretch of the document text drawn as one unit: a paragraph, or a block of a long one. */
export interface TextBlock {
	/** UTF-16 offsets into the document text, end exclusive. */
	start: number;
	end: number;
	text: string;
}

export interface Paragraph extends TextBlock {
	index: number;
}

/** Lines of text; blank lines are dropped (they only separate paragraphs). */
export function splitParagraphs(text: string): Paragraph[] {
	const paragraphs: Paragraph[] = [];
	let start = 0;
	while (start <= text.length) {
		let end = text.indexOf('\n', start);
		if (end === -1) end = text.length;
		if (text.slice(start, end).trim()) paragraphs.push({ index: paragraphs.length, start, end, text: text.slice(start, end) });
		start = end + 1;
	}
	return paragraphs;
}

/**
 * Paragraphs longer than twice this (UTF-16 units) are drawn in blocks of at least this length: a
 * change then redraws its block, not a whole OCR newspaper page (one paragraph of 20,000+
 * characters, where every key cost 100-250 ms).
 */
export const RENDER_BLOCK_LENGTH = 700;

/**
 * Cuts a paragraph into blocks that cover it exactly, in order. A block ends where a sentence
 * starts (`sentenceStarts`: UTF-16 offsets into the document text, ascending), once it is at least
 * `minLength` long, and never inside one of `spans`, so the highlights there when the page opens
 * stay whole. A span made later across a block's edge is drawn in pieces, as a quote over two
 * paragraphs is.
 */
export function splitRenderBlocks(
	paragraph: TextBlock,
	sentenceStarts: readonly number[],
	spans: readonly { start: number; end: number }[],
	minLength = RENDER_BLOCK_LENGTH
): TextBlock[] {
	const blocks: TextBlock[] = [];
	const block = (start: number, end: number) => ({ start, end, text: paragraph.text.slice(start - paragraph.start, end - paragraph.start) });
	let start = paragraph.start;
	for (const cut of sentenceStarts) {
		if (cut - start < minLength || cut >= paragraph.end) continue;
		if (spans.some((span) => span.start < cut && cut < span.end)) continue;
		blocks.push(block(start, cut));
		start = cut;
	}
	blocks.push(block(start, paragraph.end));
	return blocks;
}

export interface RenderSpan {
	/** Unique on the page: `a|<span key>` for the annotator's spans, `s|<suggestion key>`, `draft`. */
	id: string;
	kind: 'own' | 'suggestion' | 'draft';
	layer: string;
	label: string;
	/** UTF-16 offsets into the document text. */
	start: number;
	end: number;
	/** Short visible tag (label name, polarity, speaker), never colour alone. */
	tag: string;
	/** Full description for the tooltip and for screen readers. */
	description: string;
	colour: string | null;
}

/** Nesting order for spans on the same range: outer layers first. */
const LAYER_RANK: Record<string, number> = { stance: 0, quote: 1, cue: 2, mention: 3, entity: 4, draft: 5 };

export function compareRenderSpans(a: RenderSpan, b: RenderSpan): number {
	return a.start - b.start || b.end - a.end || (LAYER_RANK[a.layer] ?? 9) - (LAYER_RANK[b.layer] ?? 9) || (a.id < b.id ? -1 : 1);
}

/**
 * Buckets sorted spans by paragraph (or block); a span over several of them (a long quote) is
 * listed in each. `paragraphs` and `spans` must be sorted by start.
 */
export function bucketByParagraph(paragraphs: readonly TextBlock[], spans: readonly RenderSpan[]): RenderSpan[][] {
	const buckets: RenderSpan[][] = paragraphs.map(() => []);
	for (const span of spans) {
		let low = 0;
		let high = paragraphs.length;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if (paragraphs[mid].end <= span.start) low = mid + 1;
			else high = mid;
		}
		for (let i = low; i < paragraphs.length && paragraphs[i].start < span.end; i++) buckets[i].push(span);
	}
	return buckets;
}

export type LayoutNode =
	| { type: 'text'; text: string; start: number }
	| {
			type: 'mark';
			span: RenderSpan;
			/** This piece begins / ends the span (a span cut by a paragraph, a block or a crossing span has several pieces). */
			first: boolean;
			last: boolean;
			start: number;
			children: LayoutNode[];
	  };

interface Piece {
	span: RenderSpan;
	start: number;
	end: number;
}

/** The nested highlights of one paragraph or block. Offsets are UTF-16 offsets into the document text. */
export function layoutParagraph(paragraph: TextBlock, spans: readonly RenderSpan[]): LayoutNode[] {
	const pieces: Piece[] = [];
	for (const span of spans) {
		const start = Math.max(span.start, paragraph.start);
		const end = Math.min(span.end, paragraph.end);
		if (end > start) pieces.push({ span, start, end });
	}
	pieces.sort(comparePieces);
	return nest(paragraph, pieces, paragraph.start, paragraph.end);
}

function comparePieces(a: Piece, b: Piece): number {
	return a.start - b.start || b.end - a.end || (LAYER_RANK[a.span.layer] ?? 9) - (LAYER_RANK[b.span.layer] ?? 9) || (a.span.id < b.span.id ? -1 : 1);
}

function textNode(paragraph: TextBlock, start: number, end: number): LayoutNode {
	return { type: 'text', text: paragraph.text.slice(start - paragraph.start, end - paragraph.start), start };
}

function nest(paragraph: TextBlock, pieces: Piece[], from: number, to: number): LayoutNode[] {
	const nodes: LayoutNode[] = [];
	let position = from;
	let queue = pieces;
	while (queue.length) {
		const outer = queue[0];
		if (outer.start > position) nodes.push(textNode(paragraph, position, outer.start));
		const inner: Piece[] = [];
		const carried: Piece[] = [];
		let next = 1;
		for (; next < queue.length && queue[next].start < outer.end; next++) {
			const piece = queue[next];
			if (piece.end <= outer.end) inner.push(piece);
			else {
				// Crosses the outer span's end: the part inside nests, the rest continues after.
				inner.push({ ...piece, end: outer.end });
				carried.push({ ...piece, start: outer.end });
			}
		}
		nodes.push({
			type: 'mark',
			span: outer.span,
			first: outer.start === outer.span.start,
			last: outer.end === outer.span.end,
			start: outer.start,
			children: nest(paragraph, inner, outer.start, outer.end)
		});
		position = outer.end;
		queue = carried.length ? [...carried, ...queue.slice(next)].sort(comparePieces) : queue.slice(next);
	}
	if (position < to) nodes.push(textNode(paragraph, position, to));
	return nodes;
}
