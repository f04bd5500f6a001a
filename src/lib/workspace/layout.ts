// How the reading view lays spans over the text, in the browser's UTF-16 units: the text cut into
// paragraphs, spans assigned to the paragraphs they touch, and inside a paragraph a tree of
// nested highlights. Spans of different layers may overlap without nesting (a stance that starts
// inside a quote and ends after it); such a span is cut where it crosses its parent's edge, so
// every highlight stays a real element. Pure functions, no DOM.

export interface Paragraph {
	index: number;
	/** UTF-16 offsets into the document text, end exclusive. */
	start: number;
	end: number;
	text: string;
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
 * Buckets sorted spans by paragraph; a span over several paragraphs (a long quote) is listed in
 * each. `spans` must be sorted by start.
 */
export function bucketByParagraph(paragraphs: readonly Paragraph[], spans: readonly RenderSpan[]): RenderSpan[][] {
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
			/** This piece begins / ends the span (a span cut by a paragraph or a crossing span has several pieces). */
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

/** The nested highlights of one paragraph. Offsets are UTF-16 offsets into the document text. */
export function layoutParagraph(paragraph: Paragraph, spans: readonly RenderSpan[]): LayoutNode[] {
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

function textNode(paragraph: Paragraph, start: number, end: number): LayoutNode {
	return { type: 'text', text: paragraph.text.slice(start - paragraph.start, end - paragraph.start), start };
}

function nest(paragraph: Paragraph, pieces: Piece[], from: number, to: number): LayoutNode[] {
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
