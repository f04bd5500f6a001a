// The annotator's set as the workspace edits it: spans keyed by position, links between them,
// the suggestions this annotator rejected, and the set's status. Pure data, shared by the
// browser (which applies each keystroke) and the save service (which replays the same
// operations on the stored set), so both always agree on what an edit means.
import type { LinkKind, SpanLayer, StoredSpan } from '../spans';

export type SetStatus = 'todo' | 'in_progress' | 'done' | 'skipped';
export const SET_STATUS_VALUES: readonly SetStatus[] = ['todo', 'in_progress', 'done', 'skipped'];

export type EditSpan = StoredSpan;

/** A link between two spans of the set, by span key; `toName` for `article` or a listed target. */
export interface EditLink {
	kind: LinkKind;
	from: string;
	to: string | null;
	toName: string | null;
}

/** A machine suggestion, identified by where it came from, where it lies and its label. */
export interface SuggestionRef {
	provenance: string;
	layer: SpanLayer;
	start: number;
	end: number;
	label: string;
}

export interface EditState {
	/** By span key (`layer:start-end`): a set holds at most one span per layer and range. */
	spans: ReadonlyMap<string, EditSpan>;
	/** By link slot (`kind@fromKey`): a span has at most one link of each kind. */
	links: ReadonlyMap<string, EditLink>;
	/** What this annotator rejected, by rejection key (see rejectionKey); read with isRejected. */
	rejected: ReadonlySet<string>;
	status: SetStatus;
}

/**
 * A span's identity is its layer and range. Keys are therefore the same in every tab and after
 * every reload, which lets queued operations be replayed on a fresh copy of the set.
 */
export function spanKey(span: { layer: SpanLayer; start: number; end: number }): string {
	return `${span.layer}:${span.start}-${span.end}`;
}

export function linkSlot(link: { kind: LinkKind; from: string }): string {
	return `${link.kind}@${link.from}`;
}

export function suggestionKey(ref: SuggestionRef): string {
	return `${ref.provenance}|${ref.layer}:${ref.start}-${ref.end}|${ref.label}`;
}

/** Source prefix of every model's suggestions, whatever the model, its revision or its style. */
const MODEL_SOURCE = 'model:';

/**
 * What a rejection is kept under: the suggestion's key (`suggestionKey`), except that a model's
 * suggestion loses its model. A document offers one model's suggestions at a time, and
 * pre-annotating it with another (a retrained `model:<name>-<time>@<rev>`, a new `@<rev>`,
 * another `~style`) replaces them: a span and label the annotator rejected from the old model
 * stays rejected when the new one proposes it again. The rules, the gazetteer, the memory and
 * the annotators (on the gold set) keep their own keys. The audit trail keeps the full key, so
 * the history still names the model that was rejected.
 */
export function rejectionKey(suggestionKey: string): string {
	return suggestionKey.startsWith(MODEL_SOURCE) ? MODEL_SOURCE + suggestionKey.slice(suggestionKey.indexOf('|')) : suggestionKey;
}

/** Whether the suggestion with this key (`suggestionKey`) was rejected in `state`. */
export function isRejected(state: Pick<EditState, 'rejected'>, suggestionKey: string): boolean {
	return state.rejected.has(rejectionKey(suggestionKey));
}

export function emptyState(status: SetStatus = 'todo'): EditState {
	return { spans: new Map(), links: new Map(), rejected: new Set(), status };
}

export function createState(input: {
	spans: readonly EditSpan[];
	links?: readonly EditLink[];
	/** Suggestion or rejection keys. */
	rejected?: Iterable<string>;
	status?: SetStatus;
}): EditState {
	const spans = new Map<string, EditSpan>();
	for (const span of input.spans) spans.set(spanKey(span), span);
	const links = new Map<string, EditLink>();
	for (const link of input.links ?? []) links.set(linkSlot(link), link);
	return { spans, links, rejected: new Set([...(input.rejected ?? [])].map(rejectionKey)), status: input.status ?? 'todo' };
}

/** Spans in reading order: by start, longer first, then layer. */
export function sortedSpans(spans: Iterable<EditSpan>): EditSpan[] {
	return [...spans].sort((a, b) => a.start - b.start || b.end - a.end || a.layer.localeCompare(b.layer));
}

/** Links attached to a span, in either direction. */
export function linksOf(state: EditState, key: string): EditLink[] {
	const found: EditLink[] = [];
	for (const link of state.links.values()) if (link.from === key || link.to === key) found.push(link);
	return found;
}

/** The plain serialisable form, for JSON (the wire, localStorage). */
export interface StateSnapshot {
	spans: EditSpan[];
	links: EditLink[];
	rejected: string[];
	status: SetStatus;
}

export function toSnapshot(state: EditState): StateSnapshot {
	return {
		spans: sortedSpans(state.spans.values()),
		links: [...state.links.values()],
		rejected: [...state.rejected],
		status: state.status
	};
}

export function fromSnapshot(snapshot: StateSnapshot): EditState {
	return createState(snapshot);
}
