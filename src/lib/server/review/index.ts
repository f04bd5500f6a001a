// Review into the gold set. The reviewer sees every annotator's set of a document side by side,
// spans grouped by whether all annotators or only some marked them, and builds the gold set
// (owner `gold`) span by span. Every decision is one IMMEDIATE transaction that checks the gold
// revision the page was built on (a stale page is a conflict, never a silent overwrite), writes
// the gold spans and links, bumps the revision and records an audit event with the reviewer.
import { inTransaction, type Db } from '../db/client';
import { findSet, getOrCreateSet, insertSpans, type AnnotationSet } from '../db/annotation-sets';
import type { User } from '../db/users';
import { sliceCodePoints } from '../../domain/offsets';
import { doubtOf, findSpanProblems, SPAN_LAYER_NAMES, withoutDoubt, type SpanAttributes, type LinkKind, type SpanDraft, type SpanLayer, type SpanOrigin, type StoredSpan } from '../../domain/spans';
import { entityLabelNames, type LabelSchema } from '../../domain/label-schema';
import { toSuggestion, type Suggestion, type SuggestionLink } from '../../domain/editing/suggestions';
import { suggestionKey } from '../../domain/editing/state';
import { excerptForMessage } from '../../domain/editing/operations';
import { loadAnnotatorSet, type AnnotatorSetView } from '../annotation/load-annotations';

export const GOLD_OWNER = 'gold';
/** Who reviews: reads every annotator's set and edits the gold set (on Relecture and in the workspace). */
export const REVIEWER_ROLES = ['admin', 'reviewer'] as const;

export interface ReviewSpan extends StoredSpan {
	id: number;
	text: string;
	/** Candidate key: layer, offsets, label and the attribute that matters for the layer. */
	key: string;
	/** Text of the linked speaker (quotes) or holder (stances), when any; `span` when the link is to a span of the set. */
	linkedTo: { kind: string; text: string; span: { layer: SpanLayer; start: number; end: number; label: string } | null }[];
}

export interface AnnotatorColumn {
	username: string;
	status: AnnotationSet['status'];
	spans: (ReviewSpan & { agreement: 'all' | 'some' })[];
}

export interface Candidate {
	key: string;
	layer: SpanLayer;
	start: number;
	end: number;
	label: string;
	attributes: SpanAttributes;
	text: string;
	annotators: string[];
	/** Who marked it as a doubt (« doute ») in their set, with their note: what to look at first. */
	doubts: { username: string; note: string | null }[];
	agreement: 'all' | 'some';
	inGold: boolean;
	/** The latest review decision on it, when any. */
	decision: 'accepted' | 'rejected' | null;
}

export interface AuditRow {
	id: number;
	owner: string;
	username: string | null;
	action: string;
	summary: string;
	revision: number;
	createdAt: string;
}

export interface ReviewView {
	annotators: AnnotatorColumn[];
	candidates: Candidate[];
	gold: { revision: number; status: AnnotationSet['status']; spans: ReviewSpan[] };
	audit: AuditRow[];
}

export type ReviewDecision =
	| { type: 'accept'; key: string }
	| { type: 'reject'; key: string }
	| { type: 'accept-agreed' }
	| { type: 'remove'; spanId: number }
	| { type: 'edit'; spanId: number; label: string; start: number; end: number }
	| { type: 'status'; status: 'done' | 'in_progress' };

export type ReviewResult =
	| { outcome: 'saved'; revision: number; changed: number }
	| { outcome: 'conflict'; revision: number; message: string }
	| { outcome: 'invalid'; message: string };

interface SpanRow {
	id: number;
	setId: number;
	layer: SpanLayer;
	start: number;
	end: number;
	label: string;
	attributes: string;
	origin: SpanOrigin;
	score: number | null;
	provenance: string;
	decision: StoredSpan['decision'];
}

export function candidateKey(span: { layer: string; start: number; end: number; label: string; attributes?: SpanAttributes }): string {
	const attribute = span.layer === 'stance' ? (span.attributes?.polarity ?? '') : span.layer === 'quote' ? (span.attributes?.kind ?? '') : '';
	return `${span.layer}:${span.start}-${span.end}:${span.label}${attribute ? `:${attribute}` : ''}`;
}

