// Annotation sets: one per (document, owner), holding spans and the links between them.
import { and, eq } from 'drizzle-orm';
import type { LinkDraft, SpanDraft } from '../../domain/spans';
import type { Db } from './client';
import { annotationSets, links, spans, type OWNER_KINDS, type SET_STATUSES } from './schema';

export type AnnotationSet = typeof annotationSets.$inferSelect;
export type OwnerKind = (typeof OWNER_KINDS)[number];
export type SetStatus = (typeof SET_STATUSES)[number];

/** Owner kinds whose sets hold suggestions, recomputed by pre-annotation: never anyone's work. */
export const MACHINE_OWNER_KINDS = ['model', 'rules', 'memory'] as const satisfies readonly OwnerKind[];
/** The same list as an SQL tuple, for `owner_kind IN …`. */
export const MACHINE_OWNER_KINDS_SQL = `(${MACHINE_OWNER_KINDS.map((kind) => `'${kind}'`).join(', ')})`;

/** What kind of owner an owner string names: `gold`, `model:…`, `rules:…`, `memory:…`, else a user. */
export function ownerKindOf(owner: string): OwnerKind {
	if (owner === 'gold') return 'gold';
	const prefix = owner.split(':', 1)[0];
	if (prefix === 'model' || prefix === 'rules' || prefix === 'memory') return prefix;
	return 'annotator';
}

export function findSet(db: Db, documentId: number, owner: string): AnnotationSet | undefined {
	return db
		.select()
		.from(annotationSets)
		.where(and(eq(annotationSets.documentId, documentId), eq(annotationSets.owner, owner)))
		.get();
}

export function getOrCreateSet(
	db: Db,
	documentId: number,
	owner: string,
	options: { userId?: number | null; status?: SetStatus } = {}
): AnnotationSet {
	const existing = findSet(db, documentId, owner);
	if (existing) return existing;
	return db
		.insert(annotationSets)
		.values({
			documentId,
			owner,
			ownerKind: ownerKindOf(owner),
			userId: options.userId ?? null,
			status: options.status ?? 'todo'
		})
		.returning()
		.get();
}

/**
 * Replaces everything in a set with `drafts` and their links, and bumps its revision. Callers
 * run it inside their transaction. Returns the new span ids in draft order.
 */
export function replaceSetContent(db: Db, setId: number, drafts: readonly SpanDraft[], linkDrafts: readonly LinkDraft[] = []): number[] {
	db.delete(spans).where(eq(spans.setId, setId)).run();
	const ids = insertSpans(db, setId, drafts);
	insertLinks(db, setId, ids, linkDrafts);
	db.$client
		.prepare(`UPDATE annotation_sets SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`)
		.run(setId);
	return ids;
}

export function insertSpans(db: Db, setId: number, drafts: readonly SpanDraft[]): number[] {
	const insert = db.$client.prepare(
		`INSERT INTO spans (set_id, layer, start, "end", label, attributes, origin, score, provenance, decision)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	);
	return drafts.map((draft) => {
		const row = insert.get(
			setId,
			draft.layer,
			draft.start,
			draft.end,
			draft.label,
			JSON.stringify(draft.attributes ?? {}),
			draft.origin,
			draft.score ?? null,
			draft.provenance,
			draft.decision ?? null
		) as { id: number };
		return row.id;
	});
}

export function insertLinks(db: Db, setId: number, spanIds: readonly number[], linkDrafts: readonly LinkDraft[]): void {
	for (const link of linkDrafts) {
		db.insert(links)
			.values({
				setId,
				kind: link.kind,
				fromSpanId: spanIds[link.from],
				toSpanId: link.to === null ? null : spanIds[link.to],
				toName: link.toName ?? null
			})
			.run();
	}
}
