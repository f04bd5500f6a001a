// Entity-level evaluation on character offsets: exact (same start, end and label) and relaxed
// (overlapping, same label, each gold and predicted span matched at most once).
import { codePointLength } from '../offsets';
import { parseModelLabel } from './labels';

export interface LabelledSpan {
	start: number;
	end: number;
	label: string;
}

export interface Counts {
	tp: number;
	fp: number;
	fn: number;
}

export interface Scores extends Counts {
	precision: number;
	recall: number;
	f1: number;
	/** Gold spans. */
	support: number;
}

export interface MatchReport {
	perLabel: Record<string, Scores>;
	micro: Scores;
}

export interface NerEvaluation {
	exact: MatchReport;
	relaxed: MatchReport;
}

/** Tokens joined by single spaces, with each token's code-point offsets in the result. */
export function joinTokensWithOffsets(tokens: readonly string[]): { text: string; offsets: { start: number; end: number }[] } {
	const offsets: { start: number; end: number }[] = [];
	let position = 0;
	for (const token of tokens) {
		const length = codePointLength(token);
		offsets.push({ start: position, end: position + length });
		position += length + 1;
	}
	return { text: tokens.join(' '), offsets };
}

/** Spans of BIO (or IOB1) tags over token offsets; an I- after O or another type starts an entity. */
export function bioTagsToSpans(tags: readonly string[], offsets: readonly { start: number; end: number }[]): LabelledSpan[] {
	if (tags.length !== offsets.length) throw new Error(`${tags.length} tags for ${offsets.length} tokens`);
	const spans: LabelledSpan[] = [];
	let open: LabelledSpan | null = null;
	tags.forEach((tag, i) => {
		const { prefix, type } = parseModelLabel(tag);
		if (type === null) {
			open = null;
			return;
		}
		if (open && open.label === type && prefix !== 'B' && prefix !== 'U') {
			open.end = offsets[i].end;
		} else {
			open = { start: offsets[i].start, end: offsets[i].end, label: type };
			spans.push(open);
		}
		if (prefix === 'L' || prefix === 'U') open = null;
	});
	return spans;
}

function emptyCounts(): Counts {
	return { tp: 0, fp: 0, fn: 0 };
}

function toScores(counts: Counts): Scores {
	const precision = counts.tp + counts.fp ? counts.tp / (counts.tp + counts.fp) : 0;
	const recall = counts.tp + counts.fn ? counts.tp / (counts.tp + counts.fn) : 0;
	const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
	return { ...counts, precision, recall, f1, support: counts.tp + counts.fn };
}

/** Accumulates one sentence (or document) at a time; `report()` gives the figures. */
export class EntityScorer {
	private readonly exact = new Map<string, Counts>();
	private readonly relaxed = new Map<string, Counts>();

	add(gold: readonly LabelledSpan[], predicted: readonly LabelledSpan[]): void {
		this.count(this.exact, gold, predicted, (g, p) => g.start === p.start && g.end === p.end);
		this.count(this.relaxed, gold, predicted, (g, p) => g.start < p.end && p.start < g.end);
	}

	private count(table: Map<string, Counts>, gold: readonly LabelledSpan[], predicted: readonly LabelledSpan[], matches: (g: LabelledSpan, p: LabelledSpan) => boolean) {
		const at = (label: string) => {
			let counts = table.get(label);
			if (!counts) table.set(label, (counts = emptyCounts()));
			return counts;
		};
		const used = new Array(gold.length).fill(false);
		for (const p of predicted) {
			const k = gold.findIndex((g, i) => !used[i] && g.label === p.label && matches(g, p));
			if (k >= 0) {
				used[k] = true;
				at(p.label).tp++;
			} else {
				at(p.label).fp++;
			}
		}
		gold.forEach((g, i) => {
			if (!used[i]) at(g.label).fn++;
		});
	}

	report(): NerEvaluation {
		const build = (table: Map<string, Counts>): MatchReport => {
			const perLabel: Record<string, Scores> = {};
			const total = emptyCounts();
			for (const label of [...table.keys()].sort()) {
				const counts = table.get(label)!;
				perLabel[label] = toScores(counts);
				total.tp += counts.tp;
				total.fp += counts.fp;
				total.fn += counts.fn;
			}
			return { perLabel, micro: toScores(total) };
		};
		return { exact: build(this.exact), relaxed: build(this.relaxed) };
	}
}
