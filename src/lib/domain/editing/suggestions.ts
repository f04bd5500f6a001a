// Which machine suggestions an annotator still has to decide on: not rejected, not already in
// their set (same layer and range), and, for entities, not overlapping an entity they kept
// (it could not be accepted anyway). Other layers hide a suggestion once a span of the same
// layer and source covers part of it (the annotator took it and then edited its range).
import type { LinkKind, SpanAttributes, SpanDoubt, SpanOrigin, StoredSpan } from '../spans';
import { isRejected, spanKey, suggestionKey, type EditSpan, type EditState, type SuggestionRef } from './state';

export interface Suggestion extends SuggestionRef {
	key: string;
	origin: SpanOrigin;
	score: number | null;
	attributes: SpanAttributes;
	/**
	 * The source's own links from this span (a quote's speaker and cue, a stance's holder and
	 * target): to another suggestion, by its key, or to a name (`article`, a listed stance target).
	 */
	links?: SuggestionLink[];
	/**
	 * What a span taken from this suggestion carries, when not the suggestion's own source: the
	 * gold set's suggestions are the annotators' spans (source `human:<annotator>`), and taking one
	 * keeps the provenance that span had (the model, the rules, the memory, or whoever drew it),
	 * as an accept on Relecture does. See acceptOperation.
	 */
	carries?: Pick<StoredSpan, 'origin' | 'score' | 'provenance' | 'decision'>;
	/**
	 * The doubt its source had on it (the gold set's suggestions: the annotator's « doute »), for the
	 * reviewer to read. Not in `attributes`: a doubt is its author's, and taking the span leaves it.
	 */
	doubt?: SpanDoubt;
}

export type SuggestionLink = { kind: LinkKind; to: string } | { kind: LinkKind; toName: string };

/** The provenance of a span taken from `suggestion` (see Suggestion.carries). */
function takenProvenance(suggestion: Pick<Suggestion, 'provenance' | 'carries'>): string {
	return suggestion.carries?.provenance ?? suggestion.provenance;
}

export function toSuggestion(span: Omit<Suggestion, 'key'>): Suggestion {
	return { ...span, key: suggestionKey(span) };
}

export function visibleSuggestions(state: EditState, suggestions: readonly Suggestion[]): Suggestion[] {
	const entities: EditSpan[] = [];
	const bySource = new Map<string, EditSpan[]>();
	for (const span of state.spans.values()) {
		if (span.layer === 'entity') entities.push(span);
		else {
			const group = `${span.layer}|${span.provenance}`;
			const list = bySource.get(group);
			if (list) list.push(span);
			else bySource.set(group, [span]);
		}
	}
	entities.sort((a, b) => a.start - b.start);
	return suggestions.filter((suggestion) => {
		if (isRejected(state, suggestion.key)) return false;
		if (state.spans.has(spanKey(suggestion))) return false;
		if (suggestion.layer === 'entity') return !overlapsSorted(entities, suggestion);
		const taken = bySource.get(`${suggestion.layer}|${takenProvenance(suggestion)}`);
		return !taken?.some((span) => span.start < suggestion.end && suggestion.start < span.end);
	});
}

/** True when a span of `sorted` (by start, not overlapping each other) overlaps `range`. */
function overlapsSorted(sorted: readonly EditSpan[], range: { start: number; end: number }): boolean {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		if (sorted[mid].end <= range.start) low = mid + 1;
		else high = mid;
	}
	return low < sorted.length && sorted[low].start < range.end;
}

export interface ShownSuggestion {
	/** The suggestion the annotator acts on: the most confident of those that agree. */
	suggestion: Suggestion;
	/** Other sources proposing exactly the same span (layer, range, label). */
	agreeing: Suggestion[];
	/** Entity suggestions of other sources overlapping this one with another range or label. */
	conflicts: Suggestion[];
}

/**
 * One suggestion per span that several sources agree on (the model, the quote rules, the
 * gazetteer, the memory), listing the others as agreeing; overlapping entity suggestions that
 * disagree are marked as conflicts of each other. Accepting one resolves the conflict (the
 * others overlap the accepted entity and disappear); rejecting one rejects its agreeing sources.
 */
