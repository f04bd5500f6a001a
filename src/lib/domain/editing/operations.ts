// Edit operations on an annotator's set: apply one to a state (validating it), and invert it
// for undo. Every operation carries what it needs to be undone and to be replayed on a fresh
// copy of the set after a conflict; one that no longer applies throws an EditError saying why.
import { doubtOf, findDoubtProblem, findSpanProblems, LINK_KIND_NAMES, normaliseDoubtNote, SPAN_LAYER_NAMES, withoutDoubt, type LinkKind, type SpanLayer } from '../spans';
import {
	isRejected,
	linkSlot,
	rejectionKey,
	spanKey,
	suggestionKey,
	type EditLink,
	type EditSpan,
	type EditState,
	type SetStatus,
	type SuggestionRef
} from './state';
import { findNewParagraphBreak, mayCrossParagraphs } from './paragraphs';

export type Operation =
	/** A new span, with the links to restore along with it (undo of a removal). */
	| { type: 'add'; span: EditSpan; links?: EditLink[] }
	/** Removes a span and every link to or from it; `links` keeps them for undo. */
	| { type: 'remove'; span: EditSpan; links?: EditLink[] }
	/** New range, label or attributes; links follow the span. */
	| { type: 'update'; before: EditSpan; after: EditSpan }
	/** A suggestion copied into the set (decision `accepted`, or `edited` with another label). */
	| { type: 'accept'; suggestion: SuggestionRef; span: EditSpan }
	| { type: 'unaccept'; suggestion: SuggestionRef; span: EditSpan }
	| { type: 'reject'; suggestion: SuggestionRef }
	| { type: 'unreject'; suggestion: SuggestionRef }
	/** Sets (`after`) or clears (`after: null`) the link of one kind from one span. */
	| { type: 'link'; kind: LinkKind; from: string; before: EditLink | null; after: EditLink | null }
	| { type: 'status'; before: SetStatus; after: SetStatus }
	/** Several operations that are done and undone together (accept all of a label). */
	| { type: 'batch'; description: string; operations: Operation[] };

export interface EditContext {
	/** Length of documents.text in code points. */
	textLength: number;
	/** Where documents.text breaks a line, in code points (findParagraphBreaks): only a quote runs over one. */
	paragraphBreaks: readonly number[];
	entityLabels: readonly string[];
	/** The project's quote kinds and stance polarities: a span may carry no other (none at all is fine). */
	quoteKinds?: readonly string[];
	stancePolarities?: readonly string[];
	/**
	 * The set is the document's gold set, edited by a reviewer: its statuses are « in progress »
	 * and « review done » only, and a finished review is locked (only reopening it applies), as
	 * on Relecture, since exports read it as final.
	 */
	goldSet?: boolean;
	/**
	 * The words of a range of the document, to name spans by them in the errors people read
	 * (`l’annotation PER « Lavrov » a été modifiée entre-temps`); without it, by their offsets.
	 */
	textOf?: (range: { start: number; end: number }) => string;
}

/** `PER « Lavrov »`, or `« PER 12–18 »` without the document's words. */
function nameSpan(span: { layer: SpanLayer; start: number; end: number; label?: string }, textOf: EditContext['textOf'], withLabel = true): string {
	const name = withLabel && span.layer === 'entity' && span.label ? span.label : SPAN_LAYER_NAMES[span.layer];
	return textOf ? `${name} « ${textOf(span)} »` : `« ${name} ${span.start}–${span.end} »`;
}

/** A span's words as messages show them: spaces collapsed, cut after 40 characters. */
export function excerptForMessage(text: string): string {
	const words = [...text.replace(/\s+/g, ' ')];
	return words.length > 40 ? `${words.slice(0, 39).join('')}…` : words.join('');
}

/** What a gold set can be: a review in progress or done (no « to do », no « skipped »). */
const GOLD_SET_STATUSES: readonly SetStatus[] = ['in_progress', 'done'];

/** An operation that does not apply to this state; `message` is shown to the annotator. */
export class EditError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'EditError';
	}
}

