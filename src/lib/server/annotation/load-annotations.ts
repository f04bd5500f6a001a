// Reads what the workspace needs for one document and one annotator: their set (spans, links,
// rejected suggestions, status, revision), the machine suggestions, and the next document of
// their queue.
import type { Db } from '../db/client';
import { findSet, MACHINE_OWNER_KINDS_SQL } from '../db/annotation-sets';
import { getNextDocumentForUser, listAssignedDocumentIds } from '../assignment';
import type { SpanAttributes } from '../../domain/spans';
import { rejectionKey, spanKey, type EditLink, type EditSpan, type SetStatus, type StateSnapshot } from '../../domain/editing/state';
import { toSuggestion, type Suggestion } from '../../domain/editing/suggestions';

export interface AnnotatorSetView {
	setId: number | null;
	/** 0 for a set that does not exist yet; the first save creates it. */
	revision: number;
	snapshot: StateSnapshot;
}

interface SpanRow {
	id: number;
	layer: EditSpan['layer'];
	start: number;
	end: number;
	label: string;
	attributes: string;
	origin: EditSpan['origin'];
	score: number | null;
	provenance: string;
	decision: EditSpan['decision'];
}

function toEditSpan(row: SpanRow): EditSpan {
	return {
		layer: row.layer,
		start: row.start,
		end: row.end,
		label: row.label,
		attributes: JSON.parse(row.attributes) as SpanAttributes,
		origin: row.origin,
		score: row.score,
		provenance: row.provenance,
		decision: row.decision
	};
}

const SPAN_COLUMNS = `sp.id, sp.layer, sp.start, sp."end", sp.label, sp.attributes, sp.origin, sp.score, sp.provenance, sp.decision`;

export function loadAnnotatorSet(db: Db, documentId: number, owner: string): AnnotatorSetView {
	const set = findSet(db, documentId, owner);
	if (!set) return { setId: null, revision: 0, snapshot: { spans: [], links: [], rejected: [], status: 'todo' } };
	const rows = db.$client
		.prepare(`SELECT ${SPAN_COLUMNS} FROM spans sp WHERE sp.set_id = ? ORDER BY sp.start, sp."end" DESC, sp.layer`)
		.all(set.id) as SpanRow[];
	const keyById = new Map<number, string>();
	const spans = rows.map((row) => {
		const span = toEditSpan(row);
		keyById.set(row.id, spanKey(span));
		return span;
	});
	const linkRows = db.$client
		.prepare(`SELECT kind, from_span_id AS fromId, to_span_id AS toId, to_name AS toName FROM links WHERE set_id = ? ORDER BY id`)
		.all(set.id) as { kind: EditLink['kind']; fromId: number; toId: number | null; toName: string | null }[];
	const links: EditLink[] = linkRows.map((row) => ({
		kind: row.kind,
		from: keyById.get(row.fromId) as string,
		to: row.toId === null ? null : (keyById.get(row.toId) as string),
		toName: row.toId === null ? row.toName : null
	}));
	return {
		setId: set.id,
		revision: set.revision,
		snapshot: { spans, links, rejected: loadRejections(db, set.id), status: set.status as SetStatus }
	};
}

/**
 * Rejected suggestions are kept in the set's audit trail: `reject` and `unreject` events
 * (undo) carry the suggestion key, the last one wins, by rejection key as the workspace decides
 * (any model's rejection of a span and label is one decision, see rejectionKey); each comes
 * back under the key it was rejected with. suggestion_decisions has no offsets, so it holds only
 * the counts per source and label; the audit trail says which suggestion.
 */
export function loadRejections(db: Db, setId: number): string[] {
	const events = db.$client
		.prepare(
			`SELECT action, json_extract(detail, '$.suggestion') AS suggestion FROM audit_events
			  WHERE set_id = ? AND action IN ('reject', 'unreject') ORDER BY id`
		)
		.all(setId) as { action: 'reject' | 'unreject'; suggestion: string }[];
	const rejected = new Map<string, string>();
	for (const event of events) {
		if (event.action === 'reject') rejected.set(rejectionKey(event.suggestion), event.suggestion);
		else rejected.delete(rejectionKey(event.suggestion));
	}
	return [...rejected.values()];
}

/** Spans of the document's machine-owned sets (model, rules, memory), in reading order, with their links. */
export function loadSuggestions(db: Db, documentId: number): Suggestion[] {
	const rows = db.$client
		.prepare(
			`SELECT ${SPAN_COLUMNS}, s.owner FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id
			  WHERE s.document_id = ? AND s.owner_kind IN ${MACHINE_OWNER_KINDS_SQL}
			  ORDER BY sp.start, sp."end" DESC, sp.layer`
		)
		.all(documentId) as (SpanRow & { owner: string })[];
	const seen = new Map<string, Suggestion>();
	const keyById = new Map<number, string>();
	const suggestions: Suggestion[] = [];
	for (const row of rows) {
		const span = toEditSpan(row);
		// A suggestion is named by its source: the set's owner when the span does not say more.
		const suggestion = toSuggestion({
			provenance: span.provenance || row.owner,
			layer: span.layer,
			start: span.start,
			end: span.end,
			label: span.label,
			origin: span.origin,
			score: span.score,
			attributes: span.attributes
		});
		keyById.set(row.id, suggestion.key);
		if (seen.has(suggestion.key)) continue;
		seen.set(suggestion.key, suggestion);
		suggestions.push(suggestion);
	}
	const links = db.$client
		.prepare(
			`SELECT l.kind, l.from_span_id AS fromId, l.to_span_id AS toId FROM links l JOIN annotation_sets s ON s.id = l.set_id
			  WHERE s.document_id = ? AND s.owner_kind IN ${MACHINE_OWNER_KINDS_SQL} AND l.to_span_id IS NOT NULL ORDER BY l.id`
		)
		.all(documentId) as { kind: EditLink['kind']; fromId: number; toId: number }[];
	for (const link of links) {
		const from = seen.get(keyById.get(link.fromId) ?? '');
		const to = keyById.get(link.toId);
		if (!from || !to) continue;
		(from.links ??= []).push({ kind: link.kind, to });
	}
	return suggestions;
}

/**
 * The annotator's queue: the next document by id (wrapping round to the first) whose set for
 * this owner is neither done nor skipped.
 */
export function findNextDocumentId(db: Db, projectId: number, owner: string, afterId: number): number | null {
	const open = `NOT EXISTS (SELECT 1 FROM annotation_sets s WHERE s.document_id = d.id AND s.owner = ? AND s.status IN ('done', 'skipped'))`;
	const statement = (comparison: string) =>
		db.$client.prepare(`SELECT d.id FROM documents d WHERE d.project_id = ? AND d.id ${comparison} ? AND ${open} ORDER BY d.id LIMIT 1`);
	const after = statement('>').get(projectId, afterId, owner) as { id: number } | undefined;
	if (after) return after.id;
	const before = statement('<').get(projectId, afterId, owner) as { id: number } | undefined;
	return before?.id ?? null;
}

/**
 * "Done and next": an annotator with assigned documents follows their assignment queue; anyone
 * else (the local user, an admin) goes through the whole project in id order.
 */
export function findNextDocumentForUser(db: Db, projectId: number, user: { id: number; username: string }, afterId: number): number | null {
	if (listAssignedDocumentIds(db, projectId, user.id).length > 0) return getNextDocumentForUser(db, projectId, user.id, afterId);
	return findNextDocumentId(db, projectId, user.username, afterId);
}
