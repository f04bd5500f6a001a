// The one way an annotator's work reaches the database, and a reviewer's edits of the gold set
// made in the same workspace (`set: 'gold'`, on the gold set's revision). A save is a list of
// edit operations made on top of a known revision of the set; in one IMMEDIATE transaction it
// checks that revision, replays the operations with the same pure rules the browser used, validates the
// result, writes spans and links, bumps the revision, and records the audit trail and the
// suggestion decisions. A stale revision is a conflict: nothing is written and the caller gets
// the current state to replay its work on.
import { inTransaction, type Db } from '../db/client';
import { getOrCreateSet, insertLinks, insertSpans, MACHINE_OWNER_KINDS_SQL } from '../db/annotation-sets';
import type { User } from '../db/users';
import { findSpanProblems, type SpanDraft } from '../../domain/spans';
import { entityLabelNames, projectLabelFor, type LabelSchema } from '../../domain/label-schema';
import { applyOperations, describeOperation, EditError, excerptForMessage, relabelOperation, type Operation } from '../../domain/editing/operations';
import { findParagraphBreaks } from '../../domain/editing/paragraphs';
import { OffsetIndex } from '../../domain/offsets';
import { fromSnapshot, isRejected, sortedSpans, spanKey, suggestionKey, type EditState, type StateSnapshot, type SuggestionRef } from '../../domain/editing/state';
import { loadAnnotatorSet } from './load-annotations';
import { recordEntitySave, recountUnlabelledSightings, refreshMemorySuggestions } from '../memory';
import { GOLD_OWNER } from '../review';
import { reclaimMovedDocument } from '../assignment';

/** Unreviewed documents whose memory suggestions a save refreshes at once; preannotate does the rest. */
const MEMORY_REFRESH_LIMIT = 50;

export interface SaveInput {
	documentId: number;
	/** The acting user (locals.user), never a name sent by the client. */
	user: Pick<User, 'id' | 'username'>;
	/** Length of documents.text in code points. */
	textLength: number;
	labelSchema: LabelSchema;
	baseRevision: number;
	operations: readonly Operation[];
	saveId: string;
	/**
	 * Which set the operations edit: the user's own (the default), or the document's gold set,
	 * which only reviewers may edit (the route checks the role).
	 */
	set?: 'own' | 'gold';
}

export type SaveResult =
	| { outcome: 'saved'; revision: number; status: StateSnapshot['status']; duplicate: boolean }
	| { outcome: 'conflict'; revision: number; snapshot: StateSnapshot; message: string }
	| { outcome: 'invalid'; revision: number; snapshot: StateSnapshot; message: string; operationIndex: number };

