import { describe, expect, it } from 'vitest';
import { compareSources, groupSuggestions, toSuggestion, type Suggestion } from '../../src/lib/domain/editing/suggestions';

const suggestion = (start: number, end: number, label: string, provenance: string, score: number | null): Suggestion =>
	toSuggestion({ layer: 'entity', start, end, label, provenance, origin: 'model', score, attributes: {} });

describe('grouped suggestions', () => {
	it('shows one suggestion where sources agree, the most confident, and lists the others', () => {
		const model = suggestion(0, 6, 'PER', 'model:m@1', 0.8);
		const rules = suggestion(0, 6, 'PER', 'rules:quotes@5', null);
		const memory = suggestion(0, 6, 'PER', 'memory:default', 0.9);
		const [group] = groupSuggestions([model, rules, memory]);
		expect(group.suggestion).toBe(memory);
		expect(group.agreeing).toEqual([rules, model]);
		expect(group.conflicts).toEqual([]);
	});

	it('marks overlapping entity suggestions that disagree as conflicts of each other', () => {
		const place = suggestion(10, 16, 'LOC', 'rules:gazetteer@1', 0.7);
		const person = suggestion(10, 16, 'PER', 'model:m@1', 0.6);
		const longer = suggestion(10, 24, 'LOC', 'memory:default', 1);
		const apart = suggestion(30, 35, 'ORG', 'model:m@1', 0.9);
		const groups = groupSuggestions([place, person, longer, apart]);
		expect(groups.map((g) => [g.suggestion.label, g.conflicts.map((c) => c.provenance)])).toEqual([
			['LOC', ['model:m@1', 'memory:default']],
			['PER', ['rules:gazetteer@1', 'memory:default']],
			['LOC', ['rules:gazetteer@1', 'model:m@1']],
			['ORG', []]
		]);
	});
});

describe('what annotators who marked the same quote chose differently', () => {
	// Two annotators' spans offered on the gold set: the same quote, each linked to a speaker of their own.
	const span = (provenance: string, layer: Suggestion['layer'], start: number, end: number, label: string, attributes = {}, links?: Suggestion['links']): Suggestion => ({
		...toSuggestion({ layer, start, end, label, provenance, origin: 'human', score: null, attributes }),
		...(links ? { links } : {})
	});
	const quoteOf = (annotator: string, kind: string, links: Suggestion['links']) => span(`human:${annotator}`, 'quote', 40, 90, 'QUOTE', { kind }, links);
	const lavrov = span('human:alice', 'entity', 0, 6, 'PER');
	const stoltenberg = span('human:bruno', 'entity', 100, 111, 'PER');
	const lavrovToo = span('human:chloe', 'entity', 0, 6, 'PER');
	const cueA = span('human:alice', 'cue', 92, 99, 'CUE');
	const cueB = span('human:bruno', 'cue', 92, 99, 'CUE');
	const byKey = new Map([lavrov, stoltenberg, lavrovToo, cueA, cueB].map((s) => [s.key, s]));

	it('lists the speakers they chose, the same span drawn by two of them counting as one choice', () => {
		const alice = quoteOf('alice', 'direct', [{ kind: 'speaker', to: lavrov.key }, { kind: 'cue', to: cueA.key }]);
		const bruno = quoteOf('bruno', 'direct', [{ kind: 'speaker', to: stoltenberg.key }, { kind: 'cue', to: cueB.key }]);
		const chloe = quoteOf('chloe', 'direct', [{ kind: 'speaker', to: lavrovToo.key }]);
		const differences = compareSources([alice, bruno, chloe], byKey);
		expect(differences.map((d) => [d.what, d.versions.map((v) => [v.target && v.target.start, v.sources.map((s) => s.provenance)])])).toEqual([
			['speaker', [[0, ['human:alice', 'human:chloe']], [100, ['human:bruno']]]],
			['cue', [[92, ['human:alice', 'human:bruno']], [null, ['human:chloe']]]]
		]);
	});

	it('compares a holder or target that is a name (the article, a listed target) with one that is a span', () => {
		const stanceOf = (annotator: string, links: Suggestion['links']) => span(`human:${annotator}`, 'stance', 40, 90, 'STANCE', { polarity: 'favor' }, links);
		const alice = stanceOf('alice', [{ kind: 'holder', toName: 'article' }, { kind: 'target', toName: 'Otan' }]);
		const bruno = stanceOf('bruno', [{ kind: 'holder', to: stoltenberg.key }, { kind: 'target', toName: 'Otan' }]);
		expect(compareSources([alice, bruno], byKey).map((d) => [d.what, d.versions.map((v) => [v.value, v.name])])).toEqual([
			['holder', [['name:article', 'article'], ['entity:100-111', null]]]
		]);
	});

	it('lists a kind they chose differently, and nothing when they agree', () => {
		const alice = quoteOf('alice', 'direct', [{ kind: 'speaker', to: lavrov.key }]);
		const chloe = quoteOf('chloe', 'indirect', [{ kind: 'speaker', to: lavrovToo.key }]);
		expect(compareSources([alice, chloe], byKey)).toMatchObject([{ what: 'kind', versions: [{ value: 'direct' }, { value: 'indirect' }] }]);
		expect(compareSources([alice, quoteOf('chloe', 'direct', [{ kind: 'speaker', to: lavrovToo.key }])], byKey)).toEqual([]);
		expect(compareSources([alice], byKey)).toEqual([]);
	});
});
