// The export's query stage: documents in keyset pages of the project, the chosen annotation set
// of each, and their spans and links, a page at a time, so memory stays flat however large
// the corpus. Plain SQL on the better-sqlite3 client: synchronous, prepared once per export.
import type { Db } from '../db/client';
import type { ExportDocument, ExportLink, ExportSet, ExportSpan } from '../../domain/export/format-record';
import type { ExportOptions } from '../../domain/export/options';

export interface ExportUnit {
	documentId: number;
	document: ExportDocument;
	set: ExportSet;
	spans: ExportSpan[];
	links: ExportLink[];
}

const PAGE_SIZE = 200;

/** Owner kinds whose sets people wrote: what `latest` picks from. */
const HUMAN_KINDS = `('annotator','gold')`;

function setFilter(options: ExportOptions): { sql: string; params: unknown[] } {
	const status = options.status === 'done' ? ` AND s.status = 'done'` : '';
	switch (options.set) {
		case 'latest':
			return { sql: `s.owner_kind IN ${HUMAN_KINDS}${status}`, params: [] };
		case 'all-annotators':
			return { sql: `s.owner_kind = 'annotator'${status}`, params: [] };
		default:
			return { sql: `s.owner = ?${status}`, params: [options.set] };
	}
}

/**
 * Yields one unit per exported (document, set), in document id order (then owner). Documents
 * without a matching set are counted through `onSkipped`, not exported.
 */
export function* iterateExportUnits(db: Db, projectId: number, options: ExportOptions, onSkipped: (count: number) => void): Generator<ExportUnit> {
	const sqlite = db.$client;
	const documentPage = sqlite.prepare(
		`SELECT id, external_id AS externalId, title, text, source, url, published_at AS publishedAt, meta
		   FROM documents WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?`
	);
	const filter = setFilter(options);
	const setPage = sqlite.prepare(
		`SELECT s.id, s.document_id AS documentId, s.owner, s.owner_kind AS ownerKind, s.status,
		        COALESCE(s.done_at, s.updated_at) AS finishedAt
		   FROM annotation_sets s JOIN documents d ON d.id = s.document_id
		  WHERE d.project_id = ? AND s.document_id BETWEEN ? AND ? AND ${filter.sql}
		  ORDER BY s.document_id, s.owner`
	);
	const spanPage = sqlite.prepare(
		`SELECT id, set_id AS setId, layer, start, "end", label, attributes, origin, score, provenance, decision
		   FROM spans WHERE set_id IN (SELECT value FROM json_each(?)) ORDER BY set_id, start, "end", id`
	);
	const linkPage = sqlite.prepare(
		`SELECT set_id AS setId, kind, from_span_id AS fromSpanId, to_span_id AS toSpanId, to_name AS toName
		   FROM links WHERE set_id IN (SELECT value FROM json_each(?)) ORDER BY id`
	);

	let cursor = 0;
	for (;;) {
		const documents = documentPage.all(projectId, cursor, PAGE_SIZE) as (Omit<ExportDocument, 'meta'> & { id: number; meta: string })[];
		if (documents.length === 0) return;
		cursor = documents[documents.length - 1].id;
		const sets = setPage.all(projectId, documents[0].id, cursor, ...filter.params) as (ExportSet & {
			id: number;
			documentId: number;
			finishedAt: string;
		})[];
		const chosen = options.set === 'latest' ? latestPerDocument(sets) : sets;
		const setIds = JSON.stringify(chosen.map((set) => set.id));
		const spansBySet = groupBy(
			(spanPage.all(setIds) as (Omit<ExportSpan, 'attributes'> & { setId: number; attributes: string })[]).map((row) => ({
				...row,
				attributes: row.attributes === '{}' ? {} : JSON.parse(row.attributes)
			})),
			(row) => row.setId
		);
		const linksBySet = groupBy(linkPage.all(setIds) as (ExportLink & { setId: number })[], (row) => row.setId);
		const setsByDocument = groupBy(chosen, (set) => set.documentId);
		let skipped = 0;
		for (const row of documents) {
			const documentSets = setsByDocument.get(row.id);
			if (!documentSets) {
				skipped++;
				continue;
			}
			const document: ExportDocument = { ...row, meta: row.meta === '{}' ? {} : JSON.parse(row.meta) };
			for (const set of documentSets) {
				yield {
					documentId: row.id,
					document,
					set: { owner: set.owner, ownerKind: set.ownerKind, status: set.status },
					spans: spansBySet.get(set.id) ?? [],
					links: linksBySet.get(set.id) ?? []
				};
			}
		}
		if (skipped) onSkipped(skipped);
	}
}