/** What each link kind may point to. */
const LINK_RULES: Record<LinkKind, { from: string; to: readonly string[]; names: boolean }> = {
	speaker: { from: 'quote', to: ['entity', 'mention'], names: false },
	cue: { from: 'quote', to: ['cue'], names: false },
	holder: { from: 'stance', to: ['entity', 'mention'], names: true },
	target: { from: 'stance', to: ['entity'], names: true }
};

export function applyOperation(state: EditState, op: Operation, context: EditContext): EditState {
	const next = applyOne(state, op, context);
	// The first real edit of a set starts it; status operations say what they mean themselves.
	if (op.type !== 'status' && next.status === 'todo' && next !== state) return { ...next, status: 'in_progress' };
	return next;
}

/** Applies operations in order; throws on the first that does not apply. */
export function applyOperations(state: EditState, ops: readonly Operation[], context: EditContext): EditState {
	return ops.reduce((current, op) => applyOperation(current, op, context), state);
}

function applyOne(state: EditState, op: Operation, context: EditContext): EditState {
	if (context.goldSet) refuseOutsideGoldRules(state, op);
	switch (op.type) {
		case 'add':
			return (op.links ?? []).reduce(
				(current, link) => setLink(current, link.kind, link.from, link),
				// With its links (the undo of a removal, which lists them even when there are none), it
				// puts back a span as it was, which may be one imported across a paragraph break.
				insertSpan(state, op.span, context, undefined, op.links ? op.span : null)
			);
		case 'accept': {
			if (isRejected(state, suggestionKey(op.suggestion))) {
				throw new EditError('cette suggestion a été rejetée entre-temps');
			}
			return insertSpan(state, op.span, context);
		}
		case 'remove':
		case 'unaccept':
			refuseIfChangedMeanwhile(state, op.span, context);
			return deleteSpan(state, op.span, context);
		case 'update': {
			const beforeKey = spanKey(op.before);
			const current = state.spans.get(beforeKey);
			if (!current) throw new EditError(`l’annotation ${nameSpan(op.before, context.textOf, false)} n’existe plus`);
			refuseIfChangedMeanwhile(state, op.before, context);
			if (current.layer !== op.after.layer) throw new EditError('un span ne change pas de couche');
			const afterKey = spanKey(op.after);
			const withoutOld = new Map(state.spans);
			withoutOld.delete(beforeKey);
			const inserted = insertSpan({ ...state, spans: withoutOld }, op.after, context, current, current);
			if (afterKey === beforeKey) return inserted;
			const links = new Map<string, EditLink>();
			for (const link of inserted.links.values()) {
				const moved = {
					...link,
					from: link.from === beforeKey ? afterKey : link.from,
					to: link.to === beforeKey ? afterKey : link.to
				};
				links.set(linkSlot(moved), moved);
			}
			return { ...inserted, links };
		}
		case 'reject': {
			// The mirror of accept's check: a tab that rejects what another tab accepted meanwhile
			// must not leave both standing; the rebase reports it instead.
			if (state.spans.has(spanKey(op.suggestion))) throw new EditError('cette suggestion a été acceptée ou remplacée entre-temps');
			const rejected = new Set(state.rejected);
			rejected.add(rejectionKey(suggestionKey(op.suggestion)));
			return { ...state, rejected };
		}
		case 'unreject': {
			const rejected = new Set(state.rejected);
			rejected.delete(rejectionKey(suggestionKey(op.suggestion)));
			return { ...state, rejected };
		}
		case 'link': {
			// Replayed by a stale tab, a link made from another value would replace the other tab's choice.
			const existing = state.links.get(linkSlot({ kind: op.kind, from: op.from })) ?? null;
			if (!sameLinkTarget(existing, op.before)) {
				throw new EditError(`le lien « ${LINK_KIND_NAMES[op.kind]} » a été changé entre-temps`);
			}
			return setLink(state, op.kind, op.from, op.after);
		}
		case 'status':
			// Like a relabel: a stale tab's « Ignoré » must not replace the « Terminé » another tab set
			// meanwhile. Already at the wanted status, there is nothing to overwrite.
			if (state.status !== op.before && state.status !== op.after) {
				throw new EditError(`le statut a été changé entre-temps (il est maintenant « ${STATUS_NAMES[state.status]} »)`);
			}
			return { ...state, status: op.after };
		case 'batch':
			return op.operations.reduce((current, inner) => applyOne(current, inner, context), state);
	}
}

