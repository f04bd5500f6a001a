import { describe, expect, it } from 'vitest';
import { groupSuggestions, toSuggestion, type Suggestion } from '../../src/lib/domain/editing/suggestions';

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
