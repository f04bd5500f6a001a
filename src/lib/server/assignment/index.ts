// Assignment: which annotators annotate which document. Each document of a project gets
// `annotators_per_document` distinct annotators (capped by how many there are); a document goes
// to the annotators with the least work left (assigned documents they have not finished or
// skipped; ties: lowest user id), one document at a time in id order. Readers only ever extend it:
// adding documents or annotators, or raising the number per document, assigns what is missing.
// When the team or that number changes, the admin's action also rebalances the queues
// (rebalanceAssignments), moving only documents their annotator has not started, so a newcomer
// takes a share of the existing work; a document someone has saved anything in never moves.
// Same database state in, same assignments out.
import { inTransaction, type Db } from '../db/client';
import { projects } from '../db/schema';
import { eq } from 'drizzle-orm';

export interface AnnotatorLoad {
	userId: number;
	username: string;
	displayName: string;
	disabled: boolean;
	assigned: number;
	done: number;
	inProgress: number;
	skipped: number;
}

export interface DocumentProgress {
	documentId: number;
	title: string;
	assigned: number;
	done: number;
	annotators: { username: string; status: string }[];
	goldStatus: string | null;
}

/** Annotators who receive new work: role annotator, enabled, member of the project; by id. */
function listActiveAnnotators(db: Db, projectId: number): { id: number; username: string }[] {
	return db.$client
		.prepare(
			`SELECT u.id, u.username FROM users u JOIN project_members m ON m.user_id = u.id
			  WHERE m.project_id = ? AND u.role = 'annotator' AND u.disabled = 0 ORDER BY u.id`
		)
		.all(projectId) as { id: number; username: string }[];
}

/** Sets how many annotators each document gets, assigns what is missing and rebalances the queues, in one transaction. */
export function setAnnotatorsPerDocument(db: Db, projectId: number, count: number): RebalanceReport {
	if (!Number.isInteger(count) || count < 1 || count > 20) throw new Error(`annotators per document must be an integer from 1 to 20 (got ${count})`);
	return inTransaction(db, () => {
		db.update(projects).set({ annotatorsPerDocument: count }).where(eq(projects.id, projectId)).run();
		return rebalanceAssignments(db, projectId);
	});
}

/**
 * Assigns what is missing and returns how many assignments it added. Cheap when nothing is
 * missing (one grouped query), so readers call it before showing a queue.
 */
export function syncAssignments(db: Db, projectId: number): number {
	// A quick read first: nothing to write is the common case, and needs no write lock.
	if (findMissing(db, projectId).missing.length === 0) return 0;
	return inTransaction(db, () => {
		const { missing, annotators, wanted, active } = findMissing(db, projectId);
		const sqlite = db.$client;
		const load = countOpenAssignments(db, projectId, annotators);
		const insert = sqlite.prepare('INSERT INTO assignments (project_id, document_id, user_id) VALUES (?, ?, ?)');
		let added = 0;
		for (const row of missing) {
			const taken = new Set(row.userIds);
			let need = wanted - row.userIds.filter((id) => active.has(id)).length;
			const candidates = annotators.filter((id) => !taken.has(id)).sort((a, b) => load.get(a)! - load.get(b)! || a - b);
			for (const userId of candidates) {
				if (need === 0) break;
				insert.run(projectId, row.documentId, userId);
				load.set(userId, load.get(userId)! + 1);
				need--;
				added++;
			}
		}
		return added;
	});
}

/**
 * Per annotator of `userIds`: the assigned documents they have not finished or skipped, the work
 * still ahead of them. Someone who has finished a long queue is free for new work; counting all
 * they were ever given would send it to whoever is still busy.
 */
