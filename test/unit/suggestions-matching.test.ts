import { describe, expect, it } from 'vitest';
import { SurfaceMatcher } from '../../src/lib/domain/suggestions/surface-matcher';
import { decideMemorySuggestion, diffEntityOccurrences, withoutDocument } from '../../src/lib/domain/suggestions/memory';
import { acceptPlaceMatch, describePlace } from '../../src/lib/domain/suggestions/gazetteer';
import { sliceCodePoints } from '../../src/lib/domain/offsets';

describe('surface matcher', () => {
	const matcher = new SurfaceMatcher<string>();
	matcher.add('Otan', 'ORG');
	matcher.add('Sergueï Lavrov', 'PER');
	matcher.add('Lavrov', 'PER');
	matcher.add('Jean-Marie Le Pen', 'PER');
	matcher.add('États-Unis', 'LOC');

	const surfaces = (text: string) => matcher.match(text).map((m) => sliceCodePoints(text, m.start, m.end));

	it('matches after elision with both apostrophes', () => {
		expect(surfaces("l’Otan et l'Otan")).toEqual(['Otan', 'Otan']);
	});

	it('matches whole words only', () => {
		expect(surfaces('Otanien, LavrovXX, préOtan')).toEqual([]);
	});

	it('is case- and accent-exact', () => {
		expect(surfaces('OTAN, otan, Etats-Unis, États-Unis')).toEqual(['États-Unis']);
	});

	it('prefers the longest form and never overlaps', () => {
		const text = 'Sergueï Lavrov a vu Jean-Marie Le Pen puis Lavrov.';
		expect(surfaces(text)).toEqual(['Sergueï Lavrov', 'Jean-Marie Le Pen', 'Lavrov']);
	});

	it('gives code-point offsets after emoji', () => {
		const text = '😀👍🏽 Otan';
		const [match] = matcher.match(text);
		expect([match.start, match.end]).toEqual([4, 8]);
	});

	it('passes over a form it is told to refuse, so a shorter one there can still match', () => {
		const text = 'Sergueï Lavrov parle.';
		expect(matcher.match(text, undefined, (label) => label !== 'PER').map((m) => m.surface)).toEqual([]);
		const byForm = new SurfaceMatcher<string>();
		byForm.add('Sergueï Lavrov', 'long');
		byForm.add('Sergueï', 'short');
		expect(byForm.match(text, undefined, (value) => value !== 'long').map((m) => [m.surface, m.value])).toEqual([['Sergueï', 'short']]);
	});

	it('forgets a deleted form', () => {
		const local = new SurfaceMatcher<number>();
		local.add('Munich', 1);
		local.delete('Munich');
		expect(local.match('à Munich')).toEqual([]);
		expect(local.size).toBe(0);
	});
});

describe('memory decisions', () => {
	it('suggests the majority label with its share of all sightings, shrunk while evidence is thin', () => {
		expect(decideMemorySuggestion({ labels: { ORG: 3, LOC: 1 }, unlabelled: 0, forcedLabel: null, blocked: false })).toEqual({ label: 'ORG', confidence: 0.6 });
		expect(decideMemorySuggestion({ labels: { ORG: 1 }, unlabelled: 0, forcedLabel: null, blocked: false })).toEqual({ label: 'ORG', confidence: 0.5 });
		expect(decideMemorySuggestion({ labels: { ORG: 9 }, unlabelled: 0, forcedLabel: null, blocked: false })).toEqual({ label: 'ORG', confidence: 0.9 });
	});

	it('stays silent when annotators mostly leave the form unlabelled', () => {
		expect(decideMemorySuggestion({ labels: { PER: 1 }, unlabelled: 2, forcedLabel: null, blocked: false })).toBeNull();
	});

	it('obeys an admin: forced label wins, blocked form never suggested', () => {
		expect(decideMemorySuggestion({ labels: { PER: 5 }, unlabelled: 0, forcedLabel: 'ORG', blocked: false })).toEqual({ label: 'ORG', confidence: 1 });
		expect(decideMemorySuggestion({ labels: { PER: 5 }, unlabelled: 0, forcedLabel: 'ORG', blocked: true })).toBeNull();
	});

	it('decides for a document without the sightings that document contributed', () => {
		const counts = { labels: { ORG: 2, LOC: 1 }, unlabelled: 1, forcedLabel: null, blocked: false };
		// Overall 2 / (4 sightings + 1) = 0.4: not suggested. On the document that gave the LOC and
		// the unlabelled sighting, only the other documents' two ORG count.
		expect(decideMemorySuggestion(counts)).toBeNull();
		expect(withoutDocument(counts, { labels: { LOC: 1 }, unlabelled: 1 })).toEqual({ labels: { ORG: 2 }, unlabelled: 0, forcedLabel: null, blocked: false });
		expect(decideMemorySuggestion(withoutDocument(counts, { labels: { LOC: 1 }, unlabelled: 1 }))).toEqual({ label: 'ORG', confidence: 2 / 3 });
		expect(decideMemorySuggestion(withoutDocument({ ...counts, labels: { ORG: 1 }, unlabelled: 0 }, { labels: { ORG: 1 }, unlabelled: 0 }))).toBeNull();
		// Never below zero (counts from before per-document records), and an admin's decision stays.
		expect(withoutDocument({ ...counts, forcedLabel: 'PER' }, { labels: { ORG: 5 }, unlabelled: 3 })).toEqual({ labels: { LOC: 1 }, unlabelled: 0, forcedLabel: 'PER', blocked: false });
	});

	it('diffs a save as occurrences added and removed', () => {
		const before = [{ surface: 'Otan', label: 'ORG' }, { surface: 'Otan', label: 'ORG' }, { surface: 'Munich', label: 'PER' }];
		const after = [{ surface: 'Otan', label: 'ORG' }, { surface: 'Munich', label: 'LOC' }];
		expect([...diffEntityOccurrences(before, after).values()]).toEqual([
			{ surface: 'Otan', label: 'ORG', delta: -1 },
			{ surface: 'Munich', label: 'PER', delta: -1 },
			{ surface: 'Munich', label: 'LOC', delta: 1 }
		]);
	});
});