function loadSpans(db: Db, setId: number, text: string): ReviewSpan[] {
	const rows = db.$client
		.prepare(
			`SELECT id, set_id AS setId, layer, start, "end", label, attributes, origin, score, provenance, decision
			   FROM spans WHERE set_id = ? ORDER BY start, "end" DESC, layer`
		)
		.all(setId) as SpanRow[];
	const links = db.$client
		.prepare(
			`SELECT l.from_span_id AS fromId, l.kind, l.to_name AS toName, t.layer, t.start, t."end" AS "end", t.label
			   FROM links l LEFT JOIN spans t ON t.id = l.to_span_id WHERE l.set_id = ? ORDER BY l.id`
		)
		.all(setId) as { fromId: number; kind: string; toName: string | null; layer: SpanLayer | null; start: number | null; end: number | null; label: string | null }[];
	return rows.map((row) => {
		const attributes = JSON.parse(row.attributes) as SpanAttributes;
		return {
			...row,
			attributes,
			text: sliceCodePoints(text, row.start, row.end),
			key: candidateKey({ ...row, attributes }),
			linkedTo: links
				.filter((link) => link.fromId === row.id)
				.map((link) =>
					link.start === null
						? { kind: link.kind, text: link.toName ?? '', span: null }
						: { kind: link.kind, text: sliceCodePoints(text, link.start, link.end!), span: { layer: link.layer!, start: link.start, end: link.end!, label: link.label! } }
				)
		};
	});
}

function annotatorSets(db: Db, documentId: number): AnnotationSet[] {
	return db.$client
		.prepare(
			`SELECT id, document_id AS documentId, owner_kind AS ownerKind, owner, user_id AS userId, status, revision,
			        created_at AS createdAt, updated_at AS updatedAt, done_at AS doneAt
			   FROM annotation_sets WHERE document_id = ? AND owner_kind = 'annotator' ORDER BY owner`
		)
		.all(documentId) as AnnotationSet[];
}

/** Everything /review/[id] shows. `text` is the document's cleaned text. */
export function loadReview(db: Db, documentId: number, text: string): ReviewView {
	const sets = annotatorSets(db, documentId);
	const columns = sets.map((set) => ({ set, spans: loadSpans(db, set.id, text) }));
	const byKey = new Map<string, { span: ReviewSpan; annotators: string[]; doubts: Candidate['doubts'] }>();
	for (const { set, spans } of columns) {
		for (const span of spans) {
			let entry = byKey.get(span.key);
			if (!entry) byKey.set(span.key, (entry = { span, annotators: [], doubts: [] }));
			if (!entry.annotators.includes(set.owner)) entry.annotators.push(set.owner);
			const doubt = doubtOf(span);
			if (doubt) entry.doubts.push({ username: set.owner, note: doubt.note });
		}
	}
	const agreementOf = (key: string) => (sets.length > 0 && byKey.get(key)!.annotators.length === sets.length ? 'all' : 'some');
	const gold = findSet(db, documentId, GOLD_OWNER);
	const goldSpans = gold ? loadSpans(db, gold.id, text) : [];
	const goldKeys = new Set(goldSpans.map((span) => span.key));
	const decisions = gold ? latestDecisions(db, gold.id) : new Map<string, 'accepted' | 'rejected' | null>();
	const candidates: Candidate[] = [...byKey.values()]
		.map(({ span, annotators, doubts }) => ({
			key: span.key,
			layer: span.layer,
			start: span.start,
			end: span.end,
			label: span.label,
			attributes: withoutDoubt(span.attributes),
			text: span.text,
			annotators: annotators.sort(),
			doubts,
			agreement: agreementOf(span.key) as 'all' | 'some',
			inGold: goldKeys.has(span.key),
			decision: decisionOf(decisions, span)
		}))
		.sort((a, b) => a.start - b.start || b.end - a.end || a.key.localeCompare(b.key));
	return {
		annotators: columns.map(({ set, spans }) => ({
			username: set.owner,
			status: set.status,
			spans: spans.map((span) => ({ ...span, agreement: agreementOf(span.key) as 'all' | 'some' }))
		})),
		candidates,
		gold: { revision: gold?.revision ?? 0, status: gold?.status ?? 'todo', spans: goldSpans },
		audit: listDocumentAudit(db, documentId)
	};
}

/** The source name of an annotator's spans offered as suggestions on the gold set. */
function annotatorSource(username: string): string {
	return `human:${username}`;
}

