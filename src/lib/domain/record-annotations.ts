// Converts the annotations of a corpus record (export format) into span and link drafts.
// The export formatter does the reverse; together they make export -> import -> export exact.
import type { ImportRecord } from './corpus-record';
import type { LinkDraft, SpanDraft, SpanLayer, SpanOrigin } from './spans';

interface RecordSpan {
	id: string;
	start: number;
	end: number;
	origin?: SpanOrigin;
	model?: string;
	annotator?: string;
	score?: number | null;
	decision?: 'accepted' | 'edited' | null;
	doubt?: { note: string | null };
}

export function annotationsToDrafts(record: ImportRecord, importProvenance: string): { spans: SpanDraft[]; links: LinkDraft[] } {
	const spans: SpanDraft[] = [];
	const indexById = new Map<string, number>();
	const add = (span: RecordSpan, layer: SpanLayer, label: string, attributes: Record<string, unknown> = {}) => {
		const origin = span.origin ?? 'import';
		indexById.set(span.id, spans.length);
		spans.push({
			layer,
			start: span.start,
			end: span.end,
			label,
			attributes: span.doubt ? { ...attributes, doubt: { note: span.doubt.note } } : attributes,
			origin,
			score: span.score ?? null,
			provenance: provenanceOf(span, origin, record.set, importProvenance),
			decision: span.decision ?? null
		});
	};
	for (const span of record.entities ?? []) add(span, 'entity', span.label);
	for (const span of record.mentions ?? []) add(span, 'mention', 'MENTION');
	for (const span of record.cues ?? []) add(span, 'cue', 'CUE');
	for (const span of record.quotes ?? []) add(span, 'quote', 'QUOTE', { kind: span.kind });
	for (const span of record.stances ?? []) add(span, 'stance', 'STANCE', { polarity: span.polarity });

	const links: LinkDraft[] = [];
	const ref = (id: string) => indexById.get(id) as number;
	for (const quote of record.quotes ?? []) {
		if (quote.speaker) links.push({ kind: 'speaker', from: ref(quote.id), to: ref(quote.speaker) });
		if (quote.cue) links.push({ kind: 'cue', from: ref(quote.id), to: ref(quote.cue) });
	}
	for (const stance of record.stances ?? []) {
		if (stance.holder === 'article') links.push({ kind: 'holder', from: ref(stance.id), to: null, toName: 'article' });
		else if (stance.holder) links.push({ kind: 'holder', from: ref(stance.id), to: ref(stance.holder) });
		if (stance.target && 'span' in stance.target) links.push({ kind: 'target', from: ref(stance.id), to: ref(stance.target.span) });
		else if (stance.target) links.push({ kind: 'target', from: ref(stance.id), to: null, toName: stance.target.name });
	}
	return { spans, links };
}

const MACHINE_ORIGINS = new Set<SpanOrigin>(['model', 'rules', 'memory', 'gazetteer']);
/** A provenance that already names its producer kind (`rules:gazetteer@2` on a gazetteer span). */
const QUALIFIED = /^(?:model|rules|memory|gazetteer):/;

/**
 * The stored provenance of an imported span. The export writes a machine span's provenance
 * `model:<id>@<rev>` as origin `model` + model `<id>@<rev>` (it strips only the origin's own
 * prefix), and a human span's `human:<name>` as annotator `<name>`; this puts the prefix back so
 * the database reads as it did.
 */
function provenanceOf(span: RecordSpan, origin: SpanOrigin, set: string | undefined, importProvenance: string): string {
	if (span.model !== undefined) {
		return MACHINE_ORIGINS.has(origin) && !QUALIFIED.test(span.model) ? `${origin}:${span.model}` : span.model;
	}
	if (origin === 'human') return `human:${span.annotator ?? set ?? 'gold'}`;
	return importProvenance;
}