function refuseOutsideGoldRules(state: EditState, op: Operation): void {
	if (op.type === 'status') {
		if (!GOLD_SET_STATUSES.includes(op.after)) throw new EditError(`le jeu de référence n’a pas de statut « ${STATUS_NAMES[op.after]} »`);
	} else if (state.status === 'done' && op.type !== 'batch') {
		throw new EditError('la relecture est terminée : rouvrez-la pour modifier le jeu de référence');
	}
}

/**
 * An operation made on one version of a span (relabel, new polarity, removal) must not be
 * replayed over another version: after a conflict, a stale tab would otherwise silently undo what
 * the other tab changed on that very span. Position is the key; label and attributes are compared.
 */
function refuseIfChangedMeanwhile(state: EditState, expected: EditSpan, context: EditContext): void {
	const current = state.spans.get(spanKey(expected));
	if (!current || (current.label === expected.label && sameAttributes(current.attributes, expected.attributes))) return;
	throw new EditError(`l’annotation ${nameSpan(current, context.textOf)} a été modifiée entre-temps`);
}

function sameAttributes(a: EditSpan['attributes'] | undefined, b: EditSpan['attributes'] | undefined): boolean {
	const left = a ?? {};
	const right = b ?? {};
	const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
	return [...keys].every((key) => JSON.stringify(left[key]) === JSON.stringify(right[key]));
}

function sameLinkTarget(a: EditLink | null, b: EditLink | null): boolean {
	if (!a || !b) return a === b;
	return (a.to ?? null) === (b.to ?? null) && (a.toName ?? null) === (b.toName ?? null);
}

/**
 * `replacing`: the span an update replaces, whose quote kind or polarity may stay as it was even
 * outside the schema (imported). `kept`: the range the span already had (an update, the undo of a
 * removal), whose paragraph breaks it may keep (see refuseParagraphCrossing).
 */
function insertSpan(state: EditState, span: EditSpan, context: EditContext, replacing?: EditSpan, kept: { start: number; end: number } | null = null): EditState {
	const key = spanKey(span);
	if (state.spans.has(key)) {
		throw new EditError(`il y a déjà une annotation « ${SPAN_LAYER_NAMES[span.layer]} » sur exactement ce passage`);
	}
	const candidates: EditSpan[] = [span];
	if (span.layer === 'entity') {
		for (const other of state.spans.values()) {
			if (other.layer === 'entity' && other.start < span.end && span.start < other.end) candidates.push(other);
		}
	}
	// Said here in French: a page opened before an admin removed the label sends it still, and
	// the annotator is told what to do about it.
	if (span.layer === 'entity' && !context.entityLabels.includes(span.label)) {
		throw new EditError(`l’étiquette ${span.label} n’est pas (ou plus) dans le schéma du projet (${context.entityLabels.join(', ')}) : rechargez la page pour prendre le schéma actuel`);
	}
	const introduced = (attribute: string) => (replacing && replacing.attributes[attribute] === span.attributes[attribute] ? undefined : span.attributes[attribute]);
	refuseValueOutsideSchema(span.layer === 'quote' ? introduced('kind') : undefined, context.quoteKinds, 'le type de citation');
	refuseValueOutsideSchema(span.layer === 'stance' ? introduced('polarity') : undefined, context.stancePolarities, 'la polarité');
	refuseMalformedDoubt(span, replacing);
	refuseParagraphCrossing(span, context, kept);
	const problems = findSpanProblems(candidates, context.textLength, context.entityLabels);
	if (problems.length) {
		const overlap = candidates[1];
		const words = (range: EditSpan) => (context.textOf ? `« ${context.textOf(range)} »` : `${range.start}–${range.end}`);
		throw new EditError(
			overlap
				? `les entités ne se chevauchent pas : ${words(span)} recouvre ${overlap.label} ${words(overlap)}`
				: problems[0].message
		);
	}
	const spans = new Map(state.spans);
	spans.set(key, span);
	return { ...state, spans };
}

