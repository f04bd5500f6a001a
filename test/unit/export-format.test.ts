// Formatting one document: code-point offsets with every span's text, layers and links,
// provenance, tokens and BIO tags, and the token flavours.
import { describe, expect, it } from 'vitest';
import { bioLabelList, findBioProblem, formatBioRecords, formatConllDocument, tagTokens } from '../../src/lib/domain/export/bio';
import { formatCorpusRecord, type ExportSpan } from '../../src/lib/domain/export/format-record';
import { validateCorpusRecord } from '../../src/lib/domain/export/validate-record';

const NBSP = '\u00a0';
const NNBSP = '\u202f';
const text = `👍🏽 Selon M.${NBSP}Lavrov, «${NBSP}l’Otan doit changer${NBSP}».\n\nL’e\u0301pe\u0301e de Zoë 👨‍👩‍👧 reste à Genève${NNBSP}!`.normalize('NFC');
const cp = (needle: string, from = 0) => [...text].join('').indexOf(needle, from); // UTF-16 index, converted below
const toCp = (unit: number) => [...text.slice(0, unit)].length;
const at = (needle: string) => {
	const unit = cp(needle);
	return { start: toCp(unit), end: toCp(unit) + [...needle].length };
};

let nextId = 1;
function span(layer: ExportSpan['layer'], needle: string, label: string, extra: Partial<ExportSpan> = {}): ExportSpan {
	return { id: nextId++, layer, ...at(needle), label, attributes: {}, origin: 'human', score: null, provenance: 'human:alice', decision: null, ...extra };
}

const lavrov = span('entity', 'Lavrov', 'PER', { origin: 'model', provenance: 'model:guillemet-ner-fr@abc123', score: 0.97, decision: 'edited' });
const otan = span('entity', 'Otan', 'ORG');
const geneve = span('entity', 'Genève', 'LOC', { origin: 'import', provenance: 'import:old.jsonl' });
const quote = span('quote', 'l’Otan doit changer', 'QUOTE', { attributes: { kind: 'direct' }, origin: 'rules', provenance: 'rules:quote-cues@1' });
const cue = span('cue', 'Selon', 'CUE');
const stance = span('stance', 'l’Otan doit changer', 'STANCE', { attributes: { polarity: 'against' } });
const spans = [geneve, stance, quote, otan, cue, lavrov];
const links = [
	{ kind: 'speaker' as const, fromSpanId: quote.id, toSpanId: lavrov.id, toName: null },
	{ kind: 'cue' as const, fromSpanId: quote.id, toSpanId: cue.id, toName: null },
	{ kind: 'holder' as const, fromSpanId: stance.id, toSpanId: lavrov.id, toName: null },
	{ kind: 'target' as const, fromSpanId: stance.id, toSpanId: null, toName: 'Otan' }
];
const document = { externalId: 'doc-1', title: 'Titre', text, source: 'sputnik', url: null, publishedAt: '2026-02-18', meta: { section: 'monde' } };
const set = { owner: 'gold', ownerKind: 'gold', status: 'done' };

