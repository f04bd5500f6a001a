import { describe, expect, it } from 'vitest';
import { bucketByParagraph, compareRenderSpans, layoutParagraph, splitParagraphs, type LayoutNode, type RenderSpan } from '../../src/lib/workspace/layout';

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