export function groupSuggestions(visible: readonly Suggestion[]): ShownSuggestion[] {
	const groups = new Map<string, ShownSuggestion>();
	const score = (s: Suggestion) => s.score ?? 0;
	for (const suggestion of visible) {
		const key = `${suggestion.layer}:${suggestion.start}-${suggestion.end}:${suggestion.label}`;
		const group = groups.get(key);
		if (!group) groups.set(key, { suggestion, agreeing: [], conflicts: [] });
		else if (score(suggestion) > score(group.suggestion)) {
			group.agreeing.push(group.suggestion);
			group.suggestion = suggestion;
		} else group.agreeing.push(suggestion);
	}
	const shown = [...groups.values()];
	const entities = shown.filter((g) => g.suggestion.layer === 'entity').sort((a, b) => a.suggestion.start - b.suggestion.start);
	for (let i = 0; i < entities.length; i++) {
		for (let j = i + 1; j < entities.length && entities[j].suggestion.start < entities[i].suggestion.end; j++) {
			entities[i].conflicts.push(entities[j].suggestion);
			entities[j].conflicts.push(entities[i].suggestion);
		}
	}
	return shown;
}

/** Where sources that propose the same span part ways: a link, or the quote kind / stance polarity. */
export interface SourceDifference {
	what: LinkKind | 'kind' | 'polarity';
	/**
	 * Each value some source chose, with the sources that chose it, in source order: for a link,
	 * the key (`spanKey`) of the span it points to, null when the source made none; for an
	 * attribute, its value.
	 */
	versions: { value: string | null; sources: Suggestion[]; target: Suggestion | null; name: string | null }[];
}

/**
 * What a link of a set points to, as compareSources' `value`: the span's key, or `name:` and the
 * name (`article`, a listed stance target).
 */
export function linkTargetValue(link: { to: string | null; toName?: string | null }): string | null {
	if (link.to !== null) return link.to;
	return link.toName ? `name:${link.toName}` : null;
}

const COMPARED_LINKS: LinkKind[] = ['speaker', 'cue', 'holder', 'target'];

/**
 * What the sources of one shown suggestion (`sourcesOf`: two annotators who marked the same quote
 * on the gold set) chose differently: a speaker, a cue, a holder, a target (the same span, whoever
 * drew it, counts as the same choice), the kind or the polarity. Accepting takes one version only,
 * so the reviewer has to see the others before pressing Entrée.
 */
export function compareSources(sources: readonly Suggestion[], suggestionByKey: ReadonlyMap<string, Suggestion>): SourceDifference[] {
	if (sources.length < 2) return [];
	const differences: SourceDifference[] = [];
	const compare = (what: SourceDifference['what'], valueOf: (source: Suggestion) => Omit<SourceDifference['versions'][number], 'sources'>) => {
		const versions: SourceDifference['versions'] = [];
		for (const source of sources) {
			const choice = valueOf(source);
			const version = versions.find((v) => v.value === choice.value);
			if (version) version.sources.push(source);
			else versions.push({ ...choice, sources: [source] });
		}
		if (versions.length > 1) differences.push({ what, versions });
	};
	for (const kind of COMPARED_LINKS) {
		if (!sources.some((source) => source.links?.some((link) => link.kind === kind))) continue;
		compare(kind, (source) => {
			const link = source.links?.find((l) => l.kind === kind);
			if (link && 'toName' in link) return { value: linkTargetValue({ to: null, toName: link.toName }), target: null, name: link.toName };
			const target = (link && suggestionByKey.get(link.to)) ?? null;
			return { value: target && linkTargetValue({ to: spanKey(target) }), target, name: null };
		});
	}
	for (const name of ['kind', 'polarity'] as const) {
		if (!sources.some((source) => source.attributes[name] !== undefined)) continue;
		compare(name, (source) => ({ value: source.attributes[name] === undefined ? null : String(source.attributes[name]), target: null, name: null }));
	}
	return differences;
}