function countOpenAssignments(db: Db, projectId: number, userIds: readonly number[]): Map<number, number> {
	const load = new Map<number, number>(userIds.map((id) => [id, 0]));
	const counts = db.$client
		.prepare(
			`SELECT a.user_id AS userId, COUNT(*) AS n FROM assignments a JOIN users u ON u.id = a.user_id
			   LEFT JOIN annotation_sets s ON s.document_id = a.document_id AND s.owner = u.username
			  WHERE a.project_id = ? AND COALESCE(s.status, 'todo') NOT IN ('done', 'skipped')
			  GROUP BY a.user_id`
		)
		.all(projectId) as { userId: number; n: number }[];
	for (const row of counts) if (load.has(row.userId)) load.set(row.userId, row.n);
	return load;
}

/** An annotator has started a document once their set has a save: any revision, or a status other than todo. */
const STARTED_SET = `(s.revision > 0 OR s.status <> 'todo')`;

/** Documents moved from one annotator's queue to another's: who to whom, how many. */
export interface Reassignment {
	from: string;
	to: string;
	count: number;
}

export interface RebalanceReport {
	moved: number;
	/** Unstarted assignments beyond the number per document (after a re-enabling or a lower number), removed. */
	released: { username: string; count: number }[];
	/** By giving annotator, then receiving one (usernames). */
	reassignments: Reassignment[];
	/** Loads still differ by more than one: what would even them out is started, or already in the lighter queues. */
	unbalanced: boolean;
}

/**
 * Evens out the queues of the project's enabled annotators, after assigning what is missing, in one
 * transaction: while the most loaded annotator has two documents more than the least loaded (work
 * left, see countOpenAssignments), one of their documents moves to them. Only a document its
 * annotator has not started moves (no set, or a set never saved: revision 0, todo), never to
 * someone who already has it or has work in it, so each document keeps as many distinct annotators
 * as before. The last documents of a queue move first: queues are worked in id order, so those
 * are the furthest from what the annotator has open. Deterministic: ties go to the lowest user id.
 */
