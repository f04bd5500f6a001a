// Entity memory rules: from how often annotators gave a surface form each label, and how often
// they left it unlabelled in finished documents, decide whether to suggest it and how sure to be.

export interface MemoryCounts {
	/** label -> times annotators labelled the form so. */
	labels: Record<string, number>;
	unlabelled: number;
	forcedLabel: string | null;
	blocked: boolean;
}

export interface MemoryVerdict {
	label: string;
	/**
	 * The label's share of the form's sightings, shrunk towards zero while evidence is thin:
	 * count / (all labelled + unlabelled + 1). One labelled sighting gives 0.5, three give 0.75,
	 * so a form seen once does not outrank a confident model.
	 */
	confidence: number;
}

/** Below this share of sightings a form is not suggested: annotators disagree or mostly leave it. */
export const MIN_MEMORY_CONFIDENCE = 0.5;

export function decideMemorySuggestion(counts: MemoryCounts): MemoryVerdict | null {
	if (counts.blocked) return null;
	if (counts.forcedLabel) return { label: counts.forcedLabel, confidence: 1 };
	let best: string | null = null;
	let bestCount = 0;
	let labelled = 0;
	for (const [label, count] of Object.entries(counts.labels)) {
		if (count <= 0) continue;
		labelled += count;
		if (count > bestCount || (count === bestCount && best !== null && label < best)) {
			best = label;
			bestCount = count;
		}
	}
	if (best === null) return null;
	const confidence = bestCount / (labelled + counts.unlabelled + 1);
	return confidence >= MIN_MEMORY_CONFIDENCE ? { label: best, confidence } : null;
}

/** What one document's sightings added to a form's counts. */
export interface DocumentContribution {
	labels: Record<string, number>;
	unlabelled: number;
}

/**
 * A form's counts less one document's own sightings: the evidence a suggestion on that document
 * may rest on. Two annotators of one document must each decide without the other's choices on
 * it, and agreement figures must not be inflated by them. An admin's forced label or block is a
 * project decision, not a sighting, and stays. Never below zero.
 */
export function withoutDocument(counts: MemoryCounts, contribution: DocumentContribution): MemoryCounts {
	const labels: Record<string, number> = {};
	for (const [label, count] of Object.entries(counts.labels)) {
		const rest = count - (contribution.labels[label] ?? 0);
		if (rest > 0) labels[label] = rest;
	}
	return { ...counts, labels, unlabelled: Math.max(0, counts.unlabelled - contribution.unlabelled) };
}

export interface EntityOccurrence {
	surface: string;
	label: string;
}

/**
 * What a save changed in the memory: +1 for each entity occurrence added, -1 for each removed
 * (multiset difference of (surface, label) between the set before and after the save).
 */
export function diffEntityOccurrences(before: readonly EntityOccurrence[], after: readonly EntityOccurrence[]): Map<string, { surface: string; label: string; delta: number }> {
	const changes = new Map<string, { surface: string; label: string; delta: number }>();
	const bump = (occurrence: EntityOccurrence, delta: number) => {
		const key = `${occurrence.label}\u0000${occurrence.surface}`;
		const entry = changes.get(key) ?? { surface: occurrence.surface, label: occurrence.label, delta: 0 };
		entry.delta += delta;
		changes.set(key, entry);
	};
	for (const occurrence of before) bump(occurrence, -1);
	for (const occurrence of after) bump(occurrence, +1);
	for (const [key, entry] of changes) if (entry.delta === 0) changes.delete(key);
	return changes;
}