/**
 * External ids of the documents an export with `options` would write, in id order: the same set
 * filter as the export, without reading any span (for the Exporter page's preview).
 */
export function selectedDocumentIds(db: Db, projectId: number, options: ExportOptions): string[] {
	const filter = setFilter(options);
	const rows = db.$client
		.prepare(
			`SELECT DISTINCT d.id, d.external_id AS externalId FROM annotation_sets s JOIN documents d ON d.id = s.document_id
			  WHERE d.project_id = ? AND ${filter.sql} ORDER BY d.id`
		)
		.all(projectId, ...filter.params) as { externalId: string }[];
	return rows.map((row) => row.externalId);
}

/**
 * One set per document: its gold set when it has one (a reviewer adjudicated it), otherwise the
 * most recently finished annotator set (done_at, else last save; then newest id).
 */
function latestPerDocument<T extends { id: number; documentId: number; finishedAt: string; ownerKind: string }>(sets: readonly T[]): T[] {
	const rank = (set: T): [number, string, number] => [set.ownerKind === 'gold' ? 1 : 0, set.finishedAt, set.id];
	const better = (a: T, b: T) => {
		const [ra, rb] = [rank(a), rank(b)];
		return ra[0] !== rb[0] ? ra[0] > rb[0] : ra[1] !== rb[1] ? ra[1] > rb[1] : ra[2] > rb[2];
	};
	const best = new Map<number, T>();
	for (const set of sets) {
		const current = best.get(set.documentId);
		if (!current || better(set, current)) {
			best.set(set.documentId, set);
		}
	}
	return [...best.values()].sort((a, b) => a.documentId - b.documentId);
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const row of rows) {
		const k = key(row);
		const group = groups.get(k);
		if (group) group.push(row);
		else groups.set(k, [row]);
	}
	return groups;
}

/**
 * A short fingerprint of the project's data for the manifest: documents (count and max id),
 * the newest span id and the sum of set revisions (every save bumps one, deletions included).
 */
export function dataRevision(db: Db, projectId: number): string {
	const row = db.$client
		.prepare(
			`SELECT (SELECT COUNT(*) FROM documents WHERE project_id = @project) AS documents,
			        (SELECT COALESCE(MAX(id), 0) FROM documents WHERE project_id = @project) AS maxDocument,
			        (SELECT COUNT(*) FROM annotation_sets s JOIN documents d ON d.id = s.document_id WHERE d.project_id = @project) AS sets,
			        (SELECT COALESCE(SUM(s.revision), 0) FROM annotation_sets s JOIN documents d ON d.id = s.document_id WHERE d.project_id = @project) AS revisions,
			        (SELECT COALESCE(MAX(sp.id), 0) FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id
			           JOIN documents d ON d.id = s.document_id WHERE d.project_id = @project) AS maxSpan`
		)
		.get({ project: projectId }) as { documents: number; maxDocument: number; sets: number; revisions: number; maxSpan: number };
	return `d${row.documents}-${row.maxDocument}.s${row.sets}-r${row.revisions}.sp${row.maxSpan}`;
}

export interface ExportableOwner {
	owner: string;
	ownerKind: string;
	done: number;
	total: number;
}

/** Human sets of the project by owner (gold first), for the download form's set choice. */
export function listExportableOwners(db: Db, projectId: number): ExportableOwner[] {
	return db.$client
		.prepare(
			`SELECT s.owner, s.owner_kind AS ownerKind, SUM(s.status = 'done') AS done, COUNT(*) AS total
			   FROM annotation_sets s JOIN documents d ON d.id = s.document_id
			  WHERE d.project_id = ? AND s.owner_kind IN ${HUMAN_KINDS}
			  GROUP BY s.owner, s.owner_kind
			  ORDER BY s.owner_kind = 'gold' DESC, s.owner`
		)
		.all(projectId) as ExportableOwner[];
}
