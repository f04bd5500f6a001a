import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { articleFromJsonLine } from '../../src/lib/domain/articles';
import { DEFAULT_LABEL_SCHEMA, entityLabelNames } from '../../src/lib/domain/label-schema';
import { suggestQuotes, type QuoteSuggestions } from '../../src/lib/domain/quotes';
import { nameKey, scoreQuotes, type GoldRecord } from '../../src/lib/domain/quotes/evaluate';

const GOLD_FILES = ['gold', 'heldout', 'fresh', 'fresh2'].map((name) => `test/fixtures/quotes/${name}.jsonl`);
const readRecords = (file: string) =>
	fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as GoldRecord);

describe('scoreQuotes', () => {
	const record: GoldRecord = {
		id: 'd1',
		text: 'Paul Martin a déclaré que tout va bien. « Nous ne céderons rien sur ce point », a dit le ministre.',
		quotes: [
			{ id: 'q1', start: 26, end: 38, kind: 'indirect', speaker: 'e1' },
			{ id: 'q2', start: 42, end: 76, kind: 'direct', speaker: 'm1' }
		],
		entities: [{ id: 'e1', start: 0, end: 11, label: 'PER' }],
		mentions: [{ id: 'm1', start: 87, end: 98, entity: 'e1' }]
	};
	const prediction = (spans: { start: number; end: number; kind: string; speaker?: [number, number] }[]): QuoteSuggestions => {
		const out: QuoteSuggestions = { spans: [], links: [] };
		for (const span of spans) {
			out.spans.push({ layer: 'quote', start: span.start, end: span.end, label: 'QUOTE', attributes: { kind: span.kind }, origin: 'rules', provenance: 'test' });
			if (span.speaker) {
				out.spans.push({ layer: 'mention', start: span.speaker[0], end: span.speaker[1], label: 'MENTION', origin: 'rules', provenance: 'test' });
				out.links.push({ kind: 'speaker', from: out.spans.length - 2, to: out.spans.length - 1 });
			}
		}
		return out;
	};

	it('counts exact and overlap matches per kind, and speakers resolved to the same entity', () => {
		const scores = scoreQuotes([
			{
				record,
				suggestions: prediction([
					{ start: 26, end: 37, kind: 'indirect', speaker: [5, 11] },
					{ start: 42, end: 76, kind: 'direct', speaker: [0, 11] },
					{ start: 0, end: 4, kind: 'direct' }
				])
			}
		]);
		expect(scores.exact.direct).toMatchObject({ tp: 1, fp: 1, fn: 0 });
		expect(scores.exact.indirect).toMatchObject({ tp: 0, fp: 1, fn: 1 });
		expect(scores.overlap.indirect).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 });
		expect(scores.overlap.all).toMatchObject({ tp: 2, fp: 1, fn: 0 });
		// "Martin" overlaps the gold "Paul Martin"; the role "le ministre" designates it too.
		expect(scores.speaker.all).toMatchObject({ correct: 2, total: 2 });
	});

	it('counts a wrong or missing speaker', () => {
		const scores = scoreQuotes([{ record, suggestions: prediction([{ start: 42, end: 76, kind: 'direct', speaker: [41, 44] }]) }]);
		expect(scores.speaker.direct).toMatchObject({ correct: 0, total: 1, accuracy: 0 });
		expect(scores.overlap.indirect).toMatchObject({ tp: 0, fn: 1 });
	});

	it('keys names by their last capitalised word', () => {
		expect(nameKey('M. Sergueï Lavrov')).toBe('lavrov');
		expect(nameKey('le ministre russe')).toBeNull();
	});
});

describe('the gold sets', () => {
	it.each(GOLD_FILES)('%s are valid corpus records whose spans carry their text', (file) => {
		const labels = entityLabelNames(DEFAULT_LABEL_SCHEMA);
		for (const line of fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim())) {
			const parsed = articleFromJsonLine(line, labels);
			expect(parsed.ok, parsed.ok ? '' : parsed.message).toBe(true);
			const record = JSON.parse(line) as GoldRecord & { quotes: { text: string; start: number; end: number }[] };
			for (const quote of record.quotes) expect(Array.from(record.text).slice(quote.start, quote.end).join('')).toBe(quote.text);
		}
	});

	it('the rules reach the targets on the development gold: direct F1 ≥ 0.90, direct speaker accuracy ≥ 0.85', () => {
		const records = readRecords(GOLD_FILES[0]);
		const scores = scoreQuotes(records.map((record) => ({ record, suggestions: suggestQuotes(record.text, []) })));
		expect(scores.overlap.direct.f1).toBeGreaterThanOrEqual(0.9);
		expect(scores.speaker.direct.accuracy).toBeGreaterThanOrEqual(0.85);
		expect(scores.overlap.indirect.f1).toBeGreaterThanOrEqual(0.8);
	});
});
