// Inter-annotator agreement per document and per project, from the annotators' spans only.
// - Entities: span F1 between each pair of annotators, exact (same offsets and label) and
//   overlap (overlapping, same label), overall and per label. F1 = 2·matched / (|A| + |B|).
// - Quotes: span F1 (exact and overlap, kind ignored) and, on the overlap-matched quotes,
//   the share whose speakers agree (both without speaker, or speakers that overlap).
// - Stance: kappa on the polarity of matched stance spans: Cohen's for two annotators,
//   Fleiss' for more (items: stances that every annotator marked, anchored on the first
//   annotator by name).
// A document's figure is the mean over its annotator pairs. A project's figure pools each pair's
// counts over the documents both annotated, then takes the mean over pairs; its stance kappa is
// Cohen's when the project has exactly two annotators, Fleiss' otherwise. Figures that have no
// evidence (no spans on either side) are null, never 0 or 1.
import { cohenKappa, fleissKappa } from './kappa';
import { matchSpans, overlapLength, type MatchMode } from './matching';

export interface AgreementSpan {
	layer: string;
	start: number;
	end: number;
	label: string;
	/** stance polarity */
	polarity?: string | null;
	/** quote speaker: the offsets of the span the quote is linked to */
	speaker?: { start: number; end: number } | null;
}

export interface AnnotatorSpans {
	annotator: string;
	spans: readonly AgreementSpan[];
}

export interface DocumentSets {
	documentId: number;
	/** The id the import gave it, which exports carry: what scripts join the figures on. */
	externalId?: string;
	title?: string;
	sets: readonly AnnotatorSpans[];
}

export interface Counts {
	matched: number;
	/** |A| + |B| */
	total: number;
}

interface PairCounts {
	a: string;
	b: string;
	entities: Record<MatchMode, Counts>;
	byLabel: Record<string, Record<MatchMode, Counts>>;
	quotes: Record<MatchMode, Counts>;
	speaker: { agreed: number; total: number };
	stances: Record<MatchMode, Counts>;
}

export interface F1Pair {
	exact: number | null;
	overlap: number | null;
}

export interface AgreementFigures {
	annotators: string[];
	pairs: number;
	entities: F1Pair & { byLabel: Record<string, F1Pair> };
	quotes: F1Pair & { speaker: number | null; matchedQuotes: number };
	/**
	 * Span F1 of the stance spans (did the annotators mark the same passages?), then kappa on the
	 * polarity of the ones they share: one annotator with 12 stances and the other with none is F1 0,
	 * not "no data".
	 */
	stance: F1Pair & { method: 'cohen' | 'fleiss' | null; kappa: number | null; observed: number | null; items: number };
}

export interface DocumentAgreement extends AgreementFigures {
	documentId: number;
	externalId?: string;
	title?: string;
}

export interface ProjectAgreement {
	project: AgreementFigures;
	documents: DocumentAgreement[];
	/** Documents left out because fewer than two annotators finished them. */
	documentsWithoutPairs: number;
}

export function f1(counts: Counts): number | null {
	return counts.total === 0 ? null : (2 * counts.matched) / counts.total;
}

const zero = (): Counts => ({ matched: 0, total: 0 });
const add = (into: Counts, more: Counts) => {
	into.matched += more.matched;
	into.total += more.total;
};

function countMatches(a: readonly AgreementSpan[], b: readonly AgreementSpan[], mode: MatchMode, sameLabel: boolean): Counts {
	return { matched: matchSpans(a, b, mode, sameLabel).length, total: a.length + b.length };
}

function ofLayer(set: AnnotatorSpans, layer: string): AgreementSpan[] {
	return [...set.spans].filter((span) => span.layer === layer).sort((x, y) => x.start - y.start || x.end - y.end || x.label.localeCompare(y.label));
}

function comparePair(a: AnnotatorSpans, b: AnnotatorSpans): PairCounts {
	const entitiesA = ofLayer(a, 'entity');
	const entitiesB = ofLayer(b, 'entity');
	const labels = [...new Set([...entitiesA, ...entitiesB].map((span) => span.label))].sort();
	const byLabel: PairCounts['byLabel'] = {};
	const entities = { exact: zero(), overlap: zero() };
	for (const label of labels) {
		const x = entitiesA.filter((span) => span.label === label);
		const y = entitiesB.filter((span) => span.label === label);
		byLabel[label] = { exact: countMatches(x, y, 'exact', true), overlap: countMatches(x, y, 'overlap', true) };
		add(entities.exact, byLabel[label].exact);
		add(entities.overlap, byLabel[label].overlap);
	}
	const stancesA = ofLayer(a, 'stance');
	const stancesB = ofLayer(b, 'stance');
	const quotesA = ofLayer(a, 'quote');
	const quotesB = ofLayer(b, 'quote');
	const matchedQuotes = matchSpans(quotesA, quotesB, 'overlap', false);
	let agreed = 0;
	for (const [i, j] of matchedQuotes) {
		const x = quotesA[i].speaker ?? null;
		const y = quotesB[j].speaker ?? null;
		if ((x === null && y === null) || (x !== null && y !== null && overlapLength(x, y) > 0)) agreed++;
	}
	return {
		a: a.annotator,
		b: b.annotator,
		entities,
		byLabel,
		quotes: { exact: countMatches(quotesA, quotesB, 'exact', false), overlap: { matched: matchedQuotes.length, total: quotesA.length + quotesB.length } },
		speaker: { agreed, total: matchedQuotes.length },
		stances: { exact: countMatches(stancesA, stancesB, 'exact', false), overlap: countMatches(stancesA, stancesB, 'overlap', false) }
	};
}