describe('formatCorpusRecord', () => {
	const { record, sentences, tags } = formatCorpusRecord(document, set, spans, links, ['entity', 'quote', 'stance']);

	it('writes code-point offsets and the text of every span', () => {
		const chars = [...text];
		for (const list of [record.entities, record.quotes, record.cues, record.stances]) {
			for (const s of list) expect(chars.slice(s.start, s.end).join('')).toBe(s.text);
		}
		// The skin-toned emoji is 2 code points but 4 UTF-16 units: a UTF-16 offset would be 2 more.
		expect(record.entities[0]).toMatchObject({ text: 'Lavrov', start: text.indexOf('Lavrov') - 2 });
		expect(validateCorpusRecord(record as unknown as Record<string, unknown>)).toEqual([]);
	});

	it('orders spans by offsets, numbers them per layer and resolves links', () => {
		expect(record.entities.map((e) => [e.id, e.text])).toEqual([
			['e1', 'Lavrov'],
			['e2', 'Otan'],
			['e3', 'Genève']
		]);
		expect(record.quotes).toEqual([expect.objectContaining({ id: 'q1', kind: 'direct', cue: 'c1', speaker: 'e1' })]);
		expect(record.stances).toEqual([expect.objectContaining({ id: 's1', polarity: 'against', holder: 'e1', target: { name: 'Otan' } })]);
	});

	it('writes the provenance of each span', () => {
		expect(record.entities[0]).toMatchObject({ origin: 'model', model: 'guillemet-ner-fr@abc123', score: 0.97, decision: 'edited' });
		expect(record.entities[1]).toEqual(expect.objectContaining({ origin: 'human', annotator: 'alice' }));
		expect(record.entities[1]).not.toHaveProperty('score');
		expect(record.entities[2]).toEqual(expect.objectContaining({ origin: 'import' }));
		expect(record.entities[2]).not.toHaveProperty('model');
		expect(record.quotes[0]).toMatchObject({ origin: 'rules', model: 'quote-cues@1' });
		expect(record.annotators).toEqual(['alice']);
		expect(record.meta).toEqual({ source: 'sputnik', url: null, published_at: '2026-02-18', section: 'monde' });
	});

	it('tags tokens with IOB2 from the entities', () => {
		// trim: ICU's word rules keep a narrow NBSP with the word before it (`Genève\u202f`).
		const tagged = record.tokens.filter((t) => t.ner !== 'O').map((t) => [t.text.trim(), t.ner]);
		expect(tagged).toEqual([
			['Lavrov', 'B-PER'],
			['Otan', 'B-ORG'],
			['Genève', 'B-LOC']
		]);
		expect(sentences.length).toBe(2);
		expect(tags.length).toBe(record.tokens.length);
	});

	it('brings linked spans along when their layer is not exported', () => {
		const quotesOnly = formatCorpusRecord(document, set, spans, links, ['quote']).record;
		expect(quotesOnly.entities.map((e) => e.text)).toEqual(['Lavrov']);
		expect(quotesOnly.stances).toEqual([]);
		expect(quotesOnly.quotes[0]).toMatchObject({ speaker: 'e1', cue: 'c1' });
		expect(quotesOnly.tokens[0]).not.toHaveProperty('ner');
		expect(validateCorpusRecord(quotesOnly as unknown as Record<string, unknown>)).toEqual([]);
	});
});

describe('token flavours', () => {
	const { sentences, tags } = formatCorpusRecord(document, set, spans, links, ['entity']);

	it('writes one record per sentence or per document', () => {
		const perSentence = formatBioRecords('doc-1', sentences, tags, 'sentence', null);
		expect(perSentence.map((r) => r.id)).toEqual(['doc-1#1', 'doc-1#2']);
		expect(perSentence[0].tokens.length).toBe(perSentence[0].ner_tags.length);
		const perDocument = formatBioRecords('doc-1', sentences, tags, 'document', null);
		expect(perDocument).toHaveLength(1);
		expect(perDocument[0].ner_tags).toEqual(tags);
	});

	it('writes tag ids into the label list', () => {
		const labels = bioLabelList(['PER', 'LOC', 'ORG', 'MISC']);
		const [record] = formatBioRecords('doc-1', sentences, tags, 'document', labels);
		expect(record.ner_tags.map((id) => labels[id as number])).toEqual(tags);
		expect(() => formatBioRecords('doc-1', sentences, tags, 'document', ['O'])).toThrow(/is not in the label list/);
	});

	it('writes CoNLL columns with DOCSTART and blank lines between sentences', () => {
		const lines = formatConllDocument(sentences, tags).split('\n');
		expect(lines.slice(0, 2)).toEqual(['-DOCSTART- -X- O O', '']);
		expect(lines).toContain('Lavrov\tB-PER');
		expect(lines.filter((line) => line === '').length).toBe(1 + sentences.length + 1);
	});

	it('never cuts an entity at a sentence break: the sentences it crosses make one record', () => {
		const crossing = { ...document, text: 'Il cite Guma.\n\nVictime du froid, il parle. Fin.' };
		const guma: ExportSpan = { ...span('entity', 'Lavrov', 'PER'), start: 8, end: 23 };
		const { sentences: joined, tags: crossingTags } = formatCorpusRecord(crossing, set, [guma], [], ['entity']);
		expect(joined.map((s) => s.tokens.map((t) => t.text).join(' '))).toEqual(['Il cite Guma . Victime du froid , il parle .', 'Fin .']);
		const records = formatBioRecords('doc-2', joined, crossingTags, 'sentence', null);
		expect(records.map((r) => r.ner_tags[0])).toEqual(['O', 'O']);
		for (const record of records) expect(findBioProblem(record.ner_tags as string[])).toBeNull();
		// Without entities the sentences stay as the segmenter found them.
		expect(formatCorpusRecord(crossing, set, [guma], [], ['quote']).sentences).toHaveLength(3);
	});

	it('tags every token an entity overlaps and counts edges inside tokens', () => {
		const tokens = [
			{ start: 0, end: 4 },
			{ start: 5, end: 10 },
			{ start: 11, end: 15 }
		];
		expect(tagTokens(tokens, [{ start: 2, end: 10, label: 'ORG' }])).toEqual({ tags: ['B-ORG', 'I-ORG', 'O'], offBoundary: 1 });
	});
});
