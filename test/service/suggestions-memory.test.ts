import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importUploads } from '../../src/lib/server/import';
import { getOrCreateSet, replaceSetContent } from '../../src/lib/server/db/annotation-sets';
import { createMemoryStep, listMemory, memoryOwner, recordEntitySave, refreshMemorySuggestions, suggestFromMemory, updateMemoryEntry } from '../../src/lib/server/memory';
import { gazetteerOwner, suggestPlaces } from '../../src/lib/server/gazetteer';
import { createTempDatabase, insertTestDocument, type TempDatabase } from '../helpers/temp-db';

let temp: TempDatabase;
beforeEach(() => (temp = createTempDatabase()));
afterEach(() => temp.close());

function addDocuments(texts: string[]): number[] {
	const lines = texts.map((text, i) => JSON.stringify({ id: `d${i}`, text }));
	importUploads(temp.db, temp.project, [{ name: 'docs.jsonl', bytes: new TextEncoder().encode(lines.join('\n')) }]);
	return (temp.db.$client.prepare('SELECT id FROM documents ORDER BY id').all() as { id: number }[]).map((r) => r.id);
}

/** A stored document, as recordEntitySave takes it. */
function memoryDocument(text: string) {
	return { id: insertTestDocument(temp, text, text), projectId: temp.project.id, text };
}

function setSpans(documentId: number, owner: string) {
	return temp.db.$client
		.prepare(`SELECT sp.start, sp."end", sp.label, sp.score, sp.origin FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id WHERE s.document_id = ? AND s.owner = ? ORDER BY sp.start`)
		.all(documentId, owner) as { start: number; end: number; label: string; score: number; origin: string }[];
}

describe('entity memory', () => {
	it('learns from a save and suggests the form, after elision, in unreviewed documents', () => {
		const [annotated, other, finished] = addDocuments([
			'Le sommet de l’Otan à Munich.',
			"L'Otan répond. OTAN en capitales ne compte pas.",
			'Otan encore, mais ce document est terminé.'
		]);
		temp.db.$client.prepare("INSERT INTO annotation_sets (document_id, owner, owner_kind, status) VALUES (?, 'bob', 'annotator', 'done')").run(finished);
		const touched = recordEntitySave(temp.db, { id: annotated, projectId: temp.project.id, text: 'Le sommet de l’Otan à Munich.' }, [], [{ start: 15, end: 19, label: 'ORG' }], { becameDone: false });
		expect(touched).toEqual(['Otan']);
		expect(listMemory(temp.db, temp.project.id)[0]).toMatchObject({ surface: 'Otan', labels: { ORG: 1 }, suggestion: { label: 'ORG', confidence: 0.5 } });

		expect(refreshMemorySuggestions(temp.db, temp.project.id, touched, { excludeDocumentId: annotated })).toBe(1);
		expect(setSpans(other, memoryOwner('default'))).toEqual([{ start: 2, end: 6, label: 'ORG', score: 0.5, origin: 'memory' }]);
		expect(setSpans(annotated, memoryOwner('default'))).toEqual([]);
		expect(setSpans(finished, memoryOwner('default'))).toEqual([]);
	});

	it('counts removals and unlabelled sightings, and lowers confidence until it stops suggesting', () => {
		const text = 'Orange a publié ses comptes. Orange monte. Orange recrute.';
		const doc = memoryDocument(text);
		const both = [{ start: 0, end: 6, label: 'ORG' }, { start: 29, end: 35, label: 'ORG' }];
		recordEntitySave(temp.db, doc, [], both, { becameDone: false });
		// The annotator finishes the document with two of the three labelled: the third is unlabelled.
		recordEntitySave(temp.db, doc, both, both, { becameDone: true });
		expect(listMemory(temp.db, temp.project.id)[0]).toMatchObject({ labels: { ORG: 2 }, unlabelled: 1, suggestion: { label: 'ORG', confidence: 0.5 } });
		// Removing the label: no labelled sightings left, nothing suggested.
		recordEntitySave(temp.db, doc, both, [], { becameDone: false });
		expect(listMemory(temp.db, temp.project.id)[0]).toMatchObject({ labels: {}, unlabelled: 1, suggestion: null });
	});

	it('keeps no empty entries from boundaries moved or labels undone on the way', () => {
		const text = 'Les diplomates russes ont quitté Vienne.';
		const doc = memoryDocument(text);
		const wide = { start: 0, end: 21, label: 'ORG' };
		const narrow = { start: 4, end: 21, label: 'ORG' };
		recordEntitySave(temp.db, doc, [], [wide], { becameDone: false });
		recordEntitySave(temp.db, doc, [wide], [narrow], { becameDone: false });
		expect(listMemory(temp.db, temp.project.id).map((e) => [e.surface, e.labels])).toEqual([['diplomates russes', { ORG: 1 }]]);
		// Relabelled: the old label goes, the form stays with the new one.
		recordEntitySave(temp.db, doc, [narrow], [{ ...narrow, label: 'MISC' }], { becameDone: false });
		expect(listMemory(temp.db, temp.project.id).map((e) => [e.surface, e.labels])).toEqual([['diplomates russes', { MISC: 1 }]]);
		// Undone: nothing left to remember.
		recordEntitySave(temp.db, doc, [{ ...narrow, label: 'MISC' }], [], { becameDone: false });
		expect(listMemory(temp.db, temp.project.id)).toEqual([]);
		// A form an admin decided on stays even with no sighting.
		recordEntitySave(temp.db, doc, [], [narrow], { becameDone: false });
		updateMemoryEntry(temp.db, temp.project.id, listMemory(temp.db, temp.project.id)[0].id, { blocked: true });
		recordEntitySave(temp.db, doc, [narrow], [], { becameDone: false });
		expect(listMemory(temp.db, temp.project.id)).toMatchObject([{ surface: 'diplomates russes', labels: {}, blocked: true }]);
	});

	it('lets an admin force a label, block a form, or remove it', () => {
		const [doc] = addDocuments(['Apple et Orange.']);
		recordEntitySave(temp.db, { id: doc, projectId: temp.project.id, text: 'Apple et Orange.' }, [], [{ start: 0, end: 5, label: 'ORG' }, { start: 9, end: 15, label: 'LOC' }], { becameDone: false });
		const [orange, apple] = listMemory(temp.db, temp.project.id).sort((a, b) => b.surface.localeCompare(a.surface));
		updateMemoryEntry(temp.db, temp.project.id, orange.id, { forcedLabel: 'ORG' });
		updateMemoryEntry(temp.db, temp.project.id, apple.id, { blocked: true });
		suggestFromMemory(temp.db, doc);
		expect(setSpans(doc, memoryOwner('default')).map((s) => [s.start, s.label])).toEqual([[9, 'ORG']]);
		updateMemoryEntry(temp.db, temp.project.id, orange.id, { remove: true });
		expect(listMemory(temp.db, temp.project.id).map((e) => e.surface)).toEqual(['Apple']);
		// The document's own part of the removed entry goes with it.
		expect(temp.db.$client.prepare('SELECT surface_id AS surfaceId, label, count FROM memory_document_labels').all()).toEqual([{ surfaceId: apple.id, label: 'ORG', count: 1 }]);
	});
});

