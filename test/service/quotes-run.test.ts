import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUOTE_RULES_PROVENANCE } from '../../src/lib/domain/quotes';
import { findSet, getOrCreateSet, replaceSetContent } from '../../src/lib/server/db/annotation-sets';
import { annotationSets, documents, links, spans } from '../../src/lib/server/db/schema';
import { importUploads } from '../../src/lib/server/import';
import { createQuoteStep, runQuoteRules } from '../../src/lib/server/quotes';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

const SAMPLE = 'test/fixtures/articles/sputnik-fr-3255db79b009ce73.txt';

describe('runQuoteRules', () => {
	let temp: TempDatabase;
	let documentId: number;
	let text: string;

	beforeEach(() => {
		temp = createTempDatabase();
		const summary = importUploads(temp.db, temp.project, [{ name: 'sputnik-fr-3255db79b009ce73.txt', bytes: new Uint8Array(fs.readFileSync(SAMPLE)) }]);
		expect(summary.imported).toBe(1);
		const document = temp.db.select().from(documents).get()!;
		documentId = document.id;
		text = document.text;
	});
	afterEach(() => temp.close());

	const cp = (needle: string, from = 0) => Array.from(text.slice(0, text.indexOf(needle, from))).length;
	const spansOf = (setId: number) => temp.db.select().from(spans).where(eq(spans.setId, setId)).all();

	it('writes quotes, cues and speakers into its own machine set, linked to the model’s entities', () => {
		const model = getOrCreateSet(temp.db, documentId, 'model:camembert-ner@1', { status: 'done' });
		const lavrovs: number[] = [];
		for (let at = text.indexOf('Lavrov'); at !== -1; at = text.indexOf('Lavrov', at + 1)) lavrovs.push(cp('Lavrov', at));
		replaceSetContent(temp.db, model.id, lavrovs.map((start) => ({ layer: 'entity', start, end: start + 6, label: 'PER', origin: 'model', provenance: 'model:camembert-ner@1', score: 0.99 })));

		const result = runQuoteRules(temp.db, documentId);

		const set = findSet(temp.db, documentId, QUOTE_RULES_PROVENANCE)!;
		expect(set.ownerKind).toBe('rules');
		const stored = spansOf(set.id);
		expect(stored).toHaveLength(result.spans);
		const quotes = stored.filter((s) => s.layer === 'quote');
		expect(quotes.filter((q) => q.attributes.kind === 'direct')).toHaveLength(3);
		expect(quotes.filter((q) => q.attributes.kind === 'indirect')).toHaveLength(3);
		const speakerLinks = temp.db.select().from(links).where(and(eq(links.setId, set.id), eq(links.kind, 'speaker'))).all();
		expect(speakerLinks).toHaveLength(6);
		const byId = new Map(stored.map((s) => [s.id, s]));
		for (const link of speakerLinks) {
			const speaker = byId.get(link.toSpanId!)!;
			expect(speaker.layer).toBe('entity');
			expect(lavrovs).toContain(speaker.start);
		}
	});

	it('replaces only its own set, and its own older versions', () => {
		const annotator = getOrCreateSet(temp.db, documentId, 'alice');
		replaceSetContent(temp.db, annotator.id, [{ layer: 'quote', start: 0, end: 10, label: 'QUOTE', attributes: { kind: 'direct' }, origin: 'human', provenance: 'human:alice' }]);
		const older = getOrCreateSet(temp.db, documentId, 'rules:quotes@0');
		replaceSetContent(temp.db, older.id, [{ layer: 'quote', start: 0, end: 5, label: 'QUOTE', origin: 'rules', provenance: 'rules:quotes@0' }]);
		const other = getOrCreateSet(temp.db, documentId, 'rules:dates@1');
		replaceSetContent(temp.db, other.id, [{ layer: 'cue', start: 0, end: 3, label: 'CUE', origin: 'rules', provenance: 'rules:dates@1' }]);

		const first = runQuoteRules(temp.db, documentId);
		const set = findSet(temp.db, documentId, QUOTE_RULES_PROVENANCE)!;
		const revision = set.revision;
		const second = runQuoteRules(temp.db, documentId);

		expect(second.spans).toBe(first.spans);
		expect(spansOf(set.id)).toHaveLength(second.spans);
		expect(findSet(temp.db, documentId, QUOTE_RULES_PROVENANCE)!.revision).toBe(revision + 1);
		expect(spansOf(annotator.id)).toHaveLength(1);
		expect(spansOf(other.id)).toHaveLength(1);
		expect(findSet(temp.db, documentId, 'rules:quotes@0')).toBeUndefined();
		const owners = temp.db.select({ owner: annotationSets.owner }).from(annotationSets).all().map((r) => r.owner).sort();
		expect(owners).toEqual(['alice', 'rules:dates@1', QUOTE_RULES_PROVENANCE].sort());
	});

	it('works without any entity suggestion, with mention spans for speakers', () => {
		runQuoteRules(temp.db, documentId);
		const set = findSet(temp.db, documentId, QUOTE_RULES_PROVENANCE)!;
		const stored = spansOf(set.id);
		expect(stored.some((s) => s.layer === 'entity')).toBe(false);
		expect(stored.filter((s) => s.layer === 'mention').map((s) => Array.from(text).slice(s.start, s.end).join(''))).toEqual(expect.arrayContaining(['Sergueï Lavrov', 'Lavrov']));
	});

	it('refuses an unknown document', () => {
		expect(() => runQuoteRules(temp.db, 9999)).toThrow('document 9999 does not exist');
	});

	it('as a pre-annotation step, takes the entities of the NER step of the same run', () => {
		const start = cp('Sergueï Lavrov');
		const step = createQuoteStep();
		const output = step.run({
			document: { id: documentId, projectId: temp.project.id, text },
			project: temp.project,
			results: new Map([['ner', { spans: [{ layer: 'entity', start, end: start + 14, label: 'PER', origin: 'model', provenance: 'model:x@1' }] }]])
		}) as { spans: { layer: string; start: number }[] };
		expect(step.owner).toBe(QUOTE_RULES_PROVENANCE);
		expect(step.supersedes('rules:quotes@0')).toBe(true);
		expect(step.supersedes('model:x@1')).toBe(false);
		expect(output.spans.some((s) => s.layer === 'entity' && s.start === start)).toBe(true);
	});
});
