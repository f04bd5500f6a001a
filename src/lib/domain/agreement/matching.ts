// One-to-one matching of two annotators' spans. Exact: same start and end. Overlap: exact
// matches first, then each remaining span of A takes the unmatched span of B it overlaps most
// (ties: the earliest). With `sameLabel`, only spans with the same label can match.
export interface Interval {
	start: number;
	end: number;
	label?: string;
}

export type MatchMode = 'exact' | 'overlap';

export function overlapLength(a: Interval, b: Interval): number {
	return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/** Pairs of indexes [index in a, index in b]. */
export function matchSpans<T extends Interval>(a: readonly T[], b: readonly T[], mode: MatchMode, sameLabel: boolean): [number, number][] {
	const usedB = new Set<number>();
	const matchedA = new Set<number>();
	const pairs: [number, number][] = [];
	const compatible = (x: T, y: T) => !sameLabel || x.label === y.label;
	a.forEach((x, i) => {
		const j = b.findIndex((y, k) => !usedB.has(k) && compatible(x, y) && x.start === y.start && x.end === y.end);
		if (j >= 0) {
			usedB.add(j);
			matchedA.add(i);
			pairs.push([i, j]);
		}
	});
	if (mode === 'overlap') {
		a.forEach((x, i) => {
			if (matchedA.has(i)) return;
			let best = -1;
			let bestOverlap = 0;
			b.forEach((y, k) => {
				if (usedB.has(k) || !compatible(x, y)) return;
				const overlap = overlapLength(x, y);
				if (overlap > bestOverlap) {
					best = k;
					bestOverlap = overlap;
				}
			});
			if (best >= 0) {
				usedB.add(best);
				matchedA.add(i);
				pairs.push([i, best]);
			}
		});
	}
	return pairs.sort((p, q) => p[0] - q[0]);
}
