// Assignment: balanced, never twice to one person, deterministic, incremental.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';
import { createAccount, setAccountDisabled, setAccountRole } from '../../src/lib/server/auth/accounts';
import {
	countAssignedDocuments,
	getNextDocumentForUser,
	isAssigned,
	listAnnotatorProgress,
	listAssignedDocumentIds,
	listDocumentProgress,
	setAnnotatorsPerDocument,
	syncAssignments
} from '../../src/lib/server/assignment';
import { getOrCreateSet } from '../../src/lib/server/db/annotation-sets';
import { countDocumentsByStatus, listDocuments } from '../../src/lib/server/db/documents';
import { annotationSets } from '../../src/lib/server/db/schema';
import { eq } from 'drizzle-orm';

let temp: TempDatabase;
beforeEach(() => {
	temp = createTempDatabase();
});
afterEach(() => temp.close());

function addDocuments(count: number, from = 0): number[] {
	const insert = temp.db.$client.prepare(
		`INSERT INTO documents (project_id, external_id, title, raw_text, text, content_hash, cleaning, word_count, char_count)
		 VALUES (?, ?, ?, 'x', 'x', ?, '{}', 1, 1) RETURNING id`
	);
	return Array.from({ length: count }, (_, i) => (insert.get(temp.project.id, `d${from + i}`, `Doc ${from + i}`, `h${from + i}`) as { id: number }).id);
}

const annotator = (name: string) => createAccount(temp.db, { username: name, role: 'annotator', password: 'long enough pw' });

function assignmentRows() {
	return temp.db.$client.prepare('SELECT document_id AS d, user_id AS u FROM assignments ORDER BY d, u').all() as { d: number; u: number }[];
}