/**
 * A quote kind or a polarity the schema does not list (removed by an admin since the page was
 * opened) would be stored and exported as it is, and would then hold the schema's next save back.
 */
function refuseValueOutsideSchema(value: unknown, allowed: readonly string[] | undefined, what: string): void {
	if (value === undefined || value === null || !allowed || (typeof value === 'string' && allowed.includes(value))) return;
	throw new EditError(`${what} « ${String(value)} » n’est pas (ou plus) dans le schéma du projet (${allowed.join(', ')}) : rechargez la page pour prendre le schéma actuel`);
}

/**
 * A doubt is `{ note }` with a short note: the attributes travel from the browser as free JSON, so
 * the save service checks here what it stores. One the span already had is left as it is.
 */
function refuseMalformedDoubt(span: EditSpan, replacing: EditSpan | undefined): void {
	const doubt = span.attributes.doubt;
	if (doubt === undefined || (replacing && JSON.stringify(replacing.attributes.doubt) === JSON.stringify(doubt))) return;
	const problem = findDoubtProblem(doubt);
	if (problem) throw new EditError(problem);
}

const LAYER_ARTICLES: Record<SpanLayer, string> = { entity: 'l’entité ', mention: 'la ', quote: 'la ', cue: 'le ', stance: 'la ' };

/**
 * An entity, a mention, a cue or a stance stays in one paragraph; only a quote runs over several.
 * Checked here, so that the workspace and the save service refuse the same thing. A span imported
 * across a break (another tool's corpus: import keeps spans as they are) can still be relabelled,
 * narrowed, removed and put back (`kept`, its range before), but takes in no new break.
 */
function refuseParagraphCrossing(span: EditSpan, context: EditContext, kept: { start: number; end: number } | null): void {
	if (mayCrossParagraphs(span.layer) || findNewParagraphBreak(context.paragraphBreaks, span, kept) === null) return;
	throw new EditError(`${LAYER_ARTICLES[span.layer]}${nameSpan(span, context.textOf)} passe d’un paragraphe à l’autre : seule une citation peut en couvrir plusieurs`);
}

function deleteSpan(state: EditState, span: EditSpan, context: EditContext): EditState {
	const key = spanKey(span);
	if (!state.spans.has(key)) throw new EditError(`l’annotation ${nameSpan(span, context.textOf, false)} n’existe plus`);
	const spans = new Map(state.spans);
	spans.delete(key);
	const links = new Map<string, EditLink>();
	for (const [slot, link] of state.links) if (link.from !== key && link.to !== key) links.set(slot, link);
	return { ...state, spans, links };
}

function setLink(state: EditState, kind: LinkKind, from: string, link: EditLink | null): EditState {
	const source = state.spans.get(from);
	const rule = LINK_RULES[kind];
	if (!source) throw new EditError('le span de départ du lien n’existe plus');
	if (source.layer !== rule.from) throw new EditError(`un lien « ${LINK_KIND_NAMES[kind]} » part d’une annotation « ${SPAN_LAYER_NAMES[rule.from as SpanLayer]} »`);
	const links = new Map(state.links);
	const slot = linkSlot({ kind, from });
	if (!link) {
		links.delete(slot);
		return { ...state, links };
	}
	if (link.kind !== kind || link.from !== from) throw new EditError('lien incohérent');
	if (link.to !== null) {
		const target = state.spans.get(link.to);
		if (!target) throw new EditError('le span visé par le lien n’existe plus');
		if (!rule.to.includes(target.layer)) throw new EditError(`un lien « ${LINK_KIND_NAMES[kind]} » ne peut pas viser une annotation « ${SPAN_LAYER_NAMES[target.layer]} »`);
	} else if (!rule.names || !link.toName) {
		throw new EditError(`un lien ${kind} vise un span`);
	}
	links.set(slot, { kind, from, to: link.to, toName: link.to === null ? link.toName : null });
	return { ...state, links };
}