export function saveAnnotations(db: Db, input: SaveInput): SaveResult {
	// A page opened before a label was renamed sends its former name: the work, its audit trail and
	// its suggestion decisions go under the new one, as the rename carried the stored spans.
	const labelFor = (name: string) => projectLabelFor(input.labelSchema, name) ?? name;
	input = { ...input, operations: input.operations.map((op) => relabelOperation(op, labelFor)) };
	let memoryForms: string[] = [];
	let projectId = 0;
	const result = inTransaction(db, (): SaveResult => {
		const gold = input.set === 'gold';
		const current = loadAnnotatorSet(db, input.documentId, gold ? GOLD_OWNER : input.user.username);
		if (current.setId !== null) {
			const replayed = findSavedRevision(db, current.setId, input.saveId);
			if (replayed !== null) return { outcome: 'saved', revision: current.revision, status: current.snapshot.status, duplicate: true };
		}
		if (input.baseRevision !== current.revision) {
			return {
				outcome: 'conflict',
				revision: current.revision,
				snapshot: current.snapshot,
				message: `${gold ? 'le jeu de référence a été modifié ailleurs (Relecture ou un autre relecteur ; ' : 'le document a été modifié ailleurs ('}révision ${current.revision}, vos changements partent de la révision ${input.baseRevision})`
			};
		}
		// A refused operation is named by its spans' words, as the browser names them: the person
		// reading « acceptation PER « Lavrov » : … » knows which one; offsets tell them nothing.
		const document = db.$client.prepare('SELECT project_id AS projectId, text FROM documents WHERE id = ?').get(input.documentId) as { projectId: number; text: string };
		// Indexed only when a message needs it: most saves are refused nothing.
		let index: OffsetIndex | null = null;
		const textOf = ({ start, end }: { start: number; end: number }) => {
			index ??= new OffsetIndex(document.text);
			return Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= index.length ? excerptForMessage(index.slice(start, end)) : `${start}–${end}, hors du texte`;
		};
		let paragraphBreaks: number[] | null = null;
		const context = {
			textLength: input.textLength,
			// Found only when an operation makes or moves a span that must stay in its paragraph.
			get paragraphBreaks() {
				return (paragraphBreaks ??= findParagraphBreaks(document.text));
			},
			entityLabels: entityLabelNames(input.labelSchema),
			quoteKinds: input.labelSchema.quoteKinds,
			stancePolarities: input.labelSchema.stancePolarities,
			goldSet: gold,
			textOf
		};
		let state: EditState = fromSnapshot(current.snapshot);
		for (const [index, op] of input.operations.entries()) {
			try {
				state = applyOperations(state, [op], context);
			} catch (error) {
				if (!(error instanceof EditError)) throw error;
				return {
					outcome: 'invalid',
					revision: current.revision,
					snapshot: current.snapshot,
					operationIndex: index,
					message: `${describeOperation(op, textOf)} : ${error.message}`
				};
			}
		}
		// The replay validated each operation; this guards the whole set. Problems the stored set
		// already had (imported before a label was renamed) are not this save's to fix.
		const known = new Set(findSpanProblems(current.snapshot.spans, input.textLength, context.entityLabels).map((p) => p.message));
		const problems = findSpanProblems(sortedSpans(state.spans.values()), input.textLength, context.entityLabels).filter((p) => !known.has(p.message));
		if (problems.length) throw new Error(`save produced an invalid set: ${problems[0].message}`);

		const set = gold ? getOrCreateSet(db, input.documentId, GOLD_OWNER) : getOrCreateSet(db, input.documentId, input.user.username, { userId: input.user.id });
		const revision = set.revision + 1;
		writeSetContent(db, set.id, state);
		if (gold) return finishGoldSave(db, set.id, input, revision, state.status);
		markSetSaved(db, set.id, revision, state.status, input.user.id);
		// Only a set never saved before can have been moved to another queue by a rebalance.
		if (current.revision === 0) reclaimMovedDocument(db, input.documentId, input.user.id);
		// Finished, reopened, or edited while finished: what counts for finished sets is counted again.
		const finishedBeforeOrAfter = state.status === 'done' || current.snapshot.status === 'done';
		// The project's entity memory learns from this save, incrementally (see ../memory).
		projectId = document.projectId;
		const memoryDocument = { id: input.documentId, projectId, text: document.text };
		const entities = (spans: Iterable<{ layer: string; start: number; end: number; label: string }>) => [...spans].filter((s) => s.layer === 'entity');
		const forms = new Set(recordEntitySave(db, memoryDocument, entities(current.snapshot.spans), entities(state.spans.values())));
		// The forms it left unlabelled (read from the stored sets: after markSetSaved).
		if (finishedBeforeOrAfter) for (const form of recountUnlabelledSightings(db, memoryDocument)) forms.add(form);
		memoryForms = [...forms];
		recordOperations(db, set.id, input.user.id, revision, input.saveId, input.operations, concurringSources(db, input.documentId, state));
		if (finishedBeforeOrAfter) recordIgnoredSuggestions(db, set.id, input.documentId, state.status === 'done');
		return { outcome: 'saved', revision, status: state.status, duplicate: false };
	});
	// After the commit: other documents' suggestions are not part of this save's transaction.
	if (result.outcome === 'saved' && memoryForms.length) {
		refreshMemorySuggestions(db, projectId, memoryForms, { limit: MEMORY_REFRESH_LIMIT, excludeDocumentId: input.documentId });
	}
	return result;
}

/**
 * The rest of a gold save: revision, status and audit trail (the reviewer as author). Like a
 * decision on Relecture, it teaches the entity memory nothing and counts no suggestion decision:
 * the gold set's suggestions are the annotators' spans, not a machine source's.
 */
function finishGoldSave(db: Db, setId: number, input: SaveInput, revision: number, status: StateSnapshot['status']): SaveResult {
	markSetSaved(db, setId, revision, status, null);
	recordOperations(db, setId, input.user.id, revision, input.saveId, input.operations, null);
	return { outcome: 'saved', revision, status, duplicate: false };
}

/** The set's new revision and status; `ownerId` names the annotator owning it the first time (none for gold). */
function markSetSaved(db: Db, setId: number, revision: number, status: StateSnapshot['status'], ownerId: number | null): void {
	db.$client
		.prepare(
			`UPDATE annotation_sets SET revision = ?, status = ?, user_id = COALESCE(user_id, ?),
			        updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
			        done_at = CASE WHEN ? = 'done' THEN COALESCE(done_at, strftime('%Y-%m-%dT%H:%M:%fZ','now')) ELSE NULL END
			  WHERE id = ?`
		)
		.run(revision, status, ownerId, status, setId);
}