export function rebalanceAssignments(db: Db, projectId: number): RebalanceReport {
	return inTransaction(db, () => {
		syncAssignments(db, projectId);
		const sqlite = db.$client;
		const annotators = listActiveAnnotators(db, projectId);
		const usernames = new Map(annotators.map((a) => [a.id, a.username]));
		const ids = annotators.map((a) => a.id);
		const load = countOpenAssignments(db, projectId, ids);
		// `document:user` pairs where that user has saved something in the document.
		const started = new Set(
			(
				sqlite
					.prepare(
						`SELECT s.document_id AS documentId, u.id AS userId FROM annotation_sets s
						   JOIN documents d ON d.id = s.document_id JOIN users u ON u.username = s.owner
						  WHERE d.project_id = ? AND ${STARTED_SET}`
					)
					.all(projectId) as { documentId: number; userId: number }[]
			).map((row) => `${row.documentId}:${row.userId}`)
		);
		const released = releaseSurplus(db, projectId, ids, load, started);
		const holders = new Map<number, Set<number>>();
		const movable = new Map<number, number[]>(ids.map((id) => [id, []]));
		const rows = sqlite.prepare('SELECT document_id AS documentId, user_id AS userId FROM assignments WHERE project_id = ? ORDER BY document_id DESC').all(projectId) as {
			documentId: number;
			userId: number;
		}[];
		for (const row of rows) {
			let users = holders.get(row.documentId);
			if (!users) holders.set(row.documentId, (users = new Set()));
			users.add(row.userId);
			if (!started.has(`${row.documentId}:${row.userId}`)) movable.get(row.userId)?.push(row.documentId);
		}
		const move = sqlite.prepare('UPDATE assignments SET user_id = ?, moved_from_user_id = ? WHERE document_id = ? AND user_id = ?');
		const counts = new Map<string, Reassignment>();
		let moved = 0;
		for (;;) {
			const donors = [...ids].sort((a, b) => load.get(b)! - load.get(a)! || a - b);
			const recipients = [...ids].sort((a, b) => load.get(a)! - load.get(b)! || a - b);
			let chosen: { donor: number; recipient: number; index: number } | null = null;
			search: for (const donor of donors) {
				for (const recipient of recipients) {
					if (load.get(donor)! - load.get(recipient)! < 2) break;
					const index = movable.get(donor)!.findIndex((documentId) => !holders.get(documentId)!.has(recipient) && !started.has(`${documentId}:${recipient}`));
					if (index >= 0) {
						chosen = { donor, recipient, index };
						break search;
					}
				}
			}
			if (!chosen) break;
			const { donor, recipient, index } = chosen;
			// Not movable again in this pass: one move per document keeps the report readable.
			const [documentId] = movable.get(donor)!.splice(index, 1);
			move.run(recipient, donor, documentId, donor);
			holders.get(documentId)!.delete(donor);
			holders.get(documentId)!.add(recipient);
			load.set(donor, load.get(donor)! - 1);
			load.set(recipient, load.get(recipient)! + 1);
			const key = `${donor}:${recipient}`;
			const entry = counts.get(key) ?? { from: usernames.get(donor)!, to: usernames.get(recipient)!, count: 0 };
			entry.count++;
			counts.set(key, entry);
			moved++;
		}
		const loads = [...load.values()];
		return {
			moved,
			released: [...released].map(([userId, count]) => ({ username: usernames.get(userId)!, count })).sort((a, b) => a.username.localeCompare(b.username)),
			reassignments: [...counts.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
			unbalanced: loads.length > 1 && Math.max(...loads) - Math.min(...loads) > 1
		};
	});
}

/**
 * A document can hold more enabled annotators than the project wants: an annotator re-enabled
 * finds their old assignments, already handed to someone else, and a lower number per document
 * leaves the extra ones. Those nobody has started are removed, from the most loaded queue first
 * (ties: the highest user id, the latest comer), until the document has the number wanted; a
 * started one always stays. Updates `load`; returns how many each annotator lost.
 */
function releaseSurplus(db: Db, projectId: number, ids: readonly number[], load: Map<number, number>, started: ReadonlySet<string>): Map<number, number> {
	const sqlite = db.$client;
	const { k } = sqlite.prepare('SELECT annotators_per_document AS k FROM projects WHERE id = ?').get(projectId) as { k: number };
	const wanted = Math.min(k, ids.length);
	const active = new Set(ids);
	const holders = new Map<number, number[]>();
	for (const row of sqlite.prepare('SELECT document_id AS documentId, user_id AS userId FROM assignments WHERE project_id = ? ORDER BY document_id').all(projectId) as {
		documentId: number;
		userId: number;
	}[]) {
		if (!active.has(row.userId)) continue;
		const users = holders.get(row.documentId) ?? [];
		users.push(row.userId);
		holders.set(row.documentId, users);
	}
	const remove = sqlite.prepare('DELETE FROM assignments WHERE document_id = ? AND user_id = ?');
	const released = new Map<number, number>();
	for (const [documentId, users] of holders) {
		let surplus = users.length - wanted;
		if (surplus <= 0) continue;
		const removable = users.filter((userId) => !started.has(`${documentId}:${userId}`)).sort((a, b) => load.get(b)! - load.get(a)! || b - a);
		for (const userId of removable) {
			if (surplus === 0) break;
			remove.run(documentId, userId);
			load.set(userId, load.get(userId)! - 1);
			released.set(userId, (released.get(userId) ?? 0) + 1);
			surplus--;
		}
	}
	return released;
}

/**
 * A rebalance can move a document while its annotator has it open in the workspace. Their save
 * still goes to their own set (saves never depend on the queue); this, called in that save's
 * transaction, gives the document back to them: it leaves the queue it was moved to when that
 * annotator has not started it either, and is added to theirs as well when they have (both have
 * work in it, and it stays in both queues). Nothing when the document was not moved from them.
 */
export function reclaimMovedDocument(db: Db, documentId: number, userId: number): void {
	const sqlite = db.$client;
	const moved = sqlite
		.prepare(
			`SELECT a.project_id AS projectId, a.user_id AS holderId,
			        EXISTS (SELECT 1 FROM annotation_sets s WHERE s.document_id = a.document_id AND s.owner = u.username AND ${STARTED_SET}) AS holderStarted
			   FROM assignments a JOIN users u ON u.id = a.user_id
			  WHERE a.document_id = ? AND a.moved_from_user_id = ?`
		)
		.get(documentId, userId) as { projectId: number; holderId: number; holderStarted: number } | undefined;
	if (!moved) return;
	const user = sqlite.prepare('SELECT role, disabled FROM users WHERE id = ?').get(userId) as { role: string; disabled: number };
	if (user.role !== 'annotator' || user.disabled) return;
	if (sqlite.prepare('SELECT 1 FROM assignments WHERE document_id = ? AND user_id = ?').get(documentId, userId)) return;
	if (moved.holderStarted) {
		sqlite.prepare('UPDATE assignments SET moved_from_user_id = NULL WHERE document_id = ? AND user_id = ?').run(documentId, moved.holderId);
		sqlite.prepare('INSERT INTO assignments (project_id, document_id, user_id) VALUES (?, ?, ?)').run(moved.projectId, documentId, userId);
	} else {
		sqlite.prepare('UPDATE assignments SET user_id = ?, moved_from_user_id = NULL WHERE document_id = ? AND user_id = ?').run(userId, documentId, moved.holderId);
	}
}

function findMissing(db: Db, projectId: number) {
	const sqlite = db.$client;
	const project = sqlite.prepare('SELECT annotators_per_document AS k FROM projects WHERE id = ?').get(projectId) as { k: number } | undefined;
	if (!project) throw new Error(`project ${projectId} does not exist`);
	const annotators = listActiveAnnotators(db, projectId).map((a) => a.id);
	const active = new Set(annotators);
	const wanted = Math.min(project.k, annotators.length);
	if (wanted === 0) return { missing: [], annotators, wanted, active };
	// Only enabled annotators count toward a document's quota, so a disabled annotator's
	// documents get someone else for the rest of the work.
	const rows = sqlite
		.prepare(
			`SELECT d.id AS documentId, GROUP_CONCAT(a.user_id) AS userIds
			   FROM documents d LEFT JOIN assignments a ON a.document_id = d.id
			  WHERE d.project_id = ?
			  GROUP BY d.id ORDER BY d.id`
		)
		.all(projectId) as { documentId: number; userIds: string | null }[];
	const missing = rows
		.map((row) => ({ documentId: row.documentId, userIds: row.userIds ? row.userIds.split(',').map(Number) : [] }))
		.filter((row) => row.userIds.filter((id) => active.has(id)).length < wanted);
	return { missing, annotators, wanted, active };
}

export function isAssigned(db: Db, projectId: number, documentId: number, userId: number): boolean {
	syncAssignments(db, projectId);
	return !!db.$client.prepare('SELECT 1 FROM assignments WHERE project_id = ? AND document_id = ? AND user_id = ?').get(projectId, documentId, userId);
}

/** The user's assigned document ids in queue order (document id). */
export function listAssignedDocumentIds(db: Db, projectId: number, userId: number): number[] {
	syncAssignments(db, projectId);
	return (
		db.$client.prepare('SELECT document_id AS id FROM assignments WHERE project_id = ? AND user_id = ? ORDER BY document_id').all(projectId, userId) as {
			id: number;
		}[]
	).map((row) => row.id);
}

/** How many documents the user's queue holds (0: no queue, e.g. no assignment in this project). */
export function countAssignedDocuments(db: Db, projectId: number, userId: number): number {
	syncAssignments(db, projectId);
	return (db.$client.prepare('SELECT COUNT(*) AS n FROM assignments WHERE project_id = ? AND user_id = ?').get(projectId, userId) as { n: number }).n;
}

/**
 * The next document in the user's queue that they have not finished (their set is not done or
 * skipped): the first after `afterDocumentId` when given, wrapping around to the start; null when
 * the queue is empty or finished.
 */
export function getNextDocumentForUser(db: Db, projectId: number, userId: number, afterDocumentId?: number): number | null {
	syncAssignments(db, projectId);
	const open = `SELECT a.document_id AS id FROM assignments a JOIN users u ON u.id = a.user_id
	               LEFT JOIN annotation_sets s ON s.document_id = a.document_id AND s.owner = u.username
	              WHERE a.project_id = ? AND a.user_id = ? AND COALESCE(s.status, 'todo') NOT IN ('done', 'skipped')`;
	const sqlite = db.$client;
	if (afterDocumentId !== undefined) {
		const next = sqlite.prepare(`${open} AND a.document_id > ? ORDER BY a.document_id LIMIT 1`).get(projectId, userId, afterDocumentId) as { id: number } | undefined;
		if (next) return next.id;
	}
	const first = sqlite
		.prepare(`${open}${afterDocumentId !== undefined ? ' AND a.document_id <> ?' : ''} ORDER BY a.document_id LIMIT 1`)
		.get(...(afterDocumentId !== undefined ? [projectId, userId, afterDocumentId] : [projectId, userId])) as { id: number } | undefined;
	return first?.id ?? null;
}

/** Per annotator: assigned documents and how many of them are done, in progress, skipped. */
export function listAnnotatorProgress(db: Db, projectId: number): AnnotatorLoad[] {
	syncAssignments(db, projectId);
	return db.$client
		.prepare(
			`SELECT u.id AS userId, u.username, u.display_name AS displayName, u.disabled,
			        COUNT(a.document_id) AS assigned,
			        COALESCE(SUM(s.status = 'done'), 0) AS done,
			        COALESCE(SUM(s.status = 'in_progress'), 0) AS inProgress,
			        COALESCE(SUM(s.status = 'skipped'), 0) AS skipped
			   FROM users u
			   JOIN project_members m ON m.user_id = u.id AND m.project_id = ?
			   LEFT JOIN assignments a ON a.user_id = u.id AND a.project_id = m.project_id
			   LEFT JOIN annotation_sets s ON s.document_id = a.document_id AND s.owner = u.username
			  WHERE u.role = 'annotator'
			  GROUP BY u.id ORDER BY u.username`
		)
		.all(projectId)
		.map((row) => ({ ...(row as AnnotatorLoad), disabled: !!(row as { disabled: number }).disabled }));
}

/** Per document (keyset-paged by id): who is assigned, their status, and the gold status. */
export function listDocumentProgress(db: Db, projectId: number, options: { afterId?: number; limit?: number } = {}): DocumentProgress[] {
	syncAssignments(db, projectId);
	const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
	const rows = db.$client
		.prepare(
			`SELECT d.id AS documentId, d.title,
			        (SELECT json_group_array(json_object('username', u.username, 'status', COALESCE(s.status, 'todo')))
			           FROM assignments a JOIN users u ON u.id = a.user_id
			           LEFT JOIN annotation_sets s ON s.document_id = a.document_id AND s.owner = u.username
			          WHERE a.document_id = d.id) AS annotators,
			        (SELECT g.status FROM annotation_sets g WHERE g.document_id = d.id AND g.owner = 'gold') AS goldStatus
			   FROM documents d WHERE d.project_id = ? AND d.id > ? ORDER BY d.id LIMIT ?`
		)
		.all(projectId, options.afterId ?? 0, limit) as { documentId: number; title: string; annotators: string; goldStatus: string | null }[];
	return rows.map((row) => {
		const annotators = (JSON.parse(row.annotators) as { username: string; status: string }[]).sort((a, b) => a.username.localeCompare(b.username));
		return {
			documentId: row.documentId,
			title: row.title,
			assigned: annotators.length,
			done: annotators.filter((a) => a.status === 'done').length,
			annotators,
			goldStatus: row.goldStatus
		};
	});
}
