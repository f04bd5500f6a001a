// Scores quote suggestions against gold corpus records: precision, recall and F1 for quote spans
// (exact and overlap matching, all and per kind) and speaker-attribution accuracy on the quotes
// that matched. Pure, so the CLI (scripts/evaluate-quotes) and the tests share it.
import { OffsetIndex } from '../offsets';
import type { QuoteSuggestions } from './index';

export interface GoldSpan {
	id: string;
	start: number;
	end: number;
	text?: string;
	label?: string;
	/** For a role or pronoun mention: the entity id it designates. */
	entity?: string;
}

export interface GoldRecord {
	id: string;
	text: string;
	quotes: { id: string; start: number; end: number; kind: string; cue?: string | null; speaker?: string | null }[];
	cues?: GoldSpan[];
	entities?: GoldSpan[];
	mentions?: GoldSpan[];
}

export interface PrfCounts {
	tp: number;
	fp: number;
	fn: number;
	precision: number;
	recall: number;
	f1: number;
}

export interface QuoteScores {
	documents: number;
	gold: { direct: number; indirect: number };
	predicted: { direct: number; indirect: number };
	exact: Record<'all' | 'direct' | 'indirect', PrfCounts>;
	overlap: Record<'all' | 'direct' | 'indirect', PrfCounts>;
	speaker: Record<'all' | 'direct' | 'indirect', { correct: number; total: number; accuracy: number }>;
	/** Per document, for reading the misses. */
	errors: { id: string; missed: string[]; spurious: string[]; wrongSpeaker: string[] }[];
}

interface Predicted {
	start: number;
	end: number;
	kind: string;
	speaker: { start: number; end: number } | null;
}