/**
 * What the annotation workspace offers a reviewer editing the gold set: every annotator's spans,
 * each with its annotator as source (so annotators who agree show as one suggestion with several
 * sources) and with that annotator's links (a quote comes with its speaker). Taking one keeps
 * the provenance the annotator's span had (`carries`), as an accept on Relecture does: a span
 * the annotator accepted from the model stays the model's in gold. The workspace hides
 * those already in gold; candidates set aside on Relecture are left out, as its « accept the
 * agreed ones » leaves them.
 */
export function listGoldSuggestions(view: ReviewView): Suggestion[] {
	const setAside = new Set(view.candidates.filter((c) => c.decision === 'rejected' && !c.inGold).map((c) => c.key));
	const suggestions: Suggestion[] = [];
	for (const column of view.annotators) {
		const provenance = annotatorSource(column.username);
		for (const span of column.spans) {
			if (setAside.has(span.key)) continue;
			// A link to a span goes to that annotator's suggestion for it; the article as holder and a
			// listed stance target are names, taken as they are.
			const doubt = doubtOf(span);
			const links: SuggestionLink[] = span.linkedTo.flatMap((link): SuggestionLink[] =>
				link.span ? [{ kind: link.kind as LinkKind, to: suggestionKey({ provenance, ...link.span }) }] : link.text ? [{ kind: link.kind as LinkKind, toName: link.text }] : []
			);
			suggestions.push({
				...toSuggestion({ provenance, layer: span.layer, start: span.start, end: span.end, label: span.label, origin: 'human', score: null, attributes: withoutDoubt(span.attributes) }),
				carries: { origin: span.origin, score: span.score, provenance: span.provenance, decision: span.decision },
				...(doubt ? { doubt } : {}),
				...(links.length ? { links } : {})
			});
		}
	}
	return suggestions.sort((a, b) => a.start - b.start || b.end - a.end || a.key.localeCompare(b.key));
}

/** What the annotation workspace needs to edit a document's gold set: the set as annotators' sets are read, and the annotators' spans as suggestions. */
export function loadGoldWorkspace(db: Db, documentId: number, text: string): AnnotatorSetView & { suggestions: Suggestion[] } {
	return { ...loadAnnotatorSet(db, documentId, GOLD_OWNER), suggestions: listGoldSuggestions(loadReview(db, documentId, text)) };
}

/**
 * The latest decision on each candidate: Relecture's (`review.accept` / `review.reject`, by
 * candidate key) and the workspace's on the gold set (`reject` / `unreject` of an annotator's
 * suggestion, `source|layer:start-end|label`, kept under the candidate key without its attribute,
 * which a suggestion key does not carry). Read with `decisionOf`.
 */
function latestDecisions(db: Db, goldSetId: number): Map<string, 'accepted' | 'rejected' | null> {
	const rows = db.$client
		.prepare(
			`SELECT action, json_extract(detail, '$.candidate') AS candidate, json_extract(detail, '$.suggestion') AS suggestion FROM audit_events
			  WHERE set_id = ? AND action IN ('review.accept', 'review.reject', 'reject', 'unreject') ORDER BY id`
		)
		.all(goldSetId) as { action: string; candidate: string | null; suggestion: string | null }[];
	const decisions = new Map<string, 'accepted' | 'rejected' | null>();
	for (const row of rows) {
		if (row.action.startsWith('review.')) decisions.set(row.candidate!, row.action === 'review.accept' ? 'accepted' : 'rejected');
		else {
			const [, range, label] = row.suggestion!.split('|');
			decisions.set(`${range}:${label}`, row.action === 'reject' ? 'rejected' : null);
		}
	}
	return decisions;
}

function decisionOf(decisions: Map<string, 'accepted' | 'rejected' | null>, span: ReviewSpan): 'accepted' | 'rejected' | null {
	return decisions.get(span.key) ?? decisions.get(candidateKey({ ...span, attributes: {} })) ?? null;
}

