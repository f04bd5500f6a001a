// One view of the suggestions of several sources (model, memory, gazetteer, rules): where they
// agree (same range, same label) they become one suggestion listing its sources; where their
// ranges overlap with another range or label they are in conflict, and `resolveConflicts` picks
// the one to keep when a single answer is needed (one key in the workspace, evaluation).

export interface SourcedSuggestion {
	start: number;
	end: number;
	label: string;
	score: number | null;
	/** Provenance, e.g. `model:guillemet-ner-fr@1a2b3c`, `memory:default`, `rules:gazetteer@1`. */
	source: string;
}

export interface MergedSuggestion {
	start: number;
	end: number;
	label: string;
	/** Best score among the agreeing sources. */
	score: number | null;
	sources: { source: string; score: number | null }[];
	/** Indexes (in the merged list) of suggestions overlapping this one with another range or label. */
	conflicts: number[];
}

export function mergeSuggestions(suggestions: readonly SourcedSuggestion[]): MergedSuggestion[] {
	const byKey = new Map<string, MergedSuggestion>();
	for (const s of suggestions) {
		const key = `${s.start}:${s.end}:${s.label}`;
		const merged = byKey.get(key);
		if (!merged) {
			byKey.set(key, { start: s.start, end: s.end, label: s.label, score: s.score, sources: [{ source: s.source, score: s.score }], conflicts: [] });
		} else if (!merged.sources.some((x) => x.source === s.source)) {
			merged.sources.push({ source: s.source, score: s.score });
			if (s.score !== null && (merged.score === null || s.score > merged.score)) merged.score = s.score;
		}
	}
	const merged = [...byKey.values()].sort((a, b) => a.start - b.start || a.end - b.end || a.label.localeCompare(b.label));
	for (let i = 0; i < merged.length; i++) {
		for (let j = i + 1; j < merged.length && merged[j].start < merged[i].end; j++) {
			merged[i].conflicts.push(j);
			merged[j].conflicts.push(i);
		}
	}
	return merged;
}

/** Agreement first (more sources), then score, then the longer span. */
function preference(s: MergedSuggestion): [number, number, number] {
	return [s.sources.length, s.score ?? 0, s.end - s.start];
}

function prefer(a: MergedSuggestion, b: MergedSuggestion): boolean {
	const [pa, pb] = [preference(a), preference(b)];
	for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) return pa[i] > pb[i];
	return false;
}

/** Keeps, in every group of conflicting suggestions, the preferred ones, never two that overlap. */
export function resolveConflicts(merged: readonly MergedSuggestion[]): MergedSuggestion[] {
	const order = merged.map((_, i) => i).sort((a, b) => (prefer(merged[a], merged[b]) ? -1 : prefer(merged[b], merged[a]) ? 1 : a - b));
	const kept = new Set<number>();
	for (const i of order) if (!merged[i].conflicts.some((j) => kept.has(j))) kept.add(i);
	return [...kept].sort((a, b) => a - b).map((i) => merged[i]);
}
