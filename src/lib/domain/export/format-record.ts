// Formats one annotated document as a `guillemet.corpus/1` record (the `spans` flavour). The
// import reads the same shape (../corpus-record.ts, ../record-annotations.ts), so an exported
// file re-imports into an empty database and exports again to the same records.
import { CORPUS_SCHEMA_VERSION, OFFSET_UNIT } from '../corpus-record';
import { OffsetIndex } from '../offsets';
import { doubtOf, type LinkKind, type SpanDoubt, type SpanLayer, type SpanOrigin, type StoredSpan } from '../spans';
import { joinSentencesAcross, splitSentences, type Sentence } from '../tokens';
import { tagTokens } from './bio';
import { storedLayersFor, type ExportLayer } from './options';

export interface ExportDocument {
	externalId: string;
	title: string;
	text: string;
	source: string | null;
	url: string | null;
	publishedAt: string | null;
	meta: Record<string, unknown>;
}

export interface ExportSet {
	owner: string;
	ownerKind: string;
	status: string;
}

export interface ExportSpan extends StoredSpan {
	id: number;
}

export interface ExportLink {
	kind: LinkKind;
	fromSpanId: number;
	toSpanId: number | null;
	toName: string | null;
}

/** Provenance of one exported span (see docs/corpus-format.md). */
export interface SpanProvenance {
	origin: SpanOrigin;
	/** `<id>@<revision>` of the model (or rule set, for origin `rules`) that proposed it. */
	model?: string;
	/** Who drew it, for origin `human`. */
	annotator?: string;
	score?: number;
	decision?: 'accepted' | 'edited';
	/** The set's owner marked it as a hard case (« doute »), with their note or null; absent otherwise. */
	doubt?: SpanDoubt;
}

type Offsets = { id: string; start: number; end: number; text: string };
export type EntityOut = Offsets & { label: string } & SpanProvenance;
export type MentionOut = Offsets & SpanProvenance;
export type CueOut = Offsets & SpanProvenance;
export type QuoteOut = Offsets & { kind: string; cue: string | null; speaker: string | null } & SpanProvenance;
export type StanceOut = Offsets & {
	polarity: string;
	holder: string | null;
	target: { span: string } | { name: string } | null;
} & SpanProvenance;
export interface TokenOut {
	text: string;
	start: number;
	end: number;
	ner?: string;
}

export interface CorpusRecord {
	schema: typeof CORPUS_SCHEMA_VERSION;
	id: string;
	title: string;
	text: string;
	meta: Record<string, unknown>;
	offset_unit: typeof OFFSET_UNIT;
	set: string;
	status: string;
	annotators: string[];
	split?: string;
	entities: EntityOut[];
	mentions: MentionOut[];
	cues: CueOut[];
	quotes: QuoteOut[];
	stances: StanceOut[];
	tokens: TokenOut[];
}

/** A formatted document: the record, and its sentences and tags for the token flavours. */
export interface FormattedDocument {
	record: CorpusRecord;
	sentences: Sentence[];
	/** One IOB2 tag per token of `sentences`, in order; all O when entities are not exported. */
	tags: string[];
	offBoundaryEntities: number;
}

const ID_PREFIX: Record<SpanLayer, string> = { entity: 'e', mention: 'm', cue: 'c', quote: 'q', stance: 's' };
const MACHINE_ORIGINS = new Set<SpanOrigin>(['model', 'rules', 'memory', 'gazetteer']);

/**
 * Builds the record of one set. Spans of the chosen layers are exported, plus any span they link
 * to (a quote's speaker entity travels with the quote even when entities are not asked for).
 * Spans are ordered by (start, end, label, stored id) and numbered per layer: e1, q1, ...
 */
