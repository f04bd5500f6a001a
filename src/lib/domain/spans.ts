// Span and link shapes shared by the browser, the server, the scripts and the tests,
// and the invariants every stored span obeys (checked here, in one place).
export type SpanLayer = 'entity' | 'mention' | 'quote' | 'cue' | 'stance';
export type SpanOrigin = 'human' | 'model' | 'rules' | 'memory' | 'gazetteer' | 'import';
export type LinkKind = 'speaker' | 'cue' | 'holder' | 'target';

/** The French names the interface and the messages give to layers and link kinds (one place for all). */
export const SPAN_LAYER_NAMES: Record<SpanLayer, string> = { entity: 'entité', mention: 'mention', quote: 'citation', cue: 'verbe introducteur', stance: 'position' };
export const LINK_KIND_NAMES: Record<LinkKind, string> = { speaker: 'locuteur', cue: 'verbe introducteur', holder: 'auteur', target: 'cible' };

export interface SpanAttributes {
	/** quote: direct | indirect */
	kind?: string;
	/** stance: favor | against | neutral */
	polarity?: string;
	/** The set's owner was unsure of this span (see SpanDoubt). */
	doubt?: SpanDoubt;
	[key: string]: unknown;
}

/**
 * « Doute » : the owner of a set marks one of its spans as a hard case, with an optional short
 * note (« LOC ou ORG ici ? »), so that the review looks at it first. Kept in the span's attributes:
 * it is saved, undone and replayed with the span like a quote kind, and it is no part of the span's
 * identity (layer, range, label, kind or polarity), so agreement and review matching ignore it.
 * It belongs to whoever expressed it: a span copied into another set (the gold set) leaves it.
 */
export interface SpanDoubt {
	/** What makes the case hard, in the annotator's words; null when they gave none. */
	note: string | null;
}

/** Longest doubt note, in characters: a reminder for the reviewer, not a discussion. */
export const DOUBT_NOTE_MAX_LENGTH = 280;

/** A note as typed, trimmed and on one line; empty is no note. */
export function normaliseDoubtNote(note: string | null | undefined): string | null {
	const text = (note ?? '').replace(/\s+/g, ' ').trim();
	return text === '' ? null : text;
}

/** Why a stored or sent `attributes.doubt` is not a doubt, or null when it is one. */
export function findDoubtProblem(value: unknown): string | null {
	if (typeof value !== 'object' || value === null || Array.isArray(value) || !('note' in value)) return 'un doute est un objet { note }';
	const { note } = value as { note: unknown };
	if (note !== null && typeof note !== 'string') return 'la note d’un doute est un texte';
	if (typeof note === 'string' && [...note].length > DOUBT_NOTE_MAX_LENGTH) return `la note d’un doute tient en ${DOUBT_NOTE_MAX_LENGTH} caractères`;
	return null;
}

/** The span's doubt, when it carries a well-formed one. */
export function doubtOf(span: { attributes?: SpanAttributes }): SpanDoubt | null {
	const value = span.attributes?.doubt;
	return value !== undefined && findDoubtProblem(value) === null ? { note: (value as SpanDoubt).note } : null;
}

/** The attributes without their doubt (the same object when there is none). */
export function withoutDoubt<T extends SpanAttributes>(attributes: T): T {
	if (!('doubt' in attributes)) return attributes;
	const { doubt: _doubt, ...rest } = attributes;
	return rest as T;
}

/** A span with code-point offsets into the document's cleaned text, end exclusive. */
export interface SpanDraft {
	layer: SpanLayer;
	start: number;
	end: number;
	label: string;
	attributes?: SpanAttributes;
	origin: SpanOrigin;
	score?: number | null;
	provenance: string;
	/** For a suggestion taken into a human set: taken as it was, or edited. */
	decision?: 'accepted' | 'edited' | null;
}

/** A span as stored in a set: what the editor, the review and the export all work with. */
export interface StoredSpan {
	layer: SpanLayer;
	/** Code-point offsets into documents.text, end exclusive. */
	start: number;
	end: number;
	label: string;
	attributes: SpanAttributes;
	origin: SpanOrigin;
	score: number | null;
	provenance: string;
	decision: 'accepted' | 'edited' | null;
}

export interface LinkDraft {
	kind: LinkKind;
	/** Indexes into the span list the links travel with. */
	from: number;
	to: number | null;
	toName?: string | null;
}

/** Which label a span of each layer carries when the layer has no label of its own. */
export const LAYER_DEFAULT_LABEL: Record<Exclude<SpanLayer, 'entity'>, string> = {
	quote: 'QUOTE',
	cue: 'CUE',
	stance: 'STANCE',
	mention: 'MENTION'
};

export interface SpanProblem {
	index: number;
	message: string;
}

/**
 * Checks bounds, labels and the overlap policy: spans of different layers may overlap
 * (a quote contains entities), entities may not overlap each other.
 */
export function findSpanProblems(
	spans: readonly Pick<SpanDraft, 'layer' | 'start' | 'end' | 'label'>[],
	textLength: number,
	entityLabels: readonly string[]
): SpanProblem[] {
	const problems: SpanProblem[] = [];
	spans.forEach((span, index) => {
		if (!Number.isInteger(span.start) || !Number.isInteger(span.end)) {
			problems.push({ index, message: `offsets must be integers (got ${span.start}–${span.end})` });
		} else if (span.start < 0 || span.end > textLength || span.start >= span.end) {
			problems.push({ index, message: `span ${span.start}–${span.end} is outside the text (0–${textLength}) or empty` });
		}
		if (span.layer === 'entity' && !entityLabels.includes(span.label)) {
			problems.push({ index, message: `unknown entity label "${span.label}" (known: ${entityLabels.join(', ')})` });
		}
	});
	const entities = spans
		.map((span, index) => ({ span, index }))
		.filter(({ span }) => span.layer === 'entity')
		.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
	for (let i = 1; i < entities.length; i++) {
		const previous = entities[i - 1].span;
		const current = entities[i].span;
		if (current.start < previous.end) {
			problems.push({
				index: entities[i].index,
				message: `entity ${current.start}–${current.end} overlaps entity ${previous.start}–${previous.end}`
			});
		}
	}
	return problems;
}
