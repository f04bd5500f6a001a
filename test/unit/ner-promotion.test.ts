import { describe, expect, it } from 'vitest';
import { decidePromotion } from '../../src/lib/domain/ner/promotion';

describe('promoting a retrained model', () => {
	const policy = { minGain: 0.005, maxLoss: 0.02 };

	it('promotes a candidate better on average with no big loss anywhere', () => {
		const decision = decidePromotion({ wikineural: 0.78, heldout: 0.6 }, { wikineural: 0.775, heldout: 0.64 }, policy);
		expect(decision.promote).toBe(true);
		expect(decision.candidateMean - decision.currentMean).toBeCloseTo(0.0175);
	});

	it('keeps the current model when the gain is too small', () => {
		expect(decidePromotion({ a: 0.7 }, { a: 0.703 }, policy)).toMatchObject({ promote: false, reason: expect.stringMatching(/below the required gain/) });
	});

	it('keeps it when one set drops too much, even if the mean rises', () => {
		const decision = decidePromotion({ wikineural: 0.78, heldout: 0.5 }, { wikineural: 0.74, heldout: 0.6 }, policy);
		expect(decision).toMatchObject({ promote: false, reason: expect.stringMatching(/wikineural drops -4.0 pt/) });
	});

	it('refuses to decide without a common evaluation set', () => {
		expect(() => decidePromotion({ a: 0.5 }, { b: 0.6 }, policy)).toThrow(/no evaluation set/);
	});
});