/**
 * Whether the state already holds what the operation would make: another tab (or person) made the
 * same change meanwhile. A replay that fails on such an operation lost nothing, and the rebase
 * says « already done » instead of listing it as work that could not be saved.
 */
export function isAlreadyApplied(state: EditState, op: Operation): boolean {
	const holds = (span: EditSpan) => {
		const current = state.spans.get(spanKey(span));
		return !!current && current.label === span.label && sameAttributes(current.attributes, span.attributes);
	};
	switch (op.type) {
		case 'add':
		case 'accept':
			return holds(op.span);
		case 'remove':
		case 'unaccept':
			return !state.spans.has(spanKey(op.span));
		case 'update':
			return holds(op.after) && (spanKey(op.before) === spanKey(op.after) || !state.spans.has(spanKey(op.before)));
		case 'reject':
			return isRejected(state, suggestionKey(op.suggestion));
		case 'unreject':
			return !isRejected(state, suggestionKey(op.suggestion));
		case 'link':
			return sameLinkTarget(state.links.get(linkSlot({ kind: op.kind, from: op.from })) ?? null, op.after);
		case 'status':
			return state.status === op.after;
		case 'batch':
			return op.operations.every((inner) => isAlreadyApplied(state, inner));
	}
}

export function invertOperation(op: Operation): Operation {
	switch (op.type) {
		case 'add':
			return { type: 'remove', span: op.span, links: op.links };
		case 'remove':
			return { type: 'add', span: op.span, links: op.links };
		case 'update':
			return { type: 'update', before: op.after, after: op.before };
		case 'accept':
			return { type: 'unaccept', suggestion: op.suggestion, span: op.span };
		case 'unaccept':
			return { type: 'accept', suggestion: op.suggestion, span: op.span };
		case 'reject':
			return { type: 'unreject', suggestion: op.suggestion };
		case 'unreject':
			return { type: 'reject', suggestion: op.suggestion };
		case 'link':
			return { type: 'link', kind: op.kind, from: op.from, before: op.after, after: op.before };
		case 'status':
			return { type: 'status', before: op.after, after: op.before };
		case 'batch':
			return { type: 'batch', description: op.description, operations: op.operations.map(invertOperation).reverse() };
	}
}

/**
 * `op` with the label of every entity span and suggestion it names passed through `labelFor`. A
 * workspace opened before an admin renamed a label still sends the old name, in what it adds and
 * in the spans and suggestions it names (which now carry the new one); the save service gives it
 * the project's current name rather than refusing the annotator's work.
 */
export function relabelOperation(op: Operation, labelFor: (label: string) => string): Operation {
	const span = <T extends { layer: SpanLayer; label: string }>(value: T): T => (value.layer === 'entity' ? { ...value, label: labelFor(value.label) } : value);
	switch (op.type) {
		case 'add':
		case 'remove':
			return { ...op, span: span(op.span) };
		case 'update':
			return { ...op, before: span(op.before), after: span(op.after) };
		case 'accept':
		case 'unaccept':
			return { ...op, suggestion: span(op.suggestion), span: span(op.span) };
		case 'reject':
		case 'unreject':
			return { ...op, suggestion: span(op.suggestion) };
		case 'link':
		case 'status':
			return op;
		case 'batch':
			return { ...op, operations: op.operations.map((inner) => relabelOperation(inner, labelFor)) };
	}
}

/**
 * The undo and redo entries that still apply once the set was replaced by another version of it
 * (the server's, after a conflict or a save from another tab). Undo entries are tried from the
 * latest back, each on the state the later ones would leave; redo entries likewise, forward. An
 * entry that no longer applies is dropped, and only it: undoing an edit of another span or link
 * stays possible, while undoing one over a change made elsewhere would overwrite that change.
 */
