// Assignment: balanced, never twice to one person, deterministic, incremental; rebalanced as the
// team grows, moving only what nobody has started, and never losing the work of someone who had a
// moved document open.
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
	rebalanceAssignments,
	setAnnotatorsPerDocument,
	syncAssignments
} from '../../src/lib/server/assignment';
import { saveAnnotations } from '../../src/lib/server/annotation/save-annotations';
import { loadAnnotatorSet } from '../../src/lib/server/annotation/load-annotations';
import { DEFAULT_LABEL_SCHEMA } from '../../src/lib/domain/label-schema';
import type { User } from '../../src/lib/server/db/users';
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

describe('rebalancing', () => {
	const queue = (user: { id: number }) => listAssignedDocumentIds(temp.db, temp.project.id, user.id);
	const loads = (...users: { id: number }[]) => users.map((user) => queue(user).length);
	/** Gives `user` a set in the document as the workspace would leave it: saved (revision 1) with `status`, or opened only (revision 0, todo). */
	function setWork(documentId: number, user: User, status: 'todo' | 'in_progress' | 'done' | 'skipped', revision = 1) {
		const set = getOrCreateSet(temp.db, documentId, user.username, { userId: user.id });
		temp.db.$client.prepare('UPDATE annotation_sets SET status = ?, revision = ? WHERE id = ?').run(status, revision, set.id);
	}
	let saves = 0;
	const saveEntity = (documentId: number, user: User) =>
		saveAnnotations(temp.db, {
			documentId,
			user,
			textLength: 1,
			labelSchema: DEFAULT_LABEL_SCHEMA,
			baseRevision: 0,
			operations: [{ type: 'add', span: { layer: 'entity', start: 0, end: 1, label: 'PER', attributes: {}, origin: 'human', score: null, provenance: `human:${user.username}`, decision: null } }],
			saveId: `rebalance-save-${++saves}`
		});

	it('keeps queues even as annotators join one after another, then when each document gets two', () => {
		// The Admin page: each account created, the page shown again (a reader: it assigns what is missing).
		const docs = addDocuments(9);
		const alice = annotator('alice');
		listAnnotatorProgress(temp.db, temp.project.id);
		expect(queue(alice)).toEqual(docs);
		const bruno = annotator('bruno');
		listAnnotatorProgress(temp.db, temp.project.id);
		// A reader never moves work: only the rebalance does.
		expect(loads(alice, bruno)).toEqual([9, 0]);
		expect(rebalanceAssignments(temp.db, temp.project.id)).toEqual({ moved: 4, released: [], reassignments: [{ from: 'alice', to: 'bruno', count: 4 }], unbalanced: false });
		// The end of alice's queue moves: she works from the start of it.
		expect(queue(bruno)).toEqual(docs.slice(5));
		const chloe = annotator('chloe');
		expect(rebalanceAssignments(temp.db, temp.project.id)).toEqual({
			moved: 3,
			released: [],
			reassignments: [
				{ from: 'alice', to: 'chloe', count: 2 },
				{ from: 'bruno', to: 'chloe', count: 1 }
			],
			unbalanced: false
		});
		expect(loads(alice, bruno, chloe)).toEqual([3, 3, 3]);
		// Was alice 9, bruno 5, chloe 4.
		setAnnotatorsPerDocument(temp.db, temp.project.id, 2);
		expect(loads(alice, bruno, chloe)).toEqual([6, 6, 6]);
		for (const id of docs) expect(new Set(assignmentRows().filter((r) => r.d === id).map((r) => r.u)).size).toBe(2);
		// Balanced already: a second run moves nothing, and the same state gives the same moves.
		expect(rebalanceAssignments(temp.db, temp.project.id)).toEqual({ moved: 0, released: [], reassignments: [], unbalanced: false });
	});

	it('never moves a document its annotator has saved, finished or skipped; an opened, unsaved one may move', () => {
		const docs = addDocuments(9);
		const alice = annotator('alice');
		syncAssignments(temp.db, temp.project.id);
		setWork(docs[8], alice, 'in_progress');
		setWork(docs[7], alice, 'done');
		setWork(docs[6], alice, 'skipped');
		// Edited, then put back to todo: started all the same.
		setWork(docs[5], alice, 'todo', 3);
		setWork(docs[4], alice, 'todo', 0);
		const bruno = annotator('bruno');
		// Work left: alice 7 (two finished), bruno 0; only docs[4] and below can move.
		expect(rebalanceAssignments(temp.db, temp.project.id)).toMatchObject({ moved: 3, unbalanced: false });
		expect(queue(bruno)).toEqual(docs.slice(2, 5));
		expect(queue(alice)).toEqual([...docs.slice(0, 2), ...docs.slice(5)]);
		expect(listAnnotatorProgress(temp.db, temp.project.id).map((row) => [row.username, row.assigned, row.done, row.skipped])).toEqual([
			['alice', 6, 1, 1],
			['bruno', 3, 0, 0]
		]);
	});

	it('says when the queues stay uneven because what would even them out is started', () => {
		const docs = addDocuments(3);
		const alice = annotator('alice');
		syncAssignments(temp.db, temp.project.id);
		for (const id of docs) setWork(id, alice, 'in_progress');
		const bruno = annotator('bruno');
		expect(rebalanceAssignments(temp.db, temp.project.id)).toEqual({ moved: 0, released: [], reassignments: [], unbalanced: true });
		expect(loads(alice, bruno)).toEqual([3, 0]);
	});

	it('keeps double annotation: distinct annotators per document, none given a document they have work in', () => {
		const docs = addDocuments(6);
		const [ann, bea] = ['ann', 'bea'].map(annotator);
		setAnnotatorsPerDocument(temp.db, temp.project.id, 2);
		const cid = annotator('cid');
		// cid annotated the last document from the whole corpus before joining the team's queues.
		setWork(docs[5], cid, 'in_progress');
		const report = rebalanceAssignments(temp.db, temp.project.id);
		expect(report).toMatchObject({ moved: 4, unbalanced: false });
		expect(loads(ann, bea, cid)).toEqual([4, 4, 4]);
		const rows = assignmentRows();
		expect(rows).toHaveLength(12);
		for (const id of docs) expect(new Set(rows.filter((r) => r.d === id).map((r) => r.u)).size).toBe(2);
		expect(queue(cid)).not.toContain(docs[5]);
		// A disabled annotator neither gives nor receives.
		setAccountDisabled(temp.db, bea.id, true);
		const beaQueue = queue(bea);
		rebalanceAssignments(temp.db, temp.project.id);
		expect(queue(bea)).toEqual(beaQueue);
	});

	it('removes the assignments beyond the number per document that nobody started: after a re-enabling, or a lower number', () => {
		const docs = addDocuments(4);
		const ann = annotator('ann');
		syncAssignments(temp.db, temp.project.id);
		const bea = annotator('bea');
		setAccountDisabled(temp.db, ann.id, true);
		rebalanceAssignments(temp.db, temp.project.id);
		expect(queue(bea)).toEqual(docs);
		setWork(docs[0], bea, 'in_progress');
		setWork(docs[1], ann, 'in_progress');
		// ann is back: her old assignments return with her, each document now has two annotators.
		setAccountDisabled(temp.db, ann.id, false);
		const report = rebalanceAssignments(temp.db, temp.project.id);
		// Whoever has started a document keeps it; the others go, from the most loaded queue first.
		expect(report).toMatchObject({ released: [{ username: 'ann', count: 2 }, { username: 'bea', count: 2 }], unbalanced: false });
		for (const id of docs) expect(assignmentRows().filter((r) => r.d === id)).toHaveLength(1);
		expect(queue(bea)).toContain(docs[0]);
		expect(queue(ann)).toContain(docs[1]);
		expect(loads(ann, bea)).toEqual([2, 2]);
		// Two per document, then one again: the extra ones nobody started go.
		setAnnotatorsPerDocument(temp.db, temp.project.id, 2);
		expect(assignmentRows()).toHaveLength(8);
		expect(setAnnotatorsPerDocument(temp.db, temp.project.id, 1).released.reduce((sum, r) => sum + r.count, 0)).toBe(4);
		expect(loads(ann, bea)).toEqual([2, 2]);
		expect(queue(bea)).toContain(docs[0]);
		expect(queue(ann)).toContain(docs[1]);
	});

	it('gives a moved document back to the annotator who had it open and saves their work under their name', () => {
		const docs = addDocuments(4);
		const alice = annotator('alice');
		syncAssignments(temp.db, temp.project.id);
		// alice opens the last document of her queue (nothing saved yet), and bruno joins meanwhile.
		const opened = loadAnnotatorSet(temp.db, docs[3], 'alice');
		expect(opened.revision).toBe(0);
		const bruno = annotator('bruno');
		rebalanceAssignments(temp.db, temp.project.id);
		expect(queue(bruno)).toEqual(docs.slice(2));
		// Her first save, on the revision she opened: saved in her set, and the document is hers again.
		expect(saveEntity(docs[3], alice)).toMatchObject({ outcome: 'saved', revision: 1 });
		expect(loadAnnotatorSet(temp.db, docs[3], 'alice').snapshot.spans).toHaveLength(1);
		expect(queue(alice)).toEqual([docs[0], docs[1], docs[3]]);
		expect(queue(bruno)).toEqual([docs[2]]);
		// bruno had started the other one before alice's save: it stays his and becomes hers too.
		expect(saveEntity(docs[2], bruno)).toMatchObject({ outcome: 'saved' });
		expect(saveEntity(docs[2], alice)).toMatchObject({ outcome: 'saved' });
		expect(queue(alice)).toEqual(docs);
		expect(queue(bruno)).toEqual([docs[2]]);
		// A save in a document never moved from her changes no queue.
		const other = annotator('chloe');
		expect(saveEntity(docs[0], other)).toMatchObject({ outcome: 'saved' });
		expect(queue(other)).toEqual([]);
	});
});
