// Agreement figures on hand-computed cases.
import { describe, expect, it } from 'vitest';
import {
	cohenKappa,
	computeDocumentAgreement,
	computeProjectAgreement,
	fleissKappa,
	matchSpans,
	type AgreementSpan
} from '../../src/lib/domain/agreement';

const entity = (start: number, end: number, label: string): AgreementSpan => ({ layer: 'entity', start, end, label });
const quote = (start: number, end: number, speaker: [number, number] | null = null): AgreementSpan => ({
	layer: 'quote',
	start,
	end,
	label: 'QUOTE',
	speaker: speaker ? { start: speaker[0], end: speaker[1] } : null
});
const stance = (start: number, end: number, polarity: string): AgreementSpan => ({ layer: 'stance', start, end, label: 'STANCE', polarity });

describe('matchSpans', () => {
	it('matches exact first, then by largest overlap, one to one', () => {
		const a = [entity(0, 5, 'PER'), entity(10, 20, 'ORG')];
		const b = [entity(0, 5, 'PER'), entity(8, 12, 'ORG'), entity(12, 22, 'ORG')];
		expect(matchSpans(a, b, 'exact', true)).toEqual([[0, 0]]);
		// 10–20 overlaps 8–12 by 2 and 12–22 by 8: it takes the larger.
		expect(matchSpans(a, b, 'overlap', true)).toEqual([
			[0, 0],
			[1, 2]
		]);
	});

	it('does not match across labels when labels must agree', () => {
		expect(matchSpans([entity(0, 5, 'PER')], [entity(0, 5, 'LOC')], 'overlap', true)).toEqual([]);
		expect(matchSpans([entity(0, 5, 'PER')], [entity(0, 5, 'LOC')], 'overlap', false)).toEqual([[0, 0]]);
	});
});

describe('kappa', () => {
	it('computes Cohen’s kappa by hand', () => {
		// po = 3/4; rater 1: favor .5, against .25, neutral .25; rater 2: favor .25, against .5, neutral .25
		// pe = .125 + .125 + .0625 = .3125; kappa = (.75 - .3125) / .6875 = 0.636363…
		const result = cohenKappa([
			['favor', 'favor'],
			['favor', 'against'],
			['against', 'against'],
			['neutral', 'neutral']
		]);
		expect(result.observed).toBe(0.75);
		expect(result.expected).toBeCloseTo(0.3125, 10);
		expect(result.kappa).toBeCloseTo(0.4375 / 0.6875, 10);
	});

	it('gives 0 for chance-level and null when undefined', () => {
		expect(cohenKappa([['a', 'a'], ['a', 'b'], ['b', 'a'], ['b', 'b']]).kappa).toBeCloseTo(0, 10);
		expect(cohenKappa([['a', 'a'], ['a', 'a']]).kappa).toBeNull();
		expect(cohenKappa([]).kappa).toBeNull();
	});

	it('computes Fleiss’ kappa by hand', () => {
		// 3 raters, 2 items: [a,a,a] (P=1), [a,a,b] (P=(2·1)/(3·2)=1/3); mean P = 2/3.
		// p(a) = 5/6, p(b) = 1/6; Pe = 25/36 + 1/36 = 26/36; kappa = (2/3 - 26/36) / (10/36) = -0.2
		const result = fleissKappa([
			['a', 'a', 'a'],
			['a', 'a', 'b']
		]);
		expect(result.observed).toBeCloseTo(2 / 3, 10);
		expect(result.kappa).toBeCloseTo(-0.2, 10);
	});

	it('Fleiss on perfect agreement over two categories is 1', () => {
		expect(fleissKappa([['a', 'a', 'a'], ['b', 'b', 'b']]).kappa).toBeCloseTo(1, 10);
	});
});