export function keepApplicableHistory(
	state: EditState,
	history: { undo: readonly Operation[]; redo: readonly Operation[] },
	context: EditContext
): { undo: Operation[]; redo: Operation[]; dropped: number } {
	const keep = (entries: readonly Operation[], replay: (op: Operation) => Operation) => {
		const kept: Operation[] = [];
		let current = state;
		for (let i = entries.length - 1; i >= 0; i--) {
			try {
				current = applyOperation(current, replay(entries[i]), context);
				kept.unshift(entries[i]);
			} catch (error) {
				if (!(error instanceof EditError)) throw error;
			}
		}
		return kept;
	};
	const undo = keep(history.undo, invertOperation);
	const redo = keep(history.redo, (op) => op);
	return { undo, redo, dropped: history.undo.length - undo.length + history.redo.length - redo.length };
}

// Builders: the workspace describes intentions, these turn them into complete operations.

export function removeSpanOperation(state: EditState, key: string): Operation {
	const span = state.spans.get(key);
	if (!span) throw new EditError('ce span n’existe plus');
	const links = [...state.links.values()].filter((link) => link.from === key || link.to === key);
	return { type: 'remove', span, links };
}

/** A new range or label for a span; a taken suggestion becomes `edited`. */
export function updateSpanOperation(state: EditState, key: string, change: Partial<Pick<EditSpan, 'start' | 'end' | 'label' | 'attributes'>>): Operation {
	const before = state.spans.get(key);
	if (!before) throw new EditError('ce span n’existe plus');
	const after: EditSpan = { ...before, ...change };
	const changedShape = after.start !== before.start || after.end !== before.end || after.label !== before.label;
	if (changedShape && before.decision === 'accepted') after.decision = 'edited';
	return { type: 'update', before, after };
}

/**
 * Marks a span as a doubt with an optional note (`note` as typed: trimmed, empty is none), or
 * lifts its doubt (`null`). An update of its attributes only: it keeps its label, range and
 * decision (a taken suggestion stays `accepted`), and undo, replay and the save go as for a kind.
 */
export function doubtOperation(state: EditState, key: string, doubt: { note: string | null } | null): Operation {
	const before = state.spans.get(key);
	if (!before) throw new EditError('ce span n’existe plus');
	const attributes = doubt ? { ...before.attributes, doubt: { note: normaliseDoubtNote(doubt.note) } } : withoutDoubt(before.attributes);
	return { type: 'update', before, after: { ...before, attributes } };
}

export function linkOperation(state: EditState, kind: LinkKind, from: string, target: { to: string } | { toName: string } | null): Operation {
	const before = state.links.get(linkSlot({ kind, from })) ?? null;
	const after: EditLink | null =
		target === null
			? null
			: 'to' in target
				? { kind, from, to: target.to, toName: null }
				: { kind, from, to: null, toName: target.toName };
	return { type: 'link', kind, from, before, after };
}

/**
 * Copies a suggestion into the set; with another label the decision is `edited`. A suggestion
 * that `carries` another span's provenance (the gold set's, see Suggestion.carries) passes it on
 * with that span's decision, which another label turns from `accepted` to `edited` as an edit
 * does (updateSpanOperation).
 */
export function acceptOperation(
	suggestion: SuggestionRef & { origin: EditSpan['origin']; score: number | null; attributes: EditSpan['attributes']; carries?: Pick<EditSpan, 'origin' | 'score' | 'provenance' | 'decision'> },
	label = suggestion.label
): Operation {
	const ref: SuggestionRef = {
		provenance: suggestion.provenance,
		layer: suggestion.layer,
		start: suggestion.start,
		end: suggestion.end,
		label: suggestion.label
	};
	const relabelled = label !== suggestion.label;
	const kept = suggestion.carries;
	const provenance: Pick<EditSpan, 'origin' | 'score' | 'provenance' | 'decision'> = kept
		? { ...kept, decision: relabelled && kept.decision === 'accepted' ? 'edited' : kept.decision }
		: { origin: suggestion.origin, score: suggestion.score, provenance: suggestion.provenance, decision: relabelled ? 'edited' : 'accepted' };
	return {
		type: 'accept',
		suggestion: ref,
		span: {
			layer: suggestion.layer,
			start: suggestion.start,
			end: suggestion.end,
			label,
			attributes: { ...suggestion.attributes },
			...provenance
		}
	};
}

