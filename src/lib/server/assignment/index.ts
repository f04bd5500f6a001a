// Assignment: which annotators annotate which document. Each document of a project gets
// `annotators_per_document` distinct annotators (capped by how many there are); a document goes
// to the annotators with the least work left (assigned documents they have not finished or
// skipped; ties: lowest user id), one document at a time in id order. The result is stored and only ever extended: adding documents or annotators,
// or raising the number per document, assigns what is missing and never moves existing work.
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

/** Annotators who receive new work: role annotator, enabled, member of the project. */
function activeAnnotatorIds(db: Db, projectId: number): number[] {
	return (
		db.$client
			.prepare(
				`SELECT u.id FROM users u JOIN project_members m ON m.user_id = u.id
				  WHERE m.project_id = ? AND u.role = 'annotator' AND u.disabled = 0 ORDER BY u.id`
			)
			.all(projectId) as { id: number }[]
	).map((row) => row.id);
}

export function setAnnotatorsPerDocument(db: Db, projectId: number, count: number): void {
	if (!Number.isInteger(count) || count < 1 || count > 20) throw new Error(`annotators per document must be an integer from 1 to 20 (got ${count})`);
	inTransaction(db, () => {
		db.update(projects).set({ annotatorsPerDocument: count }).where(eq(projects.id, projectId)).run();
		syncAssignments(db, projectId);
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

function findMissing(db: Db, projectId: number) {
	const sqlite = db.$client;
	const project = sqlite.prepare('SELECT annotators_per_document AS k FROM projects WHERE id = ?').get(projectId) as { k: number } | undefined;
	if (!project) throw new Error(`project ${projectId} does not exist`);
	const annotators = activeAnnotatorIds(db, projectId);
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
