// The project's entity memory: updated incrementally as annotators save (never by rescanning the
// corpus), inspected and corrected by an admin, and turned into suggestions in the machine set
// `memory:<project>` of new and unreviewed documents. Each document's own part of the counts is
// kept too (memory_document_labels, memory_document_unlabelled), and a document's suggestions
// are decided without it: when two annotators annotate one document, the second is never shown a
// suggestion that only the first's work on that document produced. Counts recorded before that
// per-document record existed have none, and keep counting on every document, their own included.
// Matching reads every form of the project, which costs a read of the whole memory (see
// `npm run bench:memory`, "first build"): the matcher is kept per project and connection, and
// only the forms a write changed are read again (see memoryMatcher).
import { and, eq, sql } from 'drizzle-orm';
import {
	decideMemorySuggestion,
	diffEntityOccurrences,
	withoutDocument,
	type DocumentContribution,
	type MemoryCounts,
	type MemoryVerdict
} from '../../domain/suggestions/memory';
import { SurfaceMatcher } from '../../domain/suggestions/surface-matcher';
import { OffsetIndex } from '../../domain/offsets';
import type { SpanDraft } from '../../domain/spans';
import { inTransaction, type Db } from '../db/client';
import { getOrCreateSet, replaceSetContent } from '../db/annotation-sets';
import type { PreannotationStep } from '../preannotate';
import { memorySurfaces } from '../db/schema';
import { FTS_MATCH_IDS } from '../db/search';

export interface EntityLike {
	start: number;
	end: number;
	label: string;
}

export function memoryOwner(projectSlug: string): string {
	return `memory:${projectSlug}`;
}

/** Longest form kept in memory: longer "entities" are selection mistakes, not names. */
const MAX_SURFACE_LENGTH = 120;

export interface MemoryDocument {
	id: number;
	projectId: number;
	text: string;
}

/**
 * Applies one save of an annotator's entities on `document` to the memory: +1/-1 per (form,
 * label) occurrence added or removed; the same changes go to the document's own part of the
 * counts. Runs inside the caller's transaction. Returns the forms whose counts changed (to
 * refresh suggestions). Unlabelled sightings are counted by recountUnlabelledSightings.
 */
export function recordEntitySave(db: Db, document: MemoryDocument, before: readonly EntityLike[], after: readonly EntityLike[]): string[] {
	const { projectId, text } = document;
	const index = new OffsetIndex(text);
	const occurrences = (spans: readonly EntityLike[]) =>
		spans
			.map((s) => ({ surface: index.slice(s.start, s.end).trim(), label: s.label }))
			.filter((o) => o.surface.length > 0 && o.surface.length <= MAX_SURFACE_LENGTH);
	const changes = diffEntityOccurrences(occurrences(before), occurrences(after));
	const touched = new Set<string>();
	// Both keyed by the unique index (document_id, surface_id, …): one row lookup per change. A
	// removal the document has no record of (counted before per-document records) leaves none.
	const addToDocumentLabel = db.$client.prepare(
		`INSERT INTO memory_document_labels (document_id, surface_id, label, count) VALUES (?, ?, ?, ?)
		 ON CONFLICT (document_id, surface_id, label) DO UPDATE SET count = count + excluded.count`
	);
	const dropEmptyDocumentLabel = db.$client.prepare('DELETE FROM memory_document_labels WHERE document_id = ? AND surface_id = ? AND label = ? AND count <= 0');
	for (const change of changes.values()) {
		const surfaceId = ensureSurface(db, projectId, change.surface);
		db.$client.prepare('INSERT INTO memory_labels (surface_id, label, count) VALUES (?, ?, 0) ON CONFLICT DO NOTHING').run(surfaceId, change.label);
		db.$client
			.prepare('UPDATE memory_labels SET count = MAX(0, count + ?) WHERE surface_id = ? AND label = ?')
			.run(change.delta, surfaceId, change.label);
		addToDocumentLabel.run(document.id, surfaceId, change.label, change.delta);
		dropEmptyDocumentLabel.run(document.id, surfaceId, change.label);
		touchSurface(db, surfaceId);
		touched.add(change.surface);
		forgetIfEmpty(db, surfaceId);
		markFormChanged(db, projectId, surfaceId);
	}
	return [...touched];
}