describe('assignment', () => {
	it('gives each document k distinct annotators, balanced', () => {
		const docs = addDocuments(10);
		const people = ['ann', 'bea', 'cid'].map(annotator);
		createAccount(temp.db, { username: 'rev', role: 'reviewer', password: 'long enough pw' });
		setAnnotatorsPerDocument(temp.db, temp.project.id, 2);
		const rows = assignmentRows();
		expect(rows).toHaveLength(20);
		for (const id of docs) {
			const users = rows.filter((r) => r.d === id).map((r) => r.u);
			expect(new Set(users).size).toBe(2);
		}
		const loads = people.map((p) => rows.filter((r) => r.u === p.id).length);
		expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
		// Reviewers get no queue.
		expect(listAnnotatorProgress(temp.db, temp.project.id).map((a) => a.username)).toEqual(['ann', 'bea', 'cid']);
	});

	it('is deterministic: the same state gives the same assignments', () => {
		const run = () => {
			const t = createTempDatabase();
			const insert = t.db.$client.prepare(
				`INSERT INTO documents (project_id, external_id, title, raw_text, text, content_hash, cleaning, word_count, char_count)
				 VALUES (?, ?, 't', 'x', 'x', ?, '{}', 1, 1)`
			);
			for (let i = 0; i < 7; i++) insert.run(t.project.id, `d${i}`, `h${i}`);
			for (const name of ['ann', 'bea', 'cid']) createAccount(t.db, { username: name, role: 'annotator', password: 'long enough pw' });
			setAnnotatorsPerDocument(t.db, t.project.id, 2);
			const rows = t.db.$client.prepare('SELECT document_id AS d, user_id AS u FROM assignments ORDER BY d, u').all();
			t.close();
			return rows;
		};
		expect(run()).toEqual(run());
	});

	it('extends incrementally when documents and annotators are added, never moving work', () => {
		addDocuments(4);
		const ann = annotator('ann');
		const bea = annotator('bea');
		syncAssignments(temp.db, temp.project.id);
		const before = assignmentRows();
		expect(before).toHaveLength(4);
		const cid = annotator('cid');
		addDocuments(4, 100);
		expect(syncAssignments(temp.db, temp.project.id)).toBe(4);
		const after = assignmentRows();
		expect(after.slice(0, 4)).toEqual(before);
		// The newcomer catches up first: 2 of the 4 new documents go to cid (loads 2,2,0 -> then balanced).
		const load = (id: number) => after.filter((r) => r.u === id).length;
		expect([load(ann.id), load(bea.id), load(cid.id)]).toEqual([3, 3, 2]);
		expect(syncAssignments(temp.db, temp.project.id)).toBe(0);
		// Raising k adds a second annotator to every document, still distinct.
		setAnnotatorsPerDocument(temp.db, temp.project.id, 2);
		const raised = assignmentRows();
		expect(raised).toHaveLength(16);
		expect(new Set(raised.map((r) => `${r.d}:${r.u}`)).size).toBe(16);
		// k above the team size is capped: each document gets everyone, once.
		setAnnotatorsPerDocument(temp.db, temp.project.id, 5);
		expect(assignmentRows()).toHaveLength(24);
	});

	it('sends new documents to whoever has the least work left, not the fewest documents ever given', () => {
		const docs = addDocuments(4);
		const [ann, bea] = ['ann', 'bea'].map(annotator);
		syncAssignments(temp.db, temp.project.id);
		for (const id of listAssignedDocumentIds(temp.db, temp.project.id, ann.id)) {
			const set = getOrCreateSet(temp.db, id, 'ann', { userId: ann.id });
			temp.db.update(annotationSets).set({ status: 'done', revision: 1 }).where(eq(annotationSets.id, set.id)).run();
		}
		const fresh = addDocuments(2, 100);
		syncAssignments(temp.db, temp.project.id);
		// ann has finished her two; bea has two to go: both new documents are ann's.
		expect(listAssignedDocumentIds(temp.db, temp.project.id, ann.id)).toEqual([docs[0], docs[2], ...fresh]);
		expect(listAssignedDocumentIds(temp.db, temp.project.id, bea.id)).toEqual([docs[1], docs[3]]);
	});

	it('reassigns the remaining work of a disabled annotator', () => {
		addDocuments(2);
		const ann = annotator('ann');
		createAccount(temp.db, { username: 'root', role: 'admin', password: 'long enough pw' });
		syncAssignments(temp.db, temp.project.id);
		const bea = annotator('bea');
		setAccountDisabled(temp.db, ann.id, true);
		syncAssignments(temp.db, temp.project.id);
		expect(listAssignedDocumentIds(temp.db, temp.project.id, bea.id)).toHaveLength(2);
	});

	it('follows role changes at once: a new reviewer hands their queue on, a new annotator takes a share', () => {
		const ids = addDocuments(4);
		const ann = annotator('ann');
		const bea = annotator('bea');
		const rev = createAccount(temp.db, { username: 'rev', role: 'reviewer', password: 'long enough pw' });
		syncAssignments(temp.db, temp.project.id);
		expect(listAssignedDocumentIds(temp.db, temp.project.id, ann.id)).toEqual([ids[0], ids[2]]);

		// No reader has to come by first: the change itself assigns what is missing.
		setAccountRole(temp.db, ann.id, 'reviewer');
		expect(listAssignedDocumentIds(temp.db, temp.project.id, bea.id)).toEqual(ids);
		expect(listAnnotatorProgress(temp.db, temp.project.id).map((row) => row.username)).toEqual(['bea']);

		setAccountRole(temp.db, rev.id, 'annotator');
		setAnnotatorsPerDocument(temp.db, temp.project.id, 2);
		expect(listAssignedDocumentIds(temp.db, temp.project.id, rev.id)).toEqual(ids);
		expect(listAnnotatorProgress(temp.db, temp.project.id).map((row) => row.username)).toEqual(['bea', 'rev']);
	});

	it('serves the queue: next unfinished document after the current one, wrapping, null when done', () => {
		const docs = addDocuments(4);
		const ann = annotator('ann');
		expect(isAssigned(temp.db, temp.project.id, docs[0], ann.id)).toBe(true);
		expect(getNextDocumentForUser(temp.db, temp.project.id, ann.id)).toBe(docs[0]);
		expect(getNextDocumentForUser(temp.db, temp.project.id, ann.id, docs[1])).toBe(docs[2]);
		const set = getOrCreateSet(temp.db, docs[2], 'ann', { userId: ann.id });
		temp.db.update(annotationSets).set({ status: 'done' }).where(eq(annotationSets.id, set.id)).run();
		expect(getNextDocumentForUser(temp.db, temp.project.id, ann.id, docs[1])).toBe(docs[3]);
		expect(getNextDocumentForUser(temp.db, temp.project.id, ann.id, docs[3])).toBe(docs[0]);
		for (const id of [docs[0], docs[1], docs[3]]) {
			const s = getOrCreateSet(temp.db, id, 'ann', { userId: ann.id });
			temp.db.update(annotationSets).set({ status: id === docs[1] ? 'skipped' : 'done' }).where(eq(annotationSets.id, s.id)).run();
		}
		expect(getNextDocumentForUser(temp.db, temp.project.id, ann.id, docs[3])).toBeNull();
		const progress = listAnnotatorProgress(temp.db, temp.project.id)[0];
		expect(progress).toMatchObject({ username: 'ann', assigned: 4, done: 3, skipped: 1 });
		const perDocument = listDocumentProgress(temp.db, temp.project.id);
		expect(perDocument[2]).toMatchObject({ assigned: 1, done: 1, annotators: [{ username: 'ann', status: 'done' }] });
	});

	it("lists a user's queue: the document list and its progress counts keep to the assigned documents", () => {
		addDocuments(6);
		const [ann, bea] = ['ann', 'bea'].map(annotator);
		setAnnotatorsPerDocument(temp.db, temp.project.id, 1);
		const annQueue = listAssignedDocumentIds(temp.db, temp.project.id, ann.id);
		expect(annQueue).toHaveLength(3);
		expect(countAssignedDocuments(temp.db, temp.project.id, ann.id)).toBe(3);
		const set = getOrCreateSet(temp.db, annQueue[1], 'ann', { userId: ann.id });
		temp.db.update(annotationSets).set({ status: 'done' }).where(eq(annotationSets.id, set.id)).run();

		const list = (assignedTo?: number, extra = {}) => listDocuments(temp.db, { projectId: temp.project.id, owner: 'ann', assignedTo, limit: 2, ...extra });
		const first = list(ann.id);
		expect(first.total).toBe(3);
		expect(first.rows.map((row) => row.id)).toEqual(annQueue.slice(0, 2));
		// Keyset paging stays inside the queue.
		const second = list(ann.id, { cursor: first.rows[1].id });
		expect(second.rows.map((row) => row.id)).toEqual(annQueue.slice(2));
		expect(second).toMatchObject({ firstPosition: 3, hasPrevious: true, hasNext: false });
		expect(list(ann.id, { status: 'done' }).rows.map((row) => row.id)).toEqual([annQueue[1]]);
		expect(list(undefined).total).toBe(6);
		expect(list(bea.id).rows.map((row) => row.id)).not.toContain(annQueue[0]);

		expect(countDocumentsByStatus(temp.db, temp.project.id, 'ann', ann.id)).toEqual({ todo: 2, in_progress: 0, done: 1, skipped: 0 });
		expect(countDocumentsByStatus(temp.db, temp.project.id, 'ann')).toEqual({ todo: 5, in_progress: 0, done: 1, skipped: 0 });
		expect(countAssignedDocuments(temp.db, temp.project.id, createAccount(temp.db, { username: 'rev', role: 'reviewer', password: 'long enough pw' }).id)).toBe(0);
	});
});
