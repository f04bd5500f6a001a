import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importUploads } from '../../src/lib/server/import';
import { getOrCreateSet, replaceSetContent } from '../../src/lib/server/db/annotation-sets';
import {
	createMemoryStep,
	forgetMemoryMatcher,
	listMemory,
	matchMemory,
	MemoryMatcher,
	memoryMatcher,
	memoryOwner,
	recordEntitySave,
	recountUnlabelledSightings,
	refreshMemorySuggestions,
	suggestFromMemory,
	updateMemoryEntry
} from '../../src/lib/server/memory';
import { gazetteerOwner, suggestPlaces } from '../../src/lib/server/gazetteer';
import { saveAnnotations } from '../../src/lib/server/annotation/save-annotations';
import { saveLabelSchema } from '../../src/lib/server/annotation/label-schema-settings';
import { inTransaction, openDatabase } from '../../src/lib/server/db/client';
import { ensureUser } from '../../src/lib/server/db/users';
import { DEFAULT_LABEL_SCHEMA } from '../../src/lib/domain/label-schema';
import type { Operation } from '../../src/lib/domain/editing/operations';
import type { EditSpan } from '../../src/lib/domain/editing/state';
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

/** Stores `owner`'s set of the document as finished with these entities, and counts what it left unlabelled, as a save marking it done does. */
function finish(document: { id: number; projectId: number; text: string }, owner: string, entities: { start: number; end: number; label: string }[]): string[] {
	const set = getOrCreateSet(temp.db, document.id, owner, { status: 'done' });
	replaceSetContent(temp.db, set.id, entities.map((e) => ({ layer: 'entity' as const, ...e, origin: 'human' as const, provenance: `human:${owner}` })));
	return recountUnlabelledSightings(temp.db, document);
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
		const touched = recordEntitySave(temp.db, { id: annotated, projectId: temp.project.id, text: 'Le sommet de l’Otan à Munich.' }, [], [{ start: 15, end: 19, label: 'ORG' }]);
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
		recordEntitySave(temp.db, doc, [], both);
		// The annotator finishes the document with two of the three labelled: the third is unlabelled.
		finish(doc, 'ana', both);
		expect(listMemory(temp.db, temp.project.id)[0]).toMatchObject({ labels: { ORG: 2 }, unlabelled: 1, suggestion: { label: 'ORG', confidence: 0.5 } });
		// Removing the label: no labelled sightings left, nothing suggested.
		recordEntitySave(temp.db, doc, both, []);
		expect(listMemory(temp.db, temp.project.id)[0]).toMatchObject({ labels: {}, unlabelled: 1, suggestion: null });
	});

	it('keeps no empty entries from boundaries moved or labels undone on the way', () => {
		const text = 'Les diplomates russes ont quitté Vienne.';
		const doc = memoryDocument(text);
		const wide = { start: 0, end: 21, label: 'ORG' };
		const narrow = { start: 4, end: 21, label: 'ORG' };
		recordEntitySave(temp.db, doc, [], [wide]);
		recordEntitySave(temp.db, doc, [wide], [narrow]);
		expect(listMemory(temp.db, temp.project.id).map((e) => [e.surface, e.labels])).toEqual([['diplomates russes', { ORG: 1 }]]);
		// Relabelled: the old label goes, the form stays with the new one.
		recordEntitySave(temp.db, doc, [narrow], [{ ...narrow, label: 'MISC' }]);
		expect(listMemory(temp.db, temp.project.id).map((e) => [e.surface, e.labels])).toEqual([['diplomates russes', { MISC: 1 }]]);
		// Undone: nothing left to remember.
		recordEntitySave(temp.db, doc, [{ ...narrow, label: 'MISC' }], []);
		expect(listMemory(temp.db, temp.project.id)).toEqual([]);
		// A form an admin decided on stays even with no sighting.
		recordEntitySave(temp.db, doc, [], [narrow]);
		updateMemoryEntry(temp.db, temp.project.id, listMemory(temp.db, temp.project.id)[0].id, { blocked: true });
		recordEntitySave(temp.db, doc, [narrow], []);
		expect(listMemory(temp.db, temp.project.id)).toMatchObject([{ surface: 'diplomates russes', labels: {}, blocked: true }]);
	});

	it('lets an admin force a label, block a form, or remove it', () => {
		const [doc] = addDocuments(['Apple et Orange.']);
		recordEntitySave(temp.db, { id: doc, projectId: temp.project.id, text: 'Apple et Orange.' }, [], [{ start: 0, end: 5, label: 'ORG' }, { start: 9, end: 15, label: 'LOC' }]);
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
		recordEntitySave(temp.db, labelled, [], [{ start: 0, end: 6, label: 'ORG' }]);
		// Finished with both Orange unlabelled: overall 1 / (1 + 2 + 1) is too low to suggest…
		finish(finished, 'ana', []);
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
		// Written behind the memory module's back: its matcher must be told.
		forgetMemoryMatcher(temp.db, temp.project.id);
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

/** Saves of one annotator on one document through the save service, each on the revision the last one left. */
function annotator(documentId: number, text: string, username: string) {
	const user = ensureUser(temp.db, username);
	let revision = 0;
	let saves = 0;
	return (...operations: Operation[]) => {
		const result = saveAnnotations(temp.db, {
			documentId,
			user,
			textLength: [...text].length,
			labelSchema: DEFAULT_LABEL_SCHEMA,
			baseRevision: revision,
			saveId: `${username}-${documentId}-${++saves}`,
			operations
		});
		if (result.outcome !== 'saved') throw new Error(`save refused: ${JSON.stringify(result)}`);
		revision = result.revision;
	};
}

const entity = (start: number, end: number, label: string, username: string): EditSpan => ({
	layer: 'entity',
	start,
	end,
	label,
	attributes: {},
	origin: 'human',
	score: null,
	provenance: `human:${username}`,
	decision: null
});

describe('memory counts across reopened documents', () => {
	it('counts a finished document’s sightings once however often it is reopened and marked done again, for each annotator', () => {
		const text = 'Orange a publié ses comptes. Orange monte. Orange recrute.';
		const [doc] = addDocuments([text]);
		const ana = annotator(doc, text, 'ana');
		const bob = annotator(doc, text, 'bob');
		const orange = () => listMemory(temp.db, temp.project.id).find((e) => e.surface === 'Orange')!;
		const documentPart = () => temp.db.$client.prepare('SELECT count FROM memory_document_unlabelled WHERE document_id = ?').all(doc);

		ana({ type: 'add', span: entity(0, 6, 'ORG', 'ana') }, { type: 'status', before: 'in_progress', after: 'done' });
		expect(orange()).toMatchObject({ labels: { ORG: 1 }, unlabelled: 2 });
		// Reopened, the finished set's sightings are withdrawn; done again, counted once.
		ana({ type: 'status', before: 'done', after: 'in_progress' });
		expect(orange()).toMatchObject({ labels: { ORG: 1 }, unlabelled: 0 });
		for (let cycle = 0; cycle < 3; cycle++) {
			ana({ type: 'status', before: 'in_progress', after: 'done' });
			ana({ type: 'status', before: 'done', after: 'in_progress' });
		}
		ana({ type: 'status', before: 'in_progress', after: 'done' });
		expect(orange()).toMatchObject({ labels: { ORG: 1 }, unlabelled: 2 });

		// A second annotator finishing the document adds their own sightings; each keeps one part.
		bob({ type: 'status', before: 'todo', after: 'done' });
		expect(orange()).toMatchObject({ labels: { ORG: 1 }, unlabelled: 5 });
		ana({ type: 'status', before: 'done', after: 'in_progress' }, { type: 'status', before: 'in_progress', after: 'done' });
		expect(orange()).toMatchObject({ labels: { ORG: 1 }, unlabelled: 5 });
		expect(documentPart()).toEqual([{ count: 5 }]);

		// A label added to a finished set takes that sighting out of the unlabelled ones.
		ana({ type: 'add', span: entity(29, 35, 'ORG', 'ana') });
		expect(orange()).toMatchObject({ labels: { ORG: 2 }, unlabelled: 4 });
	});
});

describe('memory matcher kept between saves', () => {
	const OTHER = 'Les alliés de l’Otan écoutent.';
	const suggested = (documentId: number) => setSpans(documentId, memoryOwner('default')).map((s) => `${s.label} ${s.score}`);

	it('is reused from save to save, and follows every change: annotators’ saves, admin corrections, renames, other connections, rollbacks', () => {
		const [first, second, other] = addDocuments(['Le chef de l’Otan parle.', 'L’Otan et Orange.', OTHER]);
		const ana = annotator(first, 'Le chef de l’Otan parle.', 'ana');
		ana({ type: 'add', span: entity(13, 17, 'ORG', 'ana') });
		expect(suggested(other)).toEqual(['ORG 0.5']);
		const matcher = memoryMatcher(temp.db, temp.project.id);

		// Another annotator's save on another document: the same matcher, with the new counts.
		const bob = annotator(second, 'L’Otan et Orange.', 'bob');
		bob({ type: 'add', span: entity(2, 6, 'ORG', 'bob') });
		expect(memoryMatcher(temp.db, temp.project.id)).toBe(matcher);
		expect(suggested(other)).toEqual(['ORG 0.667']);
		bob({ type: 'remove', span: entity(2, 6, 'ORG', 'bob') }, { type: 'add', span: entity(2, 6, 'LOC', 'bob') });
		expect(suggested(other)).toEqual([]);

		// Admin corrections.
		const otan = listMemory(temp.db, temp.project.id).find((e) => e.surface === 'Otan')!;
		updateMemoryEntry(temp.db, temp.project.id, otan.id, { forcedLabel: 'ORG' });
		suggestFromMemory(temp.db, other);
		expect(suggested(other)).toEqual(['ORG 1']);
		updateMemoryEntry(temp.db, temp.project.id, otan.id, { remove: true });
		suggestFromMemory(temp.db, other);
		expect(suggested(other)).toEqual([]);
		ana({ type: 'remove', span: entity(13, 17, 'ORG', 'ana') });
		ana({ type: 'add', span: entity(13, 17, 'ORG', 'ana') });
		expect(suggested(other)).toEqual(['ORG 0.5']);

		// A label renamed in the schema.
		const renamed = { ...DEFAULT_LABEL_SCHEMA, entityLabels: DEFAULT_LABEL_SCHEMA.entityLabels.map((l) => (l.name === 'ORG' ? { ...l, name: 'ORGA' } : l)) };
		expect(saveLabelSchema(temp.db, temp.project.id, renamed, { renames: { ORG: 'ORGA' } })).toMatchObject({ ok: true });
		suggestFromMemory(temp.db, other);
		expect(suggested(other)).toEqual(['ORGA 0.5']);

		// Another connection (a script, another server process) commits: spans leave the matcher as it is…
		const script = openDatabase(temp.file);
		const kept = memoryMatcher(temp.db, temp.project.id);
		const modelSet = getOrCreateSet(script, other, 'model:test@abc');
		replaceSetContent(script, modelSet.id, [{ layer: 'entity', start: 0, end: 3, label: 'PER', origin: 'model', score: 0.9, provenance: 'model:test@abc' }]);
		expect(memoryMatcher(temp.db, temp.project.id)).toBe(kept);
		// …a change to the memory does not.

		updateMemoryEntry(script, temp.project.id, listMemory(script, temp.project.id).find((e) => e.surface === 'Otan')!.id, { blocked: true });
		script.$client.close();
		suggestFromMemory(temp.db, other);
		expect(suggested(other)).toEqual([]);
		updateMemoryEntry(temp.db, temp.project.id, listMemory(temp.db, temp.project.id).find((e) => e.surface === 'Otan')!.id, { blocked: false });

		// A save that rolls back after the matcher read its change leaves nothing of it.
		const document = { id: first, projectId: temp.project.id, text: 'Le chef de l’Otan parle.' };
		expect(() =>
			inTransaction(temp.db, () => {
				recordEntitySave(temp.db, document, [{ start: 13, end: 17, label: 'ORGA' }], [{ start: 13, end: 17, label: 'LOC' }]);
				expect(memoryMatcher(temp.db, temp.project.id).match(OTHER)[0].value.counts.labels).toEqual({ LOC: 1 });
				throw new Error('rolled back');
			})
		).toThrow('rolled back');
		expect(memoryMatcher(temp.db, temp.project.id).match(OTHER)[0].value.counts.labels).toEqual({ ORGA: 1 });
		suggestFromMemory(temp.db, other);
		expect(suggested(other)).toEqual(['ORGA 0.5']);
	});
});

describe('memory matcher built from nothing', () => {
	it('reads only what matching needs, and decides exactly as one built from the admin list', () => {
		const at = (text: string, form: string, from = 0) => {
			const start = text.indexOf(form, from);
			return { start, end: start + form.length };
		};
		const first = memoryDocument('Orange et Apple à Paris. Jean Dupont parle.');
		const second = memoryDocument('Orange recrute à Paris.');
		const third = memoryDocument('Orange Bank ouvre, Orange ferme.');
		const finished = memoryDocument('Nantes vote. Nantes gagne.');
		const labelledNantes = memoryDocument('Nantes accueille.');
		const probe = memoryDocument('Orange, Apple, Paris, Jean Dupont, Nantes et Lyon.');
		// Several labels on one form (ORG twice, LOC once), a form only the first document saw,
		// a form left unlabelled in a finished document.
		recordEntitySave(temp.db, first, [], [
			{ ...at(first.text, 'Orange'), label: 'ORG' },
			{ ...at(first.text, 'Apple'), label: 'ORG' },
			{ ...at(first.text, 'Paris'), label: 'LOC' },
			{ ...at(first.text, 'Jean Dupont'), label: 'PER' }
		]);
		recordEntitySave(temp.db, second, [], [{ ...at(second.text, 'Orange'), label: 'ORG' }, { ...at(second.text, 'Paris'), label: 'LOC' }]);
		recordEntitySave(temp.db, third, [], [{ ...at(third.text, 'Orange Bank'), label: 'ORG' }, { ...at(third.text, 'Orange', 5), label: 'LOC' }]);
		recordEntitySave(temp.db, labelledNantes, [], [{ ...at(labelledNantes.text, 'Nantes'), label: 'LOC' }]);
		finish(finished, 'ana', []);
		// Admin decisions: a forced label, a blocked form.
		const entries = listMemory(temp.db, temp.project.id);
		const idOf = (surface: string) => entries.find((e) => e.surface === surface)!.id;
		updateMemoryEntry(temp.db, temp.project.id, idOf('Apple'), { forcedLabel: 'MISC' });
		updateMemoryEntry(temp.db, temp.project.id, idOf('Paris'), { blocked: true });
		// A count from before per-document records, written behind the module's back.
		const lyon = temp.db.$client.prepare("INSERT INTO memory_surfaces (project_id, surface) VALUES (?, 'Lyon') RETURNING id").get(temp.project.id) as { id: number };
		temp.db.$client.prepare("INSERT INTO memory_labels (surface_id, label, count) VALUES (?, 'LOC', 3)").run(lyon.id);

		forgetMemoryMatcher(temp.db, temp.project.id);
		const lean = memoryMatcher(temp.db, temp.project.id);
		const full = new MemoryMatcher(listMemory(temp.db, temp.project.id, { limit: 1_000_000 }));
		expect(lean.size).toBe(full.size);
		for (const document of [first, second, third, finished, labelledNantes, probe]) {
			expect(lean.match(document.text).map((m) => m.value)).toEqual(full.match(document.text).map((m) => m.value));
			expect(matchMemory(temp.db, document, 'memory:default', lean)).toEqual(matchMemory(temp.db, document, 'memory:default', full));
		}
		// The decisions compared are the varied ones intended: forced, blocked, several labels,
		// unlabelled sightings, an older count; and each document decides without its own sightings.
		const decided = (document: { id: number; projectId: number; text: string }) =>
			matchMemory(temp.db, document, 'memory:default', lean).map((s) => `${document.text.slice(s.start, s.end)} ${s.label} ${s.score}`);
		expect(decided(probe)).toEqual(['Orange ORG 0.5', 'Apple MISC 1', 'Jean Dupont PER 0.5', 'Lyon LOC 0.75']);
		// Without the first document's ORG, Orange is ORG 1, LOC 1: too unsure to suggest there.
		expect(decided(first)).toEqual(['Apple MISC 1']);
		expect(decided(finished)).toEqual(['Nantes LOC 0.5', 'Nantes LOC 0.5']);
		expect(decided(labelledNantes)).toEqual([]);
	});
});