/**
 * Counts again the document's "seen unlabelled" sightings: each known form standing outside
 * every entity of each finished (`done`) annotator set of the document, as the sets are stored
 * now. The result replaces the document's previous part of the counts instead of adding to it,
 * so reopening a document and marking it done again counts nothing twice, a reopened set's
 * sightings are withdrawn until it is done again, and a label added to a finished set takes the
 * form out of the unlabelled ones. Call it, inside the save's transaction and after the set's
 * new content and status are written, whenever the saved set is done or was before the save.
 * Counts from before per-document records are not known per document and stay as they are.
 * Returns the forms whose counts changed.
 */
export function recountUnlabelledSightings(db: Db, document: MemoryDocument): string[] {
	const sqlite = db.$client;
	const entities = sqlite
		.prepare(
			`SELECT s.id AS setId, sp.start, sp."end" AS "end" FROM annotation_sets s LEFT JOIN spans sp ON sp.set_id = s.id AND sp.layer = 'entity'
			  WHERE s.document_id = ? AND s.owner_kind = 'annotator' AND s.status = 'done'`
		)
		.all(document.id) as { setId: number; start: number | null; end: number | null }[];
	const finishedSets = new Map<number, { start: number; end: number }[]>();
	for (const row of entities) {
		const ranges = finishedSets.get(row.setId) ?? [];
		if (row.start !== null) ranges.push({ start: row.start, end: row.end! });
		finishedSets.set(row.setId, ranges);
	}
	const fresh = new Map<number, number>();
	if (finishedSets.size > 0) {
		const matches = memoryMatcher(db, document.projectId).match(document.text);
		for (const ranges of finishedSets.values()) {
			for (const match of matches) {
				if (ranges.some((r) => r.start < match.end && match.start < r.end)) continue;
				fresh.set(match.value.id, (fresh.get(match.value.id) ?? 0) + 1);
			}
		}
	}
	const previous = new Map(
		(sqlite.prepare('SELECT surface_id AS surfaceId, count FROM memory_document_unlabelled WHERE document_id = ?').all(document.id) as { surfaceId: number; count: number }[]).map(
			(row) => [row.surfaceId, row.count]
		)
	);
	const addToForm = sqlite.prepare('UPDATE memory_surfaces SET unlabelled_count = MAX(0, unlabelled_count + ?) WHERE id = ? RETURNING surface');
	const setDocumentPart = sqlite.prepare(
		`INSERT INTO memory_document_unlabelled (document_id, surface_id, count) VALUES (?, ?, ?)
		 ON CONFLICT (document_id, surface_id) DO UPDATE SET count = excluded.count`
	);
	const dropDocumentPart = sqlite.prepare('DELETE FROM memory_document_unlabelled WHERE document_id = ? AND surface_id = ?');
	const touched = new Set<string>();
	for (const surfaceId of new Set([...fresh.keys(), ...previous.keys()])) {
		const count = fresh.get(surfaceId) ?? 0;
		const delta = count - (previous.get(surfaceId) ?? 0);
		if (delta === 0) continue;
		const form = addToForm.get(delta, surfaceId) as { surface: string } | undefined;
		if (count > 0) setDocumentPart.run(document.id, surfaceId, count);
		else dropDocumentPart.run(document.id, surfaceId);
		if (!form) continue;
		touchSurface(db, surfaceId);
		touched.add(form.surface);
		forgetIfEmpty(db, surfaceId);
		markFormChanged(db, document.projectId, surfaceId);
	}
	return [...touched];
}

function ensureSurface(db: Db, projectId: number, surface: string): number {
	const row = db.$client
		.prepare(
			`INSERT INTO memory_surfaces (project_id, surface) VALUES (?, ?)
			 ON CONFLICT (project_id, surface) DO UPDATE SET surface = excluded.surface RETURNING id`
		)
		.get(projectId, surface) as { id: number };
	return row.id;
}

