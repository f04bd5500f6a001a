import { describe, expect, it } from 'vitest';
import { bucketByParagraph, compareRenderSpans, layoutParagraph, splitParagraphs, splitRenderBlocks, type LayoutNode, type RenderSpan } from '../../src/lib/workspace/layout';
import { findSentenceRanges } from '../../src/lib/domain/tokens';

function span(id: string, layer: string, start: number, end: number): RenderSpan {
	return { id, kind: 'own', layer, label: layer, start, end, tag: layer, description: id, colour: null };
}

/** The tree as a bracketed string: `[id:text]` for marks, `+` before a piece that continues a span. */
function show(nodes: LayoutNode[]): string {
	return nodes
		.map((node) => (node.type === 'text' ? node.text : `[${node.first ? '' : '+'}${node.span.id}${node.last ? '' : '…'}:${show(node.children)}]`))
		.join('');
}

describe('reading view layout', () => {
	const text = '« Nous refusons », a dit Lavrov.\n\nIl a ajouté : « Jamais ».\n\n\nFin.';
	const paragraphs = splitParagraphs(text);

	it('splits paragraphs and keeps their offsets into the text', () => {
		expect(paragraphs.map((p) => p.text)).toEqual(['« Nous refusons », a dit Lavrov.', 'Il a ajouté : « Jamais ».', 'Fin.']);
		expect(text.slice(paragraphs[1].start, paragraphs[1].end)).toBe(paragraphs[1].text);
	});

	it('nests an entity inside a quote inside a stance, and keeps all the text', () => {
		const p = paragraphs[0];
		const nodes = layoutParagraph(p, [span('e', 'entity', 25, 31), span('q', 'quote', 0, 31), span('s', 'stance', 0, 32)]);
		expect(show(nodes)).toBe('[s:[q:« Nous refusons », a dit [e:Lavrov]].]');
	});

	it('cuts a span that crosses its parent’s end into two pieces', () => {
		const p = paragraphs[0];
		// A stance from "refusons" to "dit", crossing the end of the quote « Nous refusons ».
		const nodes = layoutParagraph(p, [span('q', 'quote', 0, 17), span('s', 'stance', 7, 24)]);
		expect(show(nodes)).toBe('[q:« Nous [s…:refusons »]][+s:, a dit] Lavrov.');
	});

	it('lists a quote over several paragraphs in each of them', () => {
		const quote = span('q', 'quote', 0, paragraphs[1].end);
		const buckets = bucketByParagraph(paragraphs, [quote]);
		expect(buckets.map((b) => b.length)).toEqual([1, 1, 0]);
		const second = layoutParagraph(paragraphs[1], buckets[1]);
		expect(second[0]).toMatchObject({ type: 'mark', first: false, last: true });
	});

	it('orders outer layers first on the same range', () => {
		const sorted = [span('e', 'entity', 0, 5), span('q', 'quote', 0, 5), span('s', 'stance', 0, 5)].sort(compareRenderSpans);
		expect(sorted.map((s) => s.id)).toEqual(['s', 'q', 'e']);
	});
});

describe('blocks of a long paragraph', () => {
	// An OCR newspaper page: one paragraph, after a short one, so offsets do not start at 0.
	const sentences = Array.from({ length: 12 }, (_, i) => `Le conseil municipal de la ville n° ${i} a voté le budget de l’année.`);
	const text = `Titre.\n\n${sentences.join(' ')}`;
	const page = splitParagraphs(text)[1];
	const starts = findSentenceRanges(page.text).map((r) => page.start + r.start);

	it('covers the paragraph exactly, cut where sentences start, each at least the length asked', () => {
		const blocks = splitRenderBlocks(page, starts, [], 150);
		expect(blocks.length).toBeGreaterThan(3);
		expect(blocks[0].start).toBe(page.start);
		expect(blocks.at(-1)!.end).toBe(page.end);
		blocks.forEach((block, i) => {
			expect(block.text).toBe(text.slice(block.start, block.end));
			if (i > 0) expect(block.start).toBe(blocks[i - 1].end);
			if (i > 0) expect(starts).toContain(block.start);
			if (i < blocks.length - 1) expect(block.end - block.start).toBeGreaterThanOrEqual(150);
		});
		expect(blocks.map((b) => b.text).join('')).toBe(page.text);
	});

	it('never cuts a span: the block goes on to the next sentence start outside it', () => {
		const free = splitRenderBlocks(page, starts, [], 150);
		const cut = free[1].start;
		// A quote over the first cut, from the sentence before it to the one after.
		const quote = { start: cut - 20, end: cut + 30 };
		const blocks = splitRenderBlocks(page, starts, [quote], 150);
		expect(blocks.map((b) => b.text).join('')).toBe(page.text);
		for (const block of blocks.slice(1)) expect(block.start <= quote.start || block.start >= quote.end).toBe(true);
		expect(blocks[1].start).toBeGreaterThan(cut);
	});

	it('keeps a short paragraph whole', () => {
		expect(splitRenderBlocks(page, starts, [], 10_000)).toEqual([{ start: page.start, end: page.end, text: page.text }]);
	});

	it('draws a span made later across a block edge in pieces that begin and end it', () => {
		const blocks = splitRenderBlocks(page, starts, [], 150);
		const quote = span('q', 'quote', blocks[1].start - 10, blocks[1].start + 10);
		const buckets = bucketByParagraph(blocks, [quote]);
		expect(buckets.map((b) => b.length).slice(0, 3)).toEqual([1, 1, 0]);
		const before = layoutParagraph(blocks[0], buckets[0]);
		const after = layoutParagraph(blocks[1], buckets[1]);
		expect(before.at(-1)).toMatchObject({ type: 'mark', first: true, last: false });
		expect(after[0]).toMatchObject({ type: 'mark', first: false, last: true });
		expect(show([before.at(-1)!, after[0]]).replace(/\[\+?q…?:/g, '').replace(/]/g, '')).toBe(text.slice(quote.start, quote.end));
	});
});