describe('gazetteer suggestions', () => {
	it('suggests places the model missed, guards ambiguous forms, and leaves model entities alone', () => {
		const text = 'Les États-Unis et la Russie se retrouvent à Tours. Tours de magie. Réunion en Bretagne.';
		const [doc] = addDocuments([text]);
		const model = getOrCreateSet(temp.db, doc, 'model:test@abc');
		replaceSetContent(temp.db, model.id, [{ layer: 'entity', start: 21, end: 27, label: 'LOC', origin: 'model', score: 0.9, provenance: 'model:test@abc' }]);
		suggestPlaces(temp.db, doc);
		const spans = setSpans(doc, gazetteerOwner()).map((s) => [text.slice(s.start, s.end), s.score]);
		expect(spans).toEqual([
			['États-Unis', 0.7],
			['Tours', 0.4],
			['Bretagne', 0.7]
		]);
	});
});

describe('memory and the annotators’ saves', () => {
	it('never suggests on a document what only that document’s own annotations support', async () => {
		const { saveAnnotations } = await import('../../src/lib/server/annotation/save-annotations');
		const { ensureUser } = await import('../../src/lib/server/db/users');
		const { DEFAULT_LABEL_SCHEMA } = await import('../../src/lib/domain/label-schema');
		// D is assigned to ana and bob; E is another unreviewed document with the same form.
		const [d, e] = addDocuments(['Le chef de l’Otan parle.', 'Les alliés de l’Otan écoutent.']);
		const ana = ensureUser(temp.db, 'ana');
		const otan = (start: number) => ({ layer: 'entity' as const, start, end: start + 4, label: 'ORG', attributes: {}, origin: 'human' as const, score: null, provenance: 'human:ana', decision: null });
		const save = (documentId: number, textLength: number, start: number) =>
			saveAnnotations(temp.db, { documentId, user: ana, textLength, labelSchema: DEFAULT_LABEL_SCHEMA, baseRevision: 0, saveId: `otan-${documentId}`, operations: [{ type: 'add', span: otan(start) }] });
		const memorySpans = (documentId: number) => setSpans(documentId, memoryOwner('default')).map((s) => [s.start, s.label, s.score]);

		expect(save(d, 24, 13).outcome).toBe('saved');
		// E learns from ana's work on D at once; D itself, whoever computes its suggestions, does not.
		expect(memorySpans(e)).toEqual([[16, 'ORG', 0.5]]);
		suggestFromMemory(temp.db, d);
		expect(memorySpans(d)).toEqual([]);
		const step = createMemoryStep(temp.db, temp.project);
		const document = { id: d, projectId: temp.project.id, text: 'Le chef de l’Otan parle.' };
		expect(step.run({ document, project: temp.project, results: new Map() })).toEqual({ spans: [] });

		// Ana's label on E does reach D, scored on E's sighting alone (1 / 2, not 2 / 3).
		expect(save(e, 30, 16).outcome).toBe('saved');
		expect(memorySpans(d)).toEqual([[13, 'ORG', 0.5]]);
		expect(temp.db.$client.prepare('SELECT document_id AS documentId, label, count FROM memory_document_labels ORDER BY document_id').all()).toEqual([
			{ documentId: d, label: 'ORG', count: 1 },
			{ documentId: e, label: 'ORG', count: 1 }
		]);
	});

	it('leaves out a finished document’s own unlabelled sightings, and keeps counts from before per-document records', () => {
		const labelled = memoryDocument('Orange recrute.');
		const finished = memoryDocument('Orange monte. Orange baisse.');
		recordEntitySave(temp.db, labelled, [], [{ start: 0, end: 6, label: 'ORG' }], { becameDone: false });
		// Finished with both Orange unlabelled: overall 1 / (1 + 2 + 1) is too low to suggest…
		recordEntitySave(temp.db, finished, [], [], { becameDone: true });
		expect(listMemory(temp.db, temp.project.id)[0]).toMatchObject({ labels: { ORG: 1 }, unlabelled: 2, suggestion: null });
		// …but a second annotator of that document is not swayed by the first leaving them out.
		suggestFromMemory(temp.db, finished.id);
		expect(setSpans(finished.id, memoryOwner('default')).map((s) => [s.start, s.score])).toEqual([[0, 0.5], [14, 0.5]]);

		// A count with no per-document record (an older database) still counts, on every document.
		suggestFromMemory(temp.db, labelled.id);
		expect(setSpans(labelled.id, memoryOwner('default'))).toEqual([]);
		temp.db.$client.prepare('DELETE FROM memory_document_labels').run();
		temp.db.$client.prepare('DELETE FROM memory_document_unlabelled').run();
		temp.db.$client.prepare('UPDATE memory_surfaces SET unlabelled_count = 0').run();
		suggestFromMemory(temp.db, labelled.id);
		expect(setSpans(labelled.id, memoryOwner('default')).map((s) => s.score)).toEqual([0.5]);
	});

	it('learns when an annotator saves an entity, and suggests it in another unreviewed document at once', async () => {
		const { saveAnnotations } = await import('../../src/lib/server/annotation/save-annotations');
		const { ensureUser } = await import('../../src/lib/server/db/users');
		const { DEFAULT_LABEL_SCHEMA } = await import('../../src/lib/domain/label-schema');
		const [first, second] = addDocuments(['Le chef de l’Otan parle.', 'Les alliés de l’Otan écoutent.']);
		const ana = ensureUser(temp.db, 'ana');
		const span = { layer: 'entity' as const, start: 13, end: 17, label: 'ORG', attributes: {}, origin: 'human' as const, score: null, provenance: 'human:ana', decision: null };
		const result = saveAnnotations(temp.db, {
			documentId: first,
			user: ana,
			textLength: 24,
			labelSchema: DEFAULT_LABEL_SCHEMA,
			baseRevision: 0,
			saveId: 'memory-1',
			operations: [{ type: 'add', span }]
		});
		expect(result.outcome).toBe('saved');
		expect(listMemory(temp.db, temp.project.id)).toMatchObject([{ surface: 'Otan', labels: { ORG: 1 } }]);
		expect(setSpans(second, memoryOwner('default'))).toEqual([{ start: 16, end: 20, label: 'ORG', score: 0.5, origin: 'memory' }]);
	});
});