describe('gazetteer guard', () => {
	const words = new Set(['tours', 'orange', 'paris', 'nord', 'réunion', 'chine']);

	it('marks homographs of common words, and prominent places', () => {
		expect(describePlace('Tours', 'commune', 136_000, words)).toEqual({ kind: 'commune', homograph: true, prominent: false });
		expect(describePlace('Paris', 'commune', 2_100_000, words)).toMatchObject({ homograph: true, prominent: true });
		expect(describePlace('Munich', 'city', 1_260_000, words)).toMatchObject({ homograph: false });
		expect(describePlace('Chine', 'country', 0, words)).toMatchObject({ homograph: true, prominent: true });
	});

	it('suggests a small homograph only right after a locative preposition, with a lower score', () => {
		const tours = describePlace('Tours', 'commune', 136_000, words);
		expect(acceptPlaceMatch(tours, 'à')).toBe(0.4);
		expect(acceptPlaceMatch(tours, 'les')).toBeNull();
		expect(acceptPlaceMatch(tours, undefined)).toBeNull();
	});

	it('suggests a prominent homograph inside a sentence but not at its start', () => {
		const chine = describePlace('Chine', 'country', 0, words);
		expect(acceptPlaceMatch(chine, 'la')).toBe(0.4);
		expect(acceptPlaceMatch(chine, 'en')).toBe(0.7);
		expect(acceptPlaceMatch(chine, '.')).toBeNull();
		expect(acceptPlaceMatch(describePlace('Munich', 'city', 1_260_000, words), undefined)).toBe(0.7);
	});
});

describe('merged suggestions', () => {
	it('merges agreeing sources into one suggestion and marks conflicts', async () => {
		const { mergeSuggestions, resolveConflicts } = await import('../../src/lib/domain/suggestions/merge');
		const merged = mergeSuggestions([
			{ start: 0, end: 4, label: 'ORG', score: 0.6, source: 'model:m@1' },
			{ start: 0, end: 4, label: 'ORG', score: 0.9, source: 'memory:default' },
			{ start: 0, end: 4, label: 'LOC', score: 0.95, source: 'rules:gazetteer@1' },
			{ start: 10, end: 16, label: 'PER', score: 0.8, source: 'model:m@1' },
			{ start: 10, end: 23, label: 'PER', score: 0.7, source: 'memory:default' }
		]);
		expect(merged.map((m) => [m.start, m.end, m.label, m.sources.length, m.score, m.conflicts])).toEqual([
			[0, 4, 'LOC', 1, 0.95, [1]],
			[0, 4, 'ORG', 2, 0.9, [0]],
			[10, 16, 'PER', 1, 0.8, [3]],
			[10, 23, 'PER', 1, 0.7, [2]]
		]);
		// Two sources agreeing beat one more confident source; then the higher score wins.
		expect(resolveConflicts(merged).map((m) => [m.start, m.end, m.label])).toEqual([
			[0, 4, 'ORG'],
			[10, 16, 'PER']
		]);
	});
});