/**
 * Drops what a passing edit left behind: a label no standing entity carries any more, and a form
 * with no sighting at all and no admin decision (a boundary moved through `des diplomates` on its
 * way to `diplomates` must not stay in the memory as an empty entry).
 */
function forgetIfEmpty(db: Db, surfaceId: number): void {
	db.$client.prepare('DELETE FROM memory_labels WHERE surface_id = ? AND count = 0').run(surfaceId);
	db.$client
		.prepare(
			`DELETE FROM memory_surfaces WHERE id = ? AND unlabelled_count = 0 AND forced_label IS NULL AND blocked = 0
			    AND NOT EXISTS (SELECT 1 FROM memory_labels WHERE surface_id = memory_surfaces.id)`
		)
		.run(surfaceId);
}

function touchSurface(db: Db, surfaceId: number): void {
	db.$client.prepare(`UPDATE memory_surfaces SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`).run(surfaceId);
}

export interface MemoryEntry extends MemoryCounts {
	id: number;
	surface: string;
	updatedAt: string;
	/** What the memory would suggest now, if anything. */
	suggestion: { label: string; confidence: number } | null;
}

/** All entries of a project's memory, most recently changed first (the admin page). */
export function listMemory(db: Db, projectId: number, options: { search?: string; limit?: number } = {}): MemoryEntry[] {
	const rows = db.$client
		.prepare(
			`SELECT s.id, s.surface, s.unlabelled_count AS unlabelled, s.forced_label AS forcedLabel, s.blocked, s.updated_at AS updatedAt,
			        json_group_object(l.label, l.count) FILTER (WHERE l.label IS NOT NULL) AS labels
			   FROM memory_surfaces s LEFT JOIN memory_labels l ON l.surface_id = s.id
			  WHERE s.project_id = ? ${options.search ? 'AND s.surface LIKE ?' : ''}
			  GROUP BY s.id ORDER BY s.updated_at DESC, s.id DESC LIMIT ?`
		)
		.all(
			...[projectId, ...(options.search ? [`%${options.search}%`] : []), options.limit ?? 500]
		) as {
		id: number;
		surface: string;
		unlabelled: number;
		forcedLabel: string | null;
		blocked: number;
		updatedAt: string;
		labels: string | null;
	}[];
	return rows.map((row) => {
		const counts: MemoryCounts = {
			labels: row.labels ? (JSON.parse(row.labels) as Record<string, number>) : {},
			unlabelled: row.unlabelled,
			forcedLabel: row.forcedLabel,
			blocked: Boolean(row.blocked)
		};
		return { id: row.id, surface: row.surface, updatedAt: row.updatedAt, ...counts, suggestion: decideMemorySuggestion(counts) };
	});
}

/**
 * Admin corrections: force a label (or clear it with null), block or unblock, or delete an entry
 * (its per-document counts go with it, by cascade). A forced label or a block is a decision for
 * the whole project, not a sighting: it applies to every document, those the form was seen in too.
 */