export function formatCorpusRecord(
	document: ExportDocument,
	set: ExportSet,
	spans: readonly ExportSpan[],
	links: readonly ExportLink[],
	layers: readonly ExportLayer[],
	split?: string
): FormattedDocument {
	const index = new OffsetIndex(document.text);
	const wanted = storedLayersFor(layers);
	const byId = new Map(spans.map((span) => [span.id, span]));
	const chosen = new Set(spans.filter((span) => wanted.has(span.layer)).map((span) => span.id));
	for (let grew = true; grew; ) {
		grew = false;
		for (const link of links) {
			if (chosen.has(link.fromSpanId) && link.toSpanId !== null && byId.has(link.toSpanId) && !chosen.has(link.toSpanId)) {
				chosen.add(link.toSpanId);
				grew = true;
			}
		}
	}
	const ordered = spans
		.filter((span) => chosen.has(span.id))
		.sort((a, b) => a.start - b.start || a.end - b.end || compare(a.label, b.label) || a.id - b.id);
	const counters: Record<SpanLayer, number> = { entity: 0, mention: 0, cue: 0, quote: 0, stance: 0 };
	const outId = new Map<number, string>();
	for (const span of ordered) outId.set(span.id, `${ID_PREFIX[span.layer]}${++counters[span.layer]}`);

	// The first link of each kind from each span (links arrive in creation order).
	const linksFrom = new Map<string, ExportLink>();
	for (const link of links) {
		const key = `${link.fromSpanId}:${link.kind}`;
		if (!linksFrom.has(key) && (link.toSpanId === null || outId.has(link.toSpanId))) linksFrom.set(key, link);
	}
	const firstLink = (from: number, kind: LinkKind): ExportLink | undefined => linksFrom.get(`${from}:${kind}`);
	const linkedId = (link: ExportLink | undefined): string | null =>
		link && link.toSpanId !== null ? (outId.get(link.toSpanId) as string) : null;

	const record: CorpusRecord = {
		schema: CORPUS_SCHEMA_VERSION,
		id: document.externalId,
		title: document.title,
		text: document.text,
		meta: recordMeta(document),
		offset_unit: OFFSET_UNIT,
		set: set.owner,
		status: set.status,
		annotators: annotatorsOf(set, ordered),
		...(split === undefined ? {} : { split }),
		entities: [],
		mentions: [],
		cues: [],
		quotes: [],
		stances: [],
		tokens: []
	};
	for (const span of ordered) {
		const base: Offsets = { id: outId.get(span.id) as string, start: span.start, end: span.end, text: index.slice(span.start, span.end) };
		const provenance = provenanceOf(span);
		switch (span.layer) {
			case 'entity':
				record.entities.push({ ...base, label: span.label, ...provenance });
				break;
			case 'mention':
				record.mentions.push({ ...base, ...provenance });
				break;
			case 'cue':
				record.cues.push({ ...base, ...provenance });
				break;
			case 'quote':
				record.quotes.push({
					...base,
					kind: typeof span.attributes.kind === 'string' ? span.attributes.kind : 'direct',
					cue: linkedId(firstLink(span.id, 'cue')),
					speaker: linkedId(firstLink(span.id, 'speaker')),
					...provenance
				});
				break;
			case 'stance': {
				const holder = firstLink(span.id, 'holder');
				const target = firstLink(span.id, 'target');
				record.stances.push({
					...base,
					polarity: typeof span.attributes.polarity === 'string' ? span.attributes.polarity : 'neutral',
					holder: holder ? (linkedId(holder) ?? holder.toName) : null,
					target: target ? (target.toSpanId !== null ? { span: linkedId(target) as string } : { name: target.toName ?? '' }) : null,
					...provenance
				});
				break;
			}
		}
	}

	// A sentence break never falls inside an entity: its tags would start with I- (invalid IOB2).
	const sentences = joinSentencesAcross(splitSentences(document.text, index), layers.includes('entity') ? record.entities : []);
	const tokens = sentences.flatMap((sentence) => sentence.tokens);
	const tagged = layers.includes('entity') ? tagTokens(tokens, record.entities) : null;
	const tags = tagged ? tagged.tags : new Array<string>(tokens.length).fill('O');
	record.tokens = tokens.map((token, i) =>
		tagged ? { text: token.text, start: token.start, end: token.end, ner: tags[i] } : { text: token.text, start: token.start, end: token.end }
	);
	return { record, sentences, tags, offBoundaryEntities: tagged?.offBoundary ?? 0 };
}

/** source, url and published_at first (null when unknown), then the document's own metadata. */
function recordMeta(document: ExportDocument): Record<string, unknown> {
	const { source: _s, url: _u, published_at: _p, ...rest } = document.meta;
	return { source: document.source, url: document.url, published_at: document.publishedAt, ...rest };
}

function provenanceOf(span: ExportSpan): SpanProvenance {
	const out: SpanProvenance = { origin: span.origin };
	const prefix = `${span.origin}:`;
	if (MACHINE_ORIGINS.has(span.origin)) {
		out.model = span.provenance.startsWith(prefix) ? span.provenance.slice(prefix.length) : span.provenance;
	} else if (span.origin === 'human' && span.provenance.startsWith(prefix)) {
		out.annotator = span.provenance.slice(prefix.length);
	}
	if (span.score !== null) out.score = span.score;
	if (span.decision !== null) out.decision = span.decision;
	const doubt = doubtOf(span);
	if (doubt) out.doubt = doubt;
	return out;
}

/** The set's owner when it is an annotator, and everyone who drew one of its spans; sorted. */
function annotatorsOf(set: ExportSet, spans: readonly ExportSpan[]): string[] {
	const names = new Set<string>();
	if (set.ownerKind === 'annotator') names.add(set.owner);
	for (const span of spans) if (span.origin === 'human' && span.provenance.startsWith('human:')) names.add(span.provenance.slice(6));
	return [...names].sort(compare);
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