/**
 * The links an edit broke by taking away the span they pointed to, in French, one line each
 * (`la citation « Nous ne céderons pas » n’a plus de locuteur`): deleting a quote's speaker or a
 * stance's holder or target unlinks it, and the annotator is told, so that a slip is one Ctrl+Z
 * away. Read from the states before and after, so a removal, an undone acceptance or a batch
 * count alike; a link removed on purpose, or along with its own span, is not a broken one.
 */
export function describeBrokenLinks(before: EditState, after: EditState, textOf?: EditContext['textOf']): string[] {
	if (before.links === after.links) return [];
	const broken: string[] = [];
	for (const [slot, link] of before.links) {
		if (link.to === null || after.spans.has(link.to) || after.links.has(slot)) continue;
		const source = after.spans.get(link.from);
		if (!source) continue;
		const noun = LINK_KIND_NAMES[link.kind];
		broken.push(`${LAYER_ARTICLES[source.layer]}${nameSpan(source, textOf)} n’a plus ${/^[aeiouéè]/.test(noun) ? 'd’' : 'de '}${noun}`);
	}
	return broken;
}

const STATUS_NAMES: Record<SetStatus, string> = { todo: 'à faire', in_progress: 'en cours', done: 'terminé', skipped: 'ignoré' };

/** A short French description of an operation, for the undo notices, the conflict report and the audit trail. */
/**
 * Says what an operation does, in French. With `textOf`, each span is named by its words
 * (`rejet PER « Lavrov »`): what an annotator reads after Ctrl+Z or in a conflict report, where
 * offsets mean nothing to them; without it, by its offsets (the audit log).
 */
export function describeOperation(op: Operation, textOf?: (range: { start: number; end: number }) => string): string {
	const range = (span: { layer: string; start: number; end: number; label: string }) =>
		`${span.layer === 'entity' ? span.label : SPAN_LAYER_NAMES[span.layer as SpanLayer]} ${textOf ? `« ${textOf(span)} »` : `${span.start}–${span.end}`}`;
	switch (op.type) {
		case 'add':
			return `ajout ${range(op.span)}`;
		case 'remove':
			return `suppression ${range(op.span)}`;
		case 'update': {
			// A change of kind or polarity keeps the range: say what changed instead of `X → X`.
			const changed = (name: 'kind' | 'polarity') => op.before.attributes?.[name] !== op.after.attributes?.[name];
			if (range(op.before) === range(op.after)) {
				const [doubtBefore, doubtAfter] = [doubtOf(op.before), doubtOf(op.after)];
				if (JSON.stringify(doubtBefore) !== JSON.stringify(doubtAfter)) {
					if (!doubtAfter) return `doute levé sur ${range(op.after)}`;
					const note = doubtAfter.note ? ` : « ${doubtAfter.note} »` : '';
					return `${doubtBefore ? 'note du doute sur' : 'doute sur'} ${range(op.after)}${note}`;
				}
				const name = changed('polarity') ? 'polarity' : changed('kind') ? 'kind' : null;
				if (name) return `modification ${range(op.after)} : ${op.before.attributes?.[name] ?? '—'} → ${op.after.attributes?.[name] ?? '—'}`;
			}
			return `modification ${range(op.before)} → ${range(op.after)}`;
		}
		case 'accept':
			return `acceptation ${range(op.span)}`;
		case 'unaccept':
			return `annulation de l’acceptation ${range(op.span)}`;
		case 'reject':
			return `rejet ${range(op.suggestion)}`;
		case 'unreject':
			return `annulation du rejet ${range(op.suggestion)}`;
		case 'link':
			return op.after ? `lien ${LINK_KIND_NAMES[op.kind]}` : `retrait du lien ${LINK_KIND_NAMES[op.kind]}`;
		case 'status':
			return `statut ${STATUS_NAMES[op.after]}`;
		case 'batch':
			return op.description;
	}
}