export function updateMemoryEntry(db: Db, projectId: number, surfaceId: number, change: { forcedLabel?: string | null; blocked?: boolean; remove?: boolean }): void {
	const where = and(eq(memorySurfaces.id, surfaceId), eq(memorySurfaces.projectId, projectId));
	markFormChanged(db, projectId, surfaceId);
	if (change.remove) {
		db.delete(memorySurfaces).where(where).run();
		return;
	}
	const values: Partial<typeof memorySurfaces.$inferInsert> = { updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))` as unknown as string };
	if (change.forcedLabel !== undefined) values.forcedLabel = change.forcedLabel;
	if (change.blocked !== undefined) values.blocked = change.blocked;
	db.update(memorySurfaces).set(values).where(where).run();
}

/** What the matcher needs of a form: its counts and when it last changed, nothing for display. */
export interface MatcherEntry extends MemoryCounts {
	id: number;
	surface: string;
	updatedAt: string;
}

/**
 * The project's forms as the matcher reads them (`ids`: only those). Leaner than listMemory,
 * which the admin page needs sorted and searchable: no sort, no grouping, no JSON, so building
 * the matcher from nothing (the first save after a start or a label rename) costs a plain scan.
 * The join gives one row per label of a form.
 */
function loadMatcherEntries(db: Db, projectId: number, options: { ids?: readonly number[] } = {}): MatcherEntry[] {
	const rows = db.$client
		.prepare(
			`SELECT s.id, s.surface, s.unlabelled_count, s.forced_label, s.blocked, s.updated_at, l.label, l.count
			   FROM memory_surfaces s LEFT JOIN memory_labels l ON l.surface_id = s.id
			  WHERE s.project_id = ? ${options.ids ? 'AND s.id IN (SELECT value FROM json_each(?))' : ''}`
		)
		.raw()
		.all(...[projectId, ...(options.ids ? [JSON.stringify(options.ids)] : [])]) as [number, string, number, string | null, number, string, string | null, number | null][];
	const entries = new Map<number, MatcherEntry>();
	for (const [id, surface, unlabelled, forcedLabel, blocked, updatedAt, label, count] of rows) {
		let entry = entries.get(id);
		if (!entry) entries.set(id, (entry = { id, surface, updatedAt, labels: {}, unlabelled, forcedLabel, blocked: Boolean(blocked) }));
		if (label !== null) entry.labels[label] = count!;
	}
	return [...entries.values()];
}

interface MatcherValue {
	id: number;
	counts: MemoryCounts;
	/** What the whole memory suggests; a document its sightings came from decides again without them. */
	suggestion: MemoryVerdict | null;
}

/**
 * A matcher over every form of the project's memory, suggested or not (see matchMemory). Built
 * from loadMatcherEntries; exported so a test can build one from listMemory and compare.
 */
export class MemoryMatcher {
	private readonly matcher = new SurfaceMatcher<MatcherValue>();
	private readonly surfaces = new Map<number, string>();

	constructor(entries: readonly MatcherEntry[]) {
		for (const entry of entries) this.put(entry);
	}

	/** Adds a form, or replaces what the matcher knew of it. */
	put(entry: MatcherEntry): void {
		this.remove(entry.id);
		this.surfaces.set(entry.id, entry.surface);
		const { labels, unlabelled, forcedLabel, blocked } = entry;
		const counts = { labels, unlabelled, forcedLabel, blocked };
		this.matcher.add(entry.surface, { id: entry.id, counts, suggestion: decideMemorySuggestion(counts) });
	}

	remove(id: number): void {
		const surface = this.surfaces.get(id);
		if (surface === undefined) return;
		this.matcher.delete(surface);
		this.surfaces.delete(id);
	}

	match(text: string, accept?: (value: MatcherValue) => boolean) {
		return this.matcher.match(text, undefined, accept);
	}

	/** How many forms it holds. */
	get size(): number {
		return this.surfaces.size;
	}
}

function buildMatcher(db: Db, projectId: number): MemoryMatcher {
	return new MemoryMatcher(loadMatcherEntries(db, projectId));
}

interface CachedMatcher {
	matcher: MemoryMatcher;
	/** PRAGMA data_version when last checked: it changes when another connection (a script, another server) commits. */
	dataVersion: number;
	/** The latest updated_at the matcher has read: a later one on a form it was not told of was written elsewhere. */
	readUpTo: string;
	/** Forms this connection changed since, read again on next use. */
	changed: Set<number>;
	/** Built inside a transaction that could still roll back: built again once outside it. */
	provisional: boolean;
}

/** Per connection, per project. A WeakMap: a closed database's matchers go with it. */
const matcherCache = new WeakMap<Db['$client'], Map<number, CachedMatcher>>();

/**
 * The project's memory matcher, kept between saves. Every write to the memory in this module
 * marks the forms it changed (markFormChanged), and only those are read again; a label rename
 * (forgetMemoryMatcher) rebuilds it whole. When another connection committed, the matcher is
 * rebuilt only if the memory changed there (a form added, deleted or updated, each of which
 * touches updated_at): a pre-annotation job committing spans costs one count. Forms read inside
 * a transaction stay marked, so a rollback never leaves them in the matcher.
 */
export function memoryMatcher(db: Db, projectId: number): MemoryMatcher {
	const sqlite = db.$client;
	const dataVersion = sqlite.pragma('data_version', { simple: true }) as number;
	let projects = matcherCache.get(sqlite);
	if (!projects) matcherCache.set(sqlite, (projects = new Map()));
	let cached = projects.get(projectId);
	if (cached?.provisional && !sqlite.inTransaction) cached = undefined;
	if (cached && cached.changed.size > 0) {
		const ids = [...cached.changed];
		for (const id of ids) cached.matcher.remove(id);
		for (const entry of loadMatcherEntries(db, projectId, { ids })) {
			cached.matcher.put(entry);
			if (entry.updatedAt > cached.readUpTo) cached.readUpTo = entry.updatedAt;
		}
		if (!sqlite.inTransaction) cached.changed.clear();
	}
	if (cached && cached.dataVersion !== dataVersion) {
		const elsewhere = sqlite
			.prepare(
				`SELECT COUNT(*) AS forms, COUNT(*) FILTER (WHERE updated_at > ? AND id NOT IN (SELECT value FROM json_each(?))) AS updated
				   FROM memory_surfaces WHERE project_id = ?`
			)
			.get(cached.readUpTo, JSON.stringify([...cached.changed]), projectId) as { forms: number; updated: number };
		if (elsewhere.forms !== cached.matcher.size || elsewhere.updated > 0) cached = undefined;
		else cached.dataVersion = dataVersion;
	}
	if (!cached) {
		const entries = loadMatcherEntries(db, projectId);
		const readUpTo = entries.reduce((latest, entry) => (entry.updatedAt > latest ? entry.updatedAt : latest), '');
		cached = { matcher: new MemoryMatcher(entries), dataVersion, readUpTo, changed: new Set(), provisional: sqlite.inTransaction };
		projects.set(projectId, cached);
	}
	return cached.matcher;
}

/** Tells the cached matcher that a form's counts, label or decision changed, or that it is gone. */
function markFormChanged(db: Db, projectId: number, surfaceId: number): void {
	matcherCache.get(db.$client)?.get(projectId)?.changed.add(surfaceId);
}

/** Drops the project's cached matcher: for writes that change the memory wholesale (a label renamed). */
export function forgetMemoryMatcher(db: Db, projectId: number): void {
	matcherCache.get(db.$client)?.delete(projectId);
}

/** What one document's own sightings added to the memory, by form id. */
function loadDocumentContribution(db: Db, documentId: number): Map<number, DocumentContribution> {
	const rows = db.$client
		.prepare(
			`SELECT surface_id AS surfaceId, label, count FROM memory_document_labels WHERE document_id = ?
			 UNION ALL SELECT surface_id, NULL, count FROM memory_document_unlabelled WHERE document_id = ?`
		)
		.all(documentId, documentId) as { surfaceId: number; label: string | null; count: number }[];
	const contribution = new Map<number, DocumentContribution>();
	for (const row of rows) {
		const own = contribution.get(row.surfaceId) ?? { labels: {}, unlabelled: 0 };
		if (row.label === null) own.unlabelled += row.count;
		else own.labels[row.label] = (own.labels[row.label] ?? 0) + row.count;
		contribution.set(row.surfaceId, own);
	}
	return contribution;
}

/**
 * The memory's suggestions for one document (whole-word, case- and accent-exact matches), each
 * form decided from the sightings of the other documents only. A form the document's own
 * sightings alone made suggestible is passed over, so a shorter form inside it can still match.
 */
export function matchMemory(db: Db, document: MemoryDocument, provenance: string, matcher = memoryMatcher(db, document.projectId)): SpanDraft[] {
	const own = loadDocumentContribution(db, document.id);
	// Decided once per form: the matcher asks while choosing, the drafts below ask again.
	const decided = new Map<number, MemoryVerdict | null>();
	const suggestionOf = (value: MatcherValue) => {
		const contribution = own.get(value.id);
		if (!contribution) return value.suggestion;
		if (!decided.has(value.id)) decided.set(value.id, decideMemorySuggestion(withoutDocument(value.counts, contribution)));
		return decided.get(value.id)!;
	};
	return matcher
		.match(document.text, (value) => suggestionOf(value) !== null)
		.map((match) => {
			const suggestion = suggestionOf(match.value)!;
			return {
				layer: 'entity' as const,
				start: match.start,
				end: match.end,
				label: suggestion.label,
				origin: 'memory' as const,
				score: Math.round(suggestion.confidence * 1000) / 1000,
				provenance
			};
		});
}

/** Rewrites the memory set of one document (`matcher`: one built for a whole run, see createMemoryStep). */
export function suggestFromMemory(db: Db, documentId: number, matcher?: MemoryMatcher): number {
	const row = db.$client
		.prepare('SELECT d.id, d.text, d.project_id AS projectId, p.slug FROM documents d JOIN projects p ON p.id = d.project_id WHERE d.id = ?')
		.get(documentId) as (MemoryDocument & { slug: string }) | undefined;
	if (!row) throw new Error(`document ${documentId} does not exist`);
	const owner = memoryOwner(row.slug);
	const drafts = matchMemory(db, row, owner, matcher);
	inTransaction(db, () => {
		const set = getOrCreateSet(db, documentId, owner);
		replaceSetContent(db, set.id, drafts);
	});
	return drafts.length;
}

/** Documents still worth suggesting for: nobody finished them and there is no gold yet. */
const UNREVIEWED = `NOT EXISTS (SELECT 1 FROM annotation_sets s WHERE s.document_id = d.id
	AND ((s.owner_kind = 'annotator' AND s.status IN ('done','skipped')) OR s.owner_kind = 'gold'))`;

/**
 * After a save changed some forms, refreshes the memory suggestions of the unreviewed documents
 * that contain them (found with full-text search, then matched exactly). At most `limit`
 * documents per call keeps a save fast; `npm run preannotate` covers the rest. The document
 * being saved is left out (`excludeDocumentId`): its annotator is at work there, and suggestions
 * must not change under their cursor.
 */
export function refreshMemorySuggestions(
	db: Db,
	projectId: number,
	surfaces: readonly string[],
	options: { limit?: number; excludeDocumentId?: number } = {}
): number {
	const limit = options.limit ?? 200;
	const searchable = surfaces.filter((s) => /[\p{L}\p{N}]/u.test(s));
	if (searchable.length === 0) return 0;
	const phrase = searchable.map((s) => `"${s.replace(/"/g, '""')}"`).join(' OR ');
	const ids = db.$client
		.prepare(`SELECT d.id FROM documents d WHERE d.project_id = ? AND d.id IN (${FTS_MATCH_IDS}) AND d.id != ? AND ${UNREVIEWED} ORDER BY d.id LIMIT ?`)
		.all(projectId, phrase, options.excludeDocumentId ?? -1, limit) as { id: number }[];
	const matcher = memoryMatcher(db, projectId);
	for (const { id } of ids) suggestFromMemory(db, id, matcher);
	return ids.length;
}

/**
 * Pre-annotation step (see ../preannotate): the memory's suggestions. The matcher is built once
 * per run from the memory as it stands when the run starts.
 */
export function createMemoryStep(db: Db, project: { id: number; slug: string }): PreannotationStep {
	const owner = memoryOwner(project.slug);
	let matcher: MemoryMatcher | null = null;
	return {
		name: 'memory',
		owner,
		supersedes: () => false,
		run: ({ document }) => {
			matcher ??= buildMatcher(db, project.id);
			return { spans: matchMemory(db, document, owner, matcher) };
		}
	};
}
