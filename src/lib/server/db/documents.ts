// Documents: insertion (used by import), the paged list with search and filters, one document.
import { and, eq } from 'drizzle-orm';
import type { Db } from './client';
import { MACHINE_OWNER_KINDS_SQL } from './annotation-sets';
import { documents } from './schema';
import { FTS_MATCH_IDS, toFtsQuery } from './search';

export type Document = typeof documents.$inferSelect;
export type NewDocument = typeof documents.$inferInsert;

export const DOCUMENT_STATUSES = ['todo', 'in_progress', 'done', 'skipped'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export interface DocumentListQuery {
	projectId: number;
	/** Whose status and annotation counts the list shows. */
	owner: string;
	search?: string;
	status?: DocumentStatus;
	source?: string;
	/** Only the documents assigned to this user (their queue); all of the project's when absent. */
	assignedTo?: number;
	/** Keyset paging: rows after (or before, with `direction: 'previous'`) this document id. */
	cursor?: number;
	direction?: 'next' | 'previous';
	limit?: number;
}

export interface DocumentListRow {
	id: number;
	externalId: string;
	title: string;
	source: string | null;
	publishedAt: string | null;
	wordCount: number;
	charCount: number;
	status: DocumentStatus;
	suggestionCount: number;
	annotationCount: number;
}

export interface DocumentListPage {
	rows: DocumentListRow[];
	total: number;
	/** 1-based position of the first row in the filtered list. */
	firstPosition: number;
	hasPrevious: boolean;
	hasNext: boolean;
}

/** Keeps the documents of one user's queue (bound parameter: the user id). */
const ASSIGNED_TO = 'd.id IN (SELECT a.document_id FROM assignments a WHERE a.project_id = d.project_id AND a.user_id = ?)';

/** One page of the document list. Paging is by id (keyset), so page 2,000 costs what page 1 does. */
export function listDocuments(db: Db, query: DocumentListQuery): DocumentListPage {
	const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
	const where: string[] = ['d.project_id = ?'];
	const params: unknown[] = [query.projectId];
	const fts = query.search ? toFtsQuery(query.search) : null;
	if (fts) {
		where.push(`d.id IN (${FTS_MATCH_IDS})`);
		params.push(fts);
	}
	if (query.source) {
		where.push('d.source = ?');
		params.push(query.source);
	}
	if (query.assignedTo !== undefined) {
		where.push(ASSIGNED_TO);
		params.push(query.assignedTo);
	}
	const ownerStatus = `COALESCE((SELECT s.status FROM annotation_sets s WHERE s.document_id = d.id AND s.owner = ?), 'todo')`;
	if (query.status) {
		where.push(`${ownerStatus} = ?`);
		params.push(query.owner, query.status);
	}
	const filter = where.join(' AND ');
	const sqlite = db.$client;
	const total = (sqlite.prepare(`SELECT COUNT(*) AS n FROM documents d WHERE ${filter}`).get(...params) as { n: number }).n;

	const previous = query.direction === 'previous' && query.cursor !== undefined;
	const cursorClause = query.cursor === undefined ? '' : previous ? ' AND d.id < ?' : ' AND d.id > ?';
	const cursorParams = query.cursor === undefined ? [] : [query.cursor];
	const rows = sqlite
		.prepare(
			`SELECT d.id, d.external_id AS externalId, d.title, d.source, d.published_at AS publishedAt,
			        d.word_count AS wordCount, d.char_count AS charCount,
			        ${ownerStatus} AS status,
			        (SELECT COUNT(*) FROM (SELECT DISTINCT sp.layer, sp.start, sp."end", sp.label FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id
			          WHERE s.document_id = d.id AND s.owner_kind IN ${MACHINE_OWNER_KINDS_SQL})) AS suggestionCount,
			        (SELECT COUNT(*) FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id
			          WHERE s.document_id = d.id AND s.owner = ?) AS annotationCount
			   FROM documents d
			  WHERE ${filter}${cursorClause}
			  ORDER BY d.id ${previous ? 'DESC' : 'ASC'}
			  LIMIT ?`
		)
		.all(query.owner, query.owner, ...params, ...cursorParams, limit + 1) as DocumentListRow[];
	const hasMore = rows.length > limit;
	if (hasMore) rows.pop();
	if (previous) rows.reverse();
	const firstId = rows[0]?.id;
	const before =
		firstId === undefined
			? 0
			: (sqlite.prepare(`SELECT COUNT(*) AS n FROM documents d WHERE ${filter} AND d.id < ?`).get(...params, firstId) as { n: number }).n;
	return {
		rows,
		total,
		firstPosition: rows.length ? before + 1 : 0,
		hasPrevious: before > 0,
		hasNext: previous ? query.cursor !== undefined : hasMore
	};
}

/** Distinct sources of a project, for the list's filter. */
export function listSources(db: Db, projectId: number): string[] {
	return (
		db.$client
			.prepare('SELECT DISTINCT source FROM documents WHERE project_id = ? AND source IS NOT NULL ORDER BY source')
			.all(projectId) as { source: string }[]
	).map((row) => row.source);
}

export function getDocument(db: Db, projectId: number, documentId: number): Document | undefined {
	return db
		.select()
		.from(documents)
		.where(and(eq(documents.projectId, projectId), eq(documents.id, documentId)))
		.get();
}

export function countDocuments(db: Db, projectId?: number): number {
	const sqlite = db.$client;
	const row = (projectId === undefined
		? sqlite.prepare('SELECT COUNT(*) AS n FROM documents').get()
		: sqlite.prepare('SELECT COUNT(*) AS n FROM documents WHERE project_id = ?').get(projectId)) as { n: number };
	return row.n;
}

/**
 * How many documents of a project are in each status for one owner (documents without a set are todo);
 * with `assignedTo`, only among the documents of that user's queue.
 */
export function countDocumentsByStatus(db: Db, projectId: number, owner: string, assignedTo?: number): Record<DocumentStatus, number> {
	const queue = assignedTo === undefined ? '' : ` AND ${ASSIGNED_TO}`;
	const rows = db.$client
		.prepare(
			`SELECT COALESCE(s.status, 'todo') AS status, COUNT(*) AS n
			   FROM documents d LEFT JOIN annotation_sets s ON s.document_id = d.id AND s.owner = ?
			  WHERE d.project_id = ?${queue} GROUP BY 1`
		)
		.all(owner, projectId, ...(assignedTo === undefined ? [] : [assignedTo])) as { status: DocumentStatus; n: number }[];
	const counts: Record<DocumentStatus, number> = { todo: 0, in_progress: 0, done: 0, skipped: 0 };
	for (const row of rows) counts[row.status] = row.n;
	return counts;
}