/** Stance items for kappa: the polarities given to stances every annotator marked. */
export function stanceItems(sets: readonly AnnotatorSpans[]): string[][] {
	if (sets.length < 2) return [];
	const [anchor, ...others] = sets.map((set) => ofLayer(set, 'stance'));
	const matches = others.map((other) => new Map(matchSpans(anchor, other, 'overlap', false)));
	const items: string[][] = [];
	anchor.forEach((span, i) => {
		const partners = matches.map((match, k) => (match.has(i) ? others[k][match.get(i)!] : null));
		if (partners.some((p) => p === null)) return;
		items.push([span, ...(partners as AgreementSpan[])].map((s) => s.polarity ?? 'none'));
	});
	return items;
}

const mean = (values: (number | null)[]): number | null => {
	const present = values.filter((v): v is number => v !== null);
	return present.length ? present.reduce((x, y) => x + y, 0) / present.length : null;
};

function summarise(annotators: string[], pairs: PairCounts[], items: string[][], method: 'cohen' | 'fleiss' | null): AgreementFigures {
	const labels = [...new Set(pairs.flatMap((pair) => Object.keys(pair.byLabel)))].sort();
	const byLabel: Record<string, F1Pair> = {};
	for (const label of labels) {
		byLabel[label] = {
			exact: mean(pairs.map((pair) => (pair.byLabel[label] ? f1(pair.byLabel[label].exact) : null))),
			overlap: mean(pairs.map((pair) => (pair.byLabel[label] ? f1(pair.byLabel[label].overlap) : null)))
		};
	}
	const kappa =
		method === 'cohen' ? cohenKappa(items.map((item) => [item[0], item[1]] as const)) : method === 'fleiss' ? fleissKappa(items) : null;
	return {
		annotators,
		pairs: pairs.length,
		entities: { exact: mean(pairs.map((p) => f1(p.entities.exact))), overlap: mean(pairs.map((p) => f1(p.entities.overlap))), byLabel },
		quotes: {
			exact: mean(pairs.map((p) => f1(p.quotes.exact))),
			overlap: mean(pairs.map((p) => f1(p.quotes.overlap))),
			speaker: mean(pairs.map((p) => (p.speaker.total ? p.speaker.agreed / p.speaker.total : null))),
			matchedQuotes: pairs.reduce((sum, p) => sum + p.speaker.total, 0)
		},
		stance: {
			exact: mean(pairs.map((p) => f1(p.stances.exact))),
			overlap: mean(pairs.map((p) => f1(p.stances.overlap))),
			method: kappa && kappa.items > 0 ? method : null,
			kappa: kappa?.kappa ?? null,
			observed: kappa?.observed ?? null,
			items: kappa?.items ?? 0
		}
	};
}

function sortedSets(document: DocumentSets): AnnotatorSpans[] {
	return [...document.sets].sort((x, y) => x.annotator.localeCompare(y.annotator));
}

function pairsOf<T>(values: readonly T[]): [T, T][] {
	const pairs: [T, T][] = [];
	for (let i = 0; i < values.length; i++) for (let j = i + 1; j < values.length; j++) pairs.push([values[i], values[j]]);
	return pairs;
}

/** Figures for one document; null when fewer than two annotators have a set. */
export function computeDocumentAgreement(document: DocumentSets): DocumentAgreement | null {
	const sets = sortedSets(document);
	if (sets.length < 2) return null;
	const pairs = pairsOf(sets).map(([a, b]) => comparePair(a, b));
	const figures = summarise(
		sets.map((set) => set.annotator),
		pairs,
		stanceItems(sets),
		sets.length === 2 ? 'cohen' : 'fleiss'
	);
	return { documentId: document.documentId, externalId: document.externalId, title: document.title, ...figures };
}

export function computeProjectAgreement(documents: readonly DocumentSets[]): ProjectAgreement {
	const perPair = new Map<string, PairCounts>();
	const items: string[][] = [];
	const annotators = new Set<string>();
	const results: DocumentAgreement[] = [];
	let documentsWithoutPairs = 0;
	for (const document of documents) {
		const result = computeDocumentAgreement(document);
		if (!result) {
			documentsWithoutPairs++;
			continue;
		}
		results.push(result);
		const sets = sortedSets(document);
		for (const set of sets) annotators.add(set.annotator);
		for (const [a, b] of pairsOf(sets)) {
			const counts = comparePair(a, b);
			const key = `${a.annotator}\u0000${b.annotator}`;
			const pooled = perPair.get(key);
			if (!pooled) {
				perPair.set(key, counts);
				continue;
			}
			for (const mode of ['exact', 'overlap'] as const) {
				add(pooled.entities[mode], counts.entities[mode]);
				add(pooled.quotes[mode], counts.quotes[mode]);
				for (const [label, byMode] of Object.entries(counts.byLabel)) {
					pooled.byLabel[label] ??= { exact: zero(), overlap: zero() };
					add(pooled.byLabel[label][mode], byMode[mode]);
				}
			}
			pooled.speaker.agreed += counts.speaker.agreed;
			pooled.speaker.total += counts.speaker.total;
		}
		items.push(...stanceItems(sets));
	}
	const names = [...annotators].sort();
	const method = names.length < 2 ? null : names.length === 2 ? 'cohen' : 'fleiss';
	return { project: summarise(names, [...perPair.values()], items, method), documents: results, documentsWithoutPairs };
}