function writeSetContent(db: Db, setId: number, state: EditState): void {
	db.$client.prepare('DELETE FROM spans WHERE set_id = ?').run(setId);
	const spans = sortedSpans(state.spans.values());
	const drafts: SpanDraft[] = spans.map((span) => ({ ...span }));
	const ids = insertSpans(db, setId, drafts);
	const indexByKey = new Map(spans.map((span, index) => [spanKey(span), index]));
	insertLinks(
		db,
		setId,
		ids,
		[...state.links.values()].map((link) => ({
			kind: link.kind,
			from: indexByKey.get(link.from) as number,
			to: link.to === null ? null : (indexByKey.get(link.to) as number),
			toName: link.toName
		}))
	);
}

function findSavedRevision(db: Db, setId: number, saveId: string): number | null {
	const row = db.$client
		.prepare(`SELECT revision FROM audit_events WHERE set_id = ? AND json_extract(detail, '$.saveId') = ? LIMIT 1`)
		.get(setId, saveId) as { revision: number } | undefined;
	return row?.revision ?? null;
}

function flatten(ops: readonly Operation[]): Operation[] {
	return ops.flatMap((op) => (op.type === 'batch' ? flatten(op.operations) : [op]));
}

type Concurring = (span: { layer: string; start: number; end: number; label: string; provenance: string | null }) => string[];

/**
 * The other machine sources that proposed exactly this span (same layer, range and label) in the
 * document and are not rejected in this set: the workspace shows them as one suggestion (see
 * groupSuggestions), so taking it is their decision too, and each source's acceptance figures
 * count it. Rejecting such a group already sends one `reject` per source.
 */
function concurringSources(db: Db, documentId: number, state: Pick<EditState, 'rejected'>): Concurring {
	// Prepared on first use: most saves (adds, links, status) take no suggestion.
	let query: ReturnType<Db['$client']['prepare']> | null = null;
	return (span) =>
		((query ??= db.$client.prepare(
			`SELECT DISTINCT COALESCE(sp.provenance, s.owner) AS provenance FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id
			  WHERE s.document_id = ? AND s.owner_kind IN ${MACHINE_OWNER_KINDS_SQL}
			    AND sp.layer = ? AND sp.start = ? AND sp."end" = ? AND sp.label = ?`
		)).all(documentId, span.layer, span.start, span.end, span.label) as { provenance: string }[])
			.map((row) => row.provenance)
			.filter((provenance) => provenance !== span.provenance && !isRejected(state, suggestionKey({ ...span, provenance, layer: span.layer as SuggestionRef['layer'] })));
}

/**
 * A finished document's suggestions that were neither taken nor rejected count as `ignored` for
 * their source: the annotator left them out (often silently, by keeping a conflicting span), and a
 * source's acceptance rate must not forget them. Counted per source, layer and label like the other
 * decisions: proposed minus decided in this set. Recomputed on every save of a done set and
 * withdrawn when the set is reopened, so the figures follow what stands.
 */
function recordIgnoredSuggestions(db: Db, setId: number, documentId: number, done: boolean): void {
	db.$client.prepare(`DELETE FROM suggestion_decisions WHERE set_id = ? AND decision = 'ignored'`).run(setId);
	if (!done) return;
	const untaken = db.$client
		.prepare(
			`SELECT p.provenance, p.layer, p.label, p.n - COALESCE(d.n, 0) AS ignored
			   FROM (SELECT COALESCE(sp.provenance, s.owner) AS provenance, sp.layer, sp.label, COUNT(*) AS n
			           FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id
			          WHERE s.document_id = ? AND s.owner_kind IN ${MACHINE_OWNER_KINDS_SQL}
			          GROUP BY 1, 2, 3) p
			   LEFT JOIN (SELECT provenance, layer, label, COUNT(*) AS n FROM suggestion_decisions WHERE set_id = ? GROUP BY 1, 2, 3) d
			     USING (provenance, layer, label)`
		)
		.all(documentId, setId) as { provenance: string; layer: string; label: string; ignored: number }[];
	const insert = db.$client.prepare(`INSERT INTO suggestion_decisions (set_id, provenance, layer, label, decision) VALUES (?, ?, ?, ?, 'ignored')`);
	for (const row of untaken) for (let i = 0; i < row.ignored; i++) insert.run(setId, row.provenance, row.layer, row.label);
}