/** Who changed what and when, for every set of the document (annotators, gold, machines), newest first. */
export function listDocumentAudit(db: Db, documentId: number, limit = 500): AuditRow[] {
	const rows = db.$client
		.prepare(
			`SELECT e.id, s.owner, u.username, e.action, e.detail, e.revision, e.created_at AS createdAt
			   FROM audit_events e JOIN annotation_sets s ON s.id = e.set_id LEFT JOIN users u ON u.id = e.user_id
			  WHERE s.document_id = ? ORDER BY e.id DESC LIMIT ?`
		)
		.all(documentId, limit) as (Omit<AuditRow, 'summary'> & { detail: string })[];
	return rows.map(({ detail, ...row }) => {
		const parsed = JSON.parse(detail) as Record<string, unknown>;
		const summary = typeof parsed.summary === 'string' ? parsed.summary : describeDetail(parsed);
		return { ...row, summary };
	});
}

function describeDetail(detail: Record<string, unknown>): string {
	return Object.entries(detail)
		.filter(([key]) => key !== 'saveId')
		.map(([key, value]) => `${key} ${typeof value === 'string' ? value : JSON.stringify(value)}`)
		.join(', ');
}

export interface ReviewInput {
	documentId: number;
	/** The acting reviewer (locals.user), never a name sent by the client. */
	user: Pick<User, 'id' | 'username'>;
	text: string;
	labelSchema: LabelSchema;
	/** The gold revision the reviewer's page showed. */
	baseRevision: number;
	decision: ReviewDecision;
}

/** Applies one review decision to the gold set; an invalid decision writes nothing. */
export function applyReviewDecision(db: Db, input: ReviewInput): ReviewResult {
	try {
		return applyInTransaction(db, input);
	} catch (error) {
		if (error instanceof RollBack) return error.result;
		throw error;
	}
}

function applyInTransaction(db: Db, input: ReviewInput): ReviewResult {
	return inTransaction(db, () => {
		const existing = findSet(db, input.documentId, GOLD_OWNER);
		const current = existing?.revision ?? 0;
		if (input.baseRevision !== current) {
			return {
				outcome: 'conflict' as const,
				revision: current,
				message: `Le jeu de référence a été modifié entre-temps (révision ${current} ; votre page montrait la révision ${input.baseRevision}). Votre choix n’a pas été appliqué : la page montre maintenant la version actuelle, vérifiez-la puis refaites-le s’il y a lieu.`
			};
		}
		const gold = existing ?? getOrCreateSet(db, input.documentId, GOLD_OWNER, { status: 'in_progress' });
		const writer = new GoldWriter(db, gold, input);
		const result = writer.apply(input.decision);
		if (result.outcome !== 'saved') throw new RollBack(result);
		const revision = current + 1;
		db.$client
			.prepare(
				`UPDATE annotation_sets SET revision = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
				        status = COALESCE(?, CASE WHEN status = 'todo' THEN 'in_progress' ELSE status END),
				        done_at = CASE WHEN COALESCE(?, status) = 'done' THEN COALESCE(done_at, strftime('%Y-%m-%dT%H:%M:%fZ','now')) ELSE NULL END
				  WHERE id = ?`
			)
			.run(revision, writer.newStatus, writer.newStatus, gold.id);
		const audit = db.$client.prepare(`INSERT INTO audit_events (set_id, user_id, action, detail, revision) VALUES (?, ?, ?, ?, ?)`);
		for (const event of writer.events) audit.run(gold.id, input.user.id, event.action, JSON.stringify(event.detail), revision);
		return { outcome: 'saved' as const, revision, changed: writer.events.length };
	}) as ReviewResult;
}

class RollBack extends Error {
	constructor(readonly result: ReviewResult) {
		super('review decision refused');
	}
}

class GoldWriter {
	events: { action: string; detail: Record<string, unknown> }[] = [];
	newStatus: 'done' | 'in_progress' | null = null;

	constructor(
		private db: Db,
		private gold: AnnotationSet,
		private input: ReviewInput
	) {}