function prf(tp: number, fp: number, fn: number): PrfCounts {
	const precision = tp + fp ? tp / (tp + fp) : 0;
	const recall = tp + fn ? tp / (tp + fn) : 0;
	const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
	return { tp, fp, fn, precision, recall, f1 };
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
const overlapLength = (a: { start: number; end: number }, b: { start: number; end: number }) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/** The surname-like key of a name: its last capitalised word ("M. Sergueï Lavrov" -> "lavrov"). */
export function nameKey(text: string): string | null {
	const words = text.match(/\p{Lu}[\p{L}'’-]*/gu);
	if (!words) return null;
	const last = words.filter((w) => w.length > 1).at(-1);
	return last ? last.toLowerCase() : null;
}

/** One-to-one matching, best overlap first; `exact` requires identical offsets. */
function match<G extends { start: number; end: number }, P extends { start: number; end: number }>(gold: G[], predicted: P[], exact: boolean): [G, P][] {
	const pairs: { g: number; p: number; score: number }[] = [];
	gold.forEach((g, gi) =>
		predicted.forEach((p, pi) => {
			if (exact ? g.start === p.start && g.end === p.end : overlaps(g, p)) {
				pairs.push({ g: gi, p: pi, score: overlapLength(g, p) / Math.max(g.end - g.start, p.end - p.start) });
			}
		})
	);
	pairs.sort((a, b) => b.score - a.score);
	const usedG = new Set<number>();
	const usedP = new Set<number>();
	const matched: [G, P][] = [];
	for (const pair of pairs) {
		if (usedG.has(pair.g) || usedP.has(pair.p)) continue;
		usedG.add(pair.g);
		usedP.add(pair.p);
		matched.push([gold[pair.g], predicted[pair.p]]);
	}
	return matched;
}

function predictedQuotes(suggestions: QuoteSuggestions): Predicted[] {
	return suggestions.spans.flatMap((span, i) => {
		if (span.layer !== 'quote') return [];
		const link = suggestions.links.find((l) => l.kind === 'speaker' && l.from === i && l.to !== null);
		const speaker = link ? suggestions.spans[link.to as number] : null;
		return [{ start: span.start, end: span.end, kind: String(span.attributes?.kind ?? 'direct'), speaker: speaker ? { start: speaker.start, end: speaker.end } : null }];
	});
}

/**
 * Is the predicted speaker right? It overlaps the gold speaker, or the entity the gold speaker
 * designates, or has the same surname-like key as either (the same person named elsewhere).
 */
function speakerIsRight(record: GoldRecord, index: OffsetIndex, goldSpeakerId: string, predicted: { start: number; end: number } | null): boolean {
	if (!predicted) return false;
	const spans = [...(record.entities ?? []), ...(record.mentions ?? [])];
	const gold = spans.find((s) => s.id === goldSpeakerId);
	if (!gold) throw new Error(`${record.id}: speaker ${goldSpeakerId} is not an entity or mention of the record`);
	const referent = gold.entity ? spans.find((s) => s.id === gold.entity) : undefined;
	const candidates = [gold, ...(referent ? [referent] : [])];
	if (candidates.some((c) => overlaps(c, predicted))) return true;
	const key = nameKey(index.slice(predicted.start, predicted.end));
	return key !== null && candidates.some((c) => nameKey(index.slice(c.start, c.end)) === key);
}

export function scoreQuotes(records: readonly { record: GoldRecord; suggestions: QuoteSuggestions }[]): QuoteScores {
	const kinds = ['all', 'direct', 'indirect'] as const;
	const counts = {
		exact: { all: [0, 0, 0], direct: [0, 0, 0], indirect: [0, 0, 0] },
		overlap: { all: [0, 0, 0], direct: [0, 0, 0], indirect: [0, 0, 0] }
	} as Record<'exact' | 'overlap', Record<(typeof kinds)[number], number[]>>;
	const speaker = { all: [0, 0], direct: [0, 0], indirect: [0, 0] } as Record<(typeof kinds)[number], number[]>;
	const goldTotals = { direct: 0, indirect: 0 };
	const predictedTotals = { direct: 0, indirect: 0 };
	const errors: QuoteScores['errors'] = [];
	for (const { record, suggestions } of records) {
		const index = new OffsetIndex(record.text);
		const predicted = predictedQuotes(suggestions);
		const show = (span: { start: number; end: number }) => {
			const text = index.slice(span.start, span.end);
			return text.length > 70 ? `${text.slice(0, 40)} … ${text.slice(-25)}` : text;
		};
		for (const q of record.quotes) goldTotals[q.kind === 'indirect' ? 'indirect' : 'direct']++;
		for (const p of predicted) predictedTotals[p.kind === 'indirect' ? 'indirect' : 'direct']++;
		const docErrors = { id: record.id, missed: [] as string[], spurious: [] as string[], wrongSpeaker: [] as string[] };
		for (const mode of ['exact', 'overlap'] as const) {
			for (const kind of kinds) {
				const gold = record.quotes.filter((q) => kind === 'all' || q.kind === kind);
				const pred = predicted.filter((p) => kind === 'all' || p.kind === kind);
				const matched = match(gold, pred, mode === 'exact');
				counts[mode][kind][0] += matched.length;
				counts[mode][kind][1] += pred.length - matched.length;
				counts[mode][kind][2] += gold.length - matched.length;
				if (mode === 'overlap' && kind === 'all') {
					const matchedGold = new Set(matched.map(([g]) => g));
					const matchedPred = new Set(matched.map(([, p]) => p));
					docErrors.missed.push(...gold.filter((g) => !matchedGold.has(g)).map((g) => `${g.kind}: ${show(g)}`));
					docErrors.spurious.push(...pred.filter((p) => !matchedPred.has(p)).map((p) => `${p.kind}: ${show(p)}`));
				}
				if (mode === 'overlap' && kind !== 'all') {
					// Speaker accuracy within each kind, on quotes matched by overlap with the same kind.
					for (const [g, p] of matched) {
						if (!g.speaker) continue;
						const right = speakerIsRight(record, index, g.speaker, p.speaker);
						for (const k of ['all', kind] as const) {
							speaker[k][1]++;
							if (right) speaker[k][0]++;
						}
						if (!right) docErrors.wrongSpeaker.push(`${show(g)} -> ${p.speaker ? show(p.speaker) : '(none)'}`);
					}
				}
			}
		}
		if (docErrors.missed.length || docErrors.spurious.length || docErrors.wrongSpeaker.length) errors.push(docErrors);
	}
	const table = (mode: 'exact' | 'overlap') =>
		Object.fromEntries(kinds.map((k) => [k, prf(counts[mode][k][0], counts[mode][k][1], counts[mode][k][2])])) as Record<(typeof kinds)[number], PrfCounts>;
	return {
		documents: records.length,
		gold: goldTotals,
		predicted: predictedTotals,
		exact: table('exact'),
		overlap: table('overlap'),
		speaker: Object.fromEntries(
			kinds.map((k) => [k, { correct: speaker[k][0], total: speaker[k][1], accuracy: speaker[k][1] ? speaker[k][0] / speaker[k][1] : 0 }])
		) as QuoteScores['speaker'],
		errors
	};
}