describe('document agreement', () => {
	it('computes entity F1 exact and overlap, per label', () => {
		const figures = computeDocumentAgreement({
			documentId: 1,
			sets: [
				{ annotator: 'bob', spans: [entity(0, 6, 'PER'), entity(10, 16, 'LOC'), entity(20, 25, 'ORG')] },
				{ annotator: 'alice', spans: [entity(0, 6, 'PER'), entity(10, 14, 'LOC'), entity(30, 35, 'ORG')] }
			]
		})!;
		expect(figures.annotators).toEqual(['alice', 'bob']);
		// exact: 1 match (PER) of 3 + 3 spans: F1 = 2/6; overlap: PER and LOC: 4/6.
		expect(figures.entities.exact).toBeCloseTo(1 / 3, 10);
		expect(figures.entities.overlap).toBeCloseTo(2 / 3, 10);
		expect(figures.entities.byLabel.PER).toEqual({ exact: 1, overlap: 1 });
		expect(figures.entities.byLabel.LOC).toEqual({ exact: 0, overlap: 1 });
		expect(figures.entities.byLabel.ORG).toEqual({ exact: 0, overlap: 0 });
	});

	it('computes quote F1 and speaker agreement on matched quotes', () => {
		const figures = computeDocumentAgreement({
			documentId: 1,
			sets: [
				{ annotator: 'a', spans: [quote(0, 50, [60, 66]), quote(100, 150, [160, 170]), quote(200, 220)] },
				{ annotator: 'b', spans: [quote(0, 50, [60, 66]), quote(102, 150, [180, 190])] }
			]
		})!;
		// exact: 1 of 3+2 -> 2/5; overlap: 2 -> 4/5; speakers: first agrees, second differs -> 1/2.
		expect(figures.quotes.exact).toBeCloseTo(0.4, 10);
		expect(figures.quotes.overlap).toBeCloseTo(0.8, 10);
		expect(figures.quotes.speaker).toBe(0.5);
		expect(figures.quotes.matchedQuotes).toBe(2);
	});

	it('averages pairwise F1 over three annotators and uses Fleiss for stance', () => {
		const figures = computeDocumentAgreement({
			documentId: 1,
			sets: [
				{ annotator: 'a', spans: [entity(0, 5, 'PER'), stance(10, 20, 'favor'), stance(30, 40, 'against')] },
				{ annotator: 'b', spans: [entity(0, 5, 'PER'), stance(10, 20, 'favor'), stance(30, 40, 'against')] },
				{ annotator: 'c', spans: [stance(10, 20, 'favor'), stance(30, 40, 'favor')] }
			]
		})!;
		// pairs: a-b F1 1, a-c 0, b-c 0 -> 1/3
		expect(figures.pairs).toBe(3);
		expect(figures.entities.exact).toBeCloseTo(1 / 3, 10);
		// items [favor,favor,favor] P=1, [against,against,favor] P=1/3 -> Pbar 2/3;
		// p(favor) 4/6, p(against) 2/6 -> Pe = 16/36 + 4/36 = 20/36; kappa = (24/36-20/36)/(16/36) = 0.25
		expect(figures.stance.method).toBe('fleiss');
		expect(figures.stance.items).toBe(2);
		expect(figures.stance.kappa).toBeCloseTo(0.25, 10);
	});

	it('scores stance spans one annotator marked and the other did not as F1 0, not as missing', () => {
		const figures = computeDocumentAgreement({
			documentId: 1,
			sets: [
				{ annotator: 'a', spans: [stance(10, 20, 'favor'), stance(30, 40, 'against')] },
				{ annotator: 'b', spans: [] }
			]
		})!;
		expect(figures.stance).toMatchObject({ exact: 0, overlap: 0, kappa: null, items: 0 });
		const partly = computeDocumentAgreement({
			documentId: 1,
			sets: [
				{ annotator: 'a', spans: [stance(10, 20, 'favor'), stance(30, 40, 'against')] },
				{ annotator: 'b', spans: [stance(12, 20, 'against')] }
			]
		})!;
		// 1 overlap match out of 3 spans: F1 = 2·1/3; none exact.
		expect(partly.stance.overlap).toBeCloseTo(2 / 3, 10);
		expect(partly.stance.exact).toBe(0);
	});

	it('is null with one annotator, and null figures without evidence', () => {
		expect(computeDocumentAgreement({ documentId: 1, sets: [{ annotator: 'a', spans: [entity(0, 1, 'PER')] }] })).toBeNull();
		const empty = computeDocumentAgreement({ documentId: 1, sets: [{ annotator: 'a', spans: [] }, { annotator: 'b', spans: [] }] })!;
		expect(empty.entities.exact).toBeNull();
		expect(empty.stance.kappa).toBeNull();
		expect(empty.stance.overlap).toBeNull();
	});
});

describe('project agreement', () => {
	it('pools each pair over documents and uses Cohen with two annotators', () => {
		const result = computeProjectAgreement([
			{
				documentId: 1,
				sets: [
					{ annotator: 'a', spans: [entity(0, 5, 'PER'), stance(10, 20, 'favor'), stance(30, 40, 'favor')] },
					{ annotator: 'b', spans: [entity(0, 5, 'PER'), stance(10, 20, 'favor'), stance(30, 40, 'against')] }
				]
			},
			{
				documentId: 2,
				sets: [
					{ annotator: 'a', spans: [entity(0, 5, 'PER'), entity(7, 9, 'LOC'), entity(11, 15, 'ORG'), stance(1, 4, 'against'), stance(6, 9, 'neutral')] },
					{ annotator: 'b', spans: [stance(1, 4, 'against'), stance(6, 9, 'neutral')] }
				]
			},
			{ documentId: 3, sets: [{ annotator: 'a', spans: [] }] }
		]);
		// entities pooled: matched 1, total 2 + 3 = 5 -> F1 = 2/5 (not the mean of 1 and 0).
		expect(result.project.entities.exact).toBeCloseTo(0.4, 10);
		expect(result.documents.map((d) => d.entities.exact)).toEqual([1, 0]);
		expect(result.documentsWithoutPairs).toBe(1);
		// stance items: (favor,favor) (favor,against) (against,against) (neutral,neutral) -> the Cohen case above.
		expect(result.project.stance.method).toBe('cohen');
		expect(result.project.stance.kappa).toBeCloseTo(0.4375 / 0.6875, 10);
	});
});