/**
 * One audit event per operation, and the suggestion decisions they imply (for every concurring
 * source). `concurring` null: no suggestion statistics (the gold set, whose suggestions are the
 * annotators' spans, not a machine source's).
 */
function recordOperations(db: Db, setId: number, userId: number, revision: number, saveId: string, ops: readonly Operation[], concurring: Concurring | null): void {
	const audit = db.$client.prepare(`INSERT INTO audit_events (set_id, user_id, action, detail, revision) VALUES (?, ?, ?, ?, ?)`);
	const countDecision = concurring ? decisionCounter(db, setId, concurring) : null;
	for (const op of flatten(ops)) {
		audit.run(setId, userId, op.type, JSON.stringify(describeForAudit(op, saveId)), revision);
		countDecision?.(op);
	}
}

/** What the audit trail keeps of one operation. */
function describeForAudit(op: Operation, saveId: string): Record<string, unknown> {
	// A suggestion several sources agreed on is rejected once per source: the history names each.
	const source = op.type === 'reject' || op.type === 'unreject' ? ` (${op.suggestion.provenance})` : '';
	const detail: Record<string, unknown> = { saveId, summary: `${describeOperation(op)}${source}` };
	switch (op.type) {
		case 'add':
		case 'remove':
			return Object.assign(detail, { span: spanKey(op.span), label: op.span.label });
		case 'update':
			return Object.assign(detail, { span: spanKey(op.before), to: spanKey(op.after), label: op.after.label });
		case 'accept':
			return Object.assign(detail, { suggestion: suggestionKey(op.suggestion), span: spanKey(op.span), label: op.span.label });
		case 'unaccept':
			return Object.assign(detail, { suggestion: suggestionKey(op.suggestion), span: spanKey(op.span) });
		case 'reject':
		case 'unreject':
			return Object.assign(detail, { suggestion: suggestionKey(op.suggestion) });
		case 'link':
			return Object.assign(detail, { kind: op.kind, from: op.from, to: op.after?.to ?? op.after?.toName ?? null });
		case 'status':
			return Object.assign(detail, { from: op.before, to: op.after });
		default:
			return detail;
	}
}

/** Records the suggestion statistics an operation implies, for its source and every concurring one (statements prepared once per save). */
function decisionCounter(db: Db, setId: number, concurring: Concurring): (op: Operation) => void {
	const decide = db.$client.prepare(`INSERT INTO suggestion_decisions (set_id, provenance, layer, label, decision) VALUES (?, ?, ?, ?, ?)`);
	// Undo of a decision withdraws the latest matching one, so the figures count what stands.
	const withdraw = db.$client.prepare(
		`DELETE FROM suggestion_decisions WHERE id = (SELECT id FROM suggestion_decisions
		  WHERE set_id = ? AND provenance = ? AND layer = ? AND label = ? AND decision = ? ORDER BY id DESC LIMIT 1)`
	);
	const relabel = db.$client.prepare(
		`UPDATE suggestion_decisions SET decision = ? WHERE id = (SELECT id FROM suggestion_decisions
		  WHERE set_id = ? AND provenance = ? AND layer = ? AND label = ? AND decision = ? ORDER BY id DESC LIMIT 1)`
	);
	return (op) => {
		switch (op.type) {
			case 'update':
				// While a taken suggestion keeps its range and label it is `accepted`; the first change makes it `edited`.
				if (op.before.decision === 'accepted' && op.after.decision === 'edited') {
					for (const provenance of [op.before.provenance, ...concurring(op.before)]) relabel.run('edited', setId, provenance, op.before.layer, op.before.label, 'accepted');
				} else if (op.before.decision === 'edited' && op.after.decision === 'accepted') {
					for (const provenance of [op.after.provenance, ...concurring(op.after)]) relabel.run('accepted', setId, provenance, op.after.layer, op.after.label, 'edited');
				}
				break;
			case 'accept':
				for (const provenance of [op.suggestion.provenance, ...concurring(op.suggestion)]) {
					decide.run(setId, provenance, op.suggestion.layer, op.suggestion.label, op.span.decision ?? 'accepted');
				}
				break;
			case 'unaccept':
				for (const provenance of [op.suggestion.provenance, ...concurring(op.suggestion)]) {
					withdraw.run(setId, provenance, op.suggestion.layer, op.suggestion.label, op.span.decision ?? 'accepted');
				}
				break;
			case 'reject':
				decide.run(setId, op.suggestion.provenance, op.suggestion.layer, op.suggestion.label, 'rejected');
				break;
			case 'unreject':
				withdraw.run(setId, op.suggestion.provenance, op.suggestion.layer, op.suggestion.label, 'rejected');
				break;
		}
	};
}