	apply(decision: ReviewDecision): ReviewResult {
		// A reviewed gold set is what exports read as final: it changes only after an explicit reopening.
		if (this.gold.status === 'done' && decision.type !== 'status') {
			return { outcome: 'invalid', message: 'la relecture est terminée : rouvrez-la pour modifier le jeu de référence' };
		}
		switch (decision.type) {
			case 'accept':
				return this.accept([decision.key]);
			case 'accept-agreed': {
				const view = loadReview(this.db, this.input.documentId, this.input.text);
				// Entities and mentions first, so that quotes and stances find their speakers in gold.
				const order = (layer: string) => (layer === 'entity' || layer === 'mention' ? 0 : layer === 'cue' ? 1 : 2);
				const keys = view.candidates
					// A candidate the reviewer set aside stays out: only a one-by-one accept brings it back.
					// So does one an annotator doubted: agreeing on it is not settling it.
					.filter((c) => c.agreement === 'all' && !c.inGold && c.decision !== 'rejected' && c.doubts.length === 0)
					.sort((a, b) => order(a.layer) - order(b.layer) || a.start - b.start)
					.map((c) => c.key);
				if (keys.length === 0) {
					const doubted = view.candidates.some((c) => c.agreement === 'all' && !c.inGold && c.decision !== 'rejected');
					return {
						outcome: 'invalid',
						message: doubted
							? 'les annotations communes qui restent portent un doute (⚑) : examinez-les et acceptez-les une à une'
							: 'aucune annotation commune à tous les annotateurs à ajouter'
					};
				}
				return this.accept(keys);
			}
			case 'reject':
				return this.reject(decision.key);
			case 'remove':
				return this.remove(decision.spanId);
			case 'edit':
				return this.edit(decision);
			case 'status':
				this.newStatus = decision.status;
				this.events.push({ action: 'status', detail: { summary: decision.status === 'done' ? 'relecture terminée' : 'relecture rouverte', to: decision.status } });
				return this.saved();
		}
	}

	private saved(): ReviewResult {
		return { outcome: 'saved', revision: 0, changed: this.events.length };
	}

	private goldRows(): SpanRow[] {
		return this.db.$client
			.prepare(`SELECT id, set_id AS setId, layer, start, "end", label, attributes, origin, score, provenance, decision FROM spans WHERE set_id = ?`)
			.all(this.gold.id) as SpanRow[];
	}

	private findSource(key: string): SpanRow | undefined {
		return (
			this.db.$client
				.prepare(
					`SELECT sp.id, sp.set_id AS setId, sp.layer, sp.start, sp."end", sp.label, sp.attributes, sp.origin, sp.score, sp.provenance, sp.decision
					   FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id
					  WHERE s.document_id = ? AND s.owner_kind = 'annotator' ORDER BY s.owner, sp.id`
				)
				.all(this.input.documentId) as SpanRow[]
		).find((row) => candidateKey({ ...row, attributes: JSON.parse(row.attributes) }) === key);
	}

	private accept(keys: string[]): ReviewResult {
		const sqlite = this.db.$client;
		for (const key of keys) {
			const found = this.findSource(key);
			if (!found) return { outcome: 'invalid', message: `aucun annotateur n’a plus ${describeKey(key, this.input.text)} : la page a été ouverte avant un changement (d’un annotateur ou du schéma) ; rechargez-la` };
			// The annotator's doubt stays theirs (Relecture shows it): the gold set is the reviewer's.
			const source = { ...found, attributes: JSON.stringify(withoutDoubt(JSON.parse(found.attributes) as SpanAttributes)) };
			const sameSlot = this.goldRows().find((row) => row.layer === source.layer && row.start === source.start && row.end === source.end);
			let goldId: number;
			if (sameSlot) {
				// One span per layer and offsets in a set: accepting a variant replaces the label.
				sqlite.prepare('UPDATE spans SET label = ?, attributes = ?, origin = ?, score = ?, provenance = ?, decision = ? WHERE id = ?').run(
					source.label,
					source.attributes,
					source.origin,
					source.score,
					source.provenance,
					source.decision,
					sameSlot.id
				);
				goldId = sameSlot.id;
			} else {
				const draft: SpanDraft = {
					layer: source.layer,
					start: source.start,
					end: source.end,
					label: source.label,
					attributes: JSON.parse(source.attributes),
					origin: source.origin,
					score: source.score,
					provenance: source.provenance,
					decision: source.decision
				};
				const rows = this.goldRows();
				const length = [...this.input.text].length;
				const labels = entityLabelNames(this.input.labelSchema);
				const before = findSpanProblems(rows, length, labels).length;
				const problems = findSpanProblems([...rows, draft], length, labels);
				if (problems.length > before) {
					const problem = problems.find((p) => p.index === rows.length) ?? problems.at(-1)!;
					return { outcome: 'invalid', message: `${describeKey(key, this.input.text)} : ${problem.message}` };
				}
				[goldId] = insertSpans(this.db, this.gold.id, [draft]);
			}
			this.copyLinks(source, goldId);
			this.events.push({
				action: 'review.accept',
				detail: { candidate: key, summary: `ajoute ${describeKey(key)} au jeu de référence`, replaced: sameSlot ? candidateKey({ ...sameSlot, attributes: JSON.parse(sameSlot.attributes) }) : undefined }
			});
		}
		return this.saved();
	}

	/** Copies the source span's links whose other end is already in gold, in both directions. */
	private copyLinks(source: SpanRow, goldId: number): void {
		const sqlite = this.db.$client;
		const goldIdOf = (spanId: number): number | undefined => {
			const span = sqlite.prepare('SELECT layer, start, "end" AS "end" FROM spans WHERE id = ?').get(spanId) as { layer: string; start: number; end: number };
			return (sqlite.prepare('SELECT id FROM spans WHERE set_id = ? AND layer = ? AND start = ? AND "end" = ?').get(this.gold.id, span.layer, span.start, span.end) as { id: number } | undefined)?.id;
		};
		const hasSlot = (kind: string, fromId: number) => !!sqlite.prepare('SELECT 1 FROM links WHERE set_id = ? AND kind = ? AND from_span_id = ?').get(this.gold.id, kind, fromId);
		const insert = sqlite.prepare('INSERT INTO links (set_id, kind, from_span_id, to_span_id, to_name) VALUES (?, ?, ?, ?, ?)');
		const outgoing = sqlite.prepare('SELECT kind, to_span_id AS toId, to_name AS toName FROM links WHERE from_span_id = ?').all(source.id) as {
			kind: string;
			toId: number | null;
			toName: string | null;
		}[];
		for (const link of outgoing) {
			if (hasSlot(link.kind, goldId)) continue;
			if (link.toId === null) insert.run(this.gold.id, link.kind, goldId, null, link.toName);
			else {
				const target = goldIdOf(link.toId);
				if (target !== undefined) insert.run(this.gold.id, link.kind, goldId, target, null);
			}
		}
		const incoming = sqlite.prepare('SELECT kind, from_span_id AS fromId FROM links WHERE to_span_id = ?').all(source.id) as { kind: string; fromId: number }[];
		for (const link of incoming) {
			const from = goldIdOf(link.fromId);
			if (from !== undefined && !hasSlot(link.kind, from)) insert.run(this.gold.id, link.kind, from, goldId, null);
		}
	}

	private reject(key: string): ReviewResult {
		const inGold = this.goldRows().find((row) => candidateKey({ ...row, attributes: JSON.parse(row.attributes) }) === key);
		if (inGold) this.db.$client.prepare('DELETE FROM spans WHERE id = ?').run(inGold.id);
		this.events.push({ action: 'review.reject', detail: { candidate: key, summary: `écarte ${describeKey(key)}${inGold ? ' (retirée du jeu de référence)' : ''}` } });
		return this.saved();
	}

	private remove(spanId: number): ReviewResult {
		const row = this.goldRows().find((r) => r.id === spanId);
		if (!row) return { outcome: 'invalid', message: 'cette annotation n’est pas dans le jeu de référence' };
		this.db.$client.prepare('DELETE FROM spans WHERE id = ?').run(spanId);
		const key = candidateKey({ ...row, attributes: JSON.parse(row.attributes) });
		this.events.push({ action: 'review.remove', detail: { candidate: key, summary: `retire ${describeKey(key)} du jeu de référence` } });
		return this.saved();
	}

	private edit(decision: Extract<ReviewDecision, { type: 'edit' }>): ReviewResult {
		const rows = this.goldRows();
		const row = rows.find((r) => r.id === decision.spanId);
		if (!row) return { outcome: 'invalid', message: 'cette annotation n’est pas dans le jeu de référence' };
		const edited = { ...row, label: decision.label, start: decision.start, end: decision.end };
		if (rows.some((r) => r.id !== row.id && r.layer === edited.layer && r.start === edited.start && r.end === edited.end)) {
			return { outcome: 'invalid', message: 'une annotation de ce type existe déjà à ces positions' };
		}
		const all = rows.map((r) => (r.id === row.id ? edited : r));
		const problems = findSpanProblems(all, [...this.input.text].length, entityLabelNames(this.input.labelSchema));
		const problem = problems.find((p) => all[p.index].id === row.id) ?? problems[0];
		if (problem) return { outcome: 'invalid', message: problem.message };
		const before = candidateKey({ ...row, attributes: JSON.parse(row.attributes) });
		const after = candidateKey({ ...edited, attributes: JSON.parse(row.attributes) });
		if (before === after) return { outcome: 'invalid', message: 'rien n’a changé' };
		// As in the workspace (updateSpanOperation): the span keeps its provenance, and a taken
		// suggestion becomes `edited`; the audit event below names the reviewer.
		this.db.$client
			.prepare(`UPDATE spans SET label = ?, start = ?, "end" = ?, decision = ? WHERE id = ?`)
			.run(edited.label, edited.start, edited.end, row.decision === 'accepted' ? 'edited' : row.decision, row.id);
		this.events.push({ action: 'review.edit', detail: { candidate: after, from: before, summary: `modifie ${describeKey(before)} en ${describeKey(after)}` } });
		return this.saved();
	}
}

/**
 * A candidate's key (`entity:83-87:LOC`) as the audit log keeps it (`LOC 83–87`), or, given the
 * document's text, in a reviewer's words (`l’entité « Kiev » (LOC)`).
 */
function describeKey(key: string, text?: string): string {
	const [layer, range, label, attribute] = key.split(':');
	const name = layer === 'entity' ? label : (SPAN_LAYER_NAMES[layer as SpanLayer] ?? layer);
	if (text === undefined || !/^\d+-\d+$/.test(range ?? '')) return `${name} ${range?.replace('-', '–') ?? ''}${attribute ? ` (${attribute})` : ''}`;
	const [start, end] = range.split('-').map(Number);
	const words = excerptForMessage(sliceCodePoints(text, start, end));
	const article = layer === 'entity' ? 'l’' : layer === 'cue' ? 'le ' : 'la ';
	return `${article}${SPAN_LAYER_NAMES[layer as SpanLayer] ?? layer} « ${words} » (${attribute ?? label})`;
}

export interface ReviewQueueRow {
	documentId: number;
	title: string;
	annotators: { username: string; status: string }[];
	done: number;
	goldStatus: string | null;
	goldRevision: number | null;
	goldSpans: number;
	/** Spans the document's annotators marked as doubts (« doute »). */
	doubts: number;
}

/** How the Relecture list is ordered: the most finished first, or the most doubts first. */
export type ReviewQueueOrder = 'progress' | 'doubts';

/** Documents with at least one annotator set, the most finished first, then by id. */
export function listReviewQueue(db: Db, projectId: number, options: { limit?: number; order?: ReviewQueueOrder } = {}): ReviewQueueRow[] {
	// A document whose review is finished goes last either way: nothing is left to settle there.
	const order = options.order === 'doubts' ? `(goldStatus = 'done'), doubts DESC, done DESC, d.id` : `(goldStatus = 'done'), done DESC, d.id`;
	const rows = db.$client
		.prepare(
			`SELECT d.id AS documentId, d.title,
			        json_group_array(json_object('username', s.owner, 'status', s.status)) AS annotators,
			        SUM(s.status = 'done') AS done,
			        (SELECT g.status FROM annotation_sets g WHERE g.document_id = d.id AND g.owner = 'gold') AS goldStatus,
			        (SELECT g.revision FROM annotation_sets g WHERE g.document_id = d.id AND g.owner = 'gold') AS goldRevision,
			        (SELECT COUNT(*) FROM spans sp JOIN annotation_sets g ON g.id = sp.set_id WHERE g.document_id = d.id AND g.owner = 'gold') AS goldSpans,
			        (SELECT COUNT(*) FROM spans sp JOIN annotation_sets a ON a.id = sp.set_id
			          WHERE a.document_id = d.id AND a.owner_kind = 'annotator' AND json_extract(sp.attributes, '$.doubt') IS NOT NULL) AS doubts
			   FROM documents d JOIN annotation_sets s ON s.document_id = d.id AND s.owner_kind = 'annotator'
			  WHERE d.project_id = ?
			  GROUP BY d.id
			  ORDER BY ${order}
			  LIMIT ?`
		)
		.all(projectId, Math.min(Math.max(options.limit ?? 200, 1), 1000)) as (Omit<ReviewQueueRow, 'annotators'> & { annotators: string })[];
	return rows.map((row) => ({
		...row,
		annotators: (JSON.parse(row.annotators) as ReviewQueueRow['annotators']).sort((a, b) => a.username.localeCompare(b.username))
	}));
}
