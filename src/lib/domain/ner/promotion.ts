// Whether a retrained model replaces the current default: it must be better on average over the
// evaluation sets (the open dev sets and the project's held-out documents) by at least `minGain`
// micro-F1, and lose no more than `maxLoss` on any single set.

export interface PromotionPolicy {
	/** Required gain of the mean exact micro-F1, in F1 units (0.005 = half a point). */
	minGain: number;
	/** Largest drop tolerated on one evaluation set. */
	maxLoss: number;
}

export const DEFAULT_PROMOTION_POLICY: PromotionPolicy = { minGain: 0.005, maxLoss: 0.02 };

export interface PromotionDecision {
	promote: boolean;
	reason: string;
	currentMean: number;
	candidateMean: number;
	perSet: { name: string; current: number; candidate: number; delta: number }[];
}

export function decidePromotion(
	current: Readonly<Record<string, number>>,
	candidate: Readonly<Record<string, number>>,
	policy: PromotionPolicy = DEFAULT_PROMOTION_POLICY
): PromotionDecision {
	const names = Object.keys(current).filter((name) => name in candidate);
	if (names.length === 0) throw new Error('no evaluation set scored both models');
	const perSet = names.map((name) => ({ name, current: current[name], candidate: candidate[name], delta: candidate[name] - current[name] }));
	const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
	const currentMean = mean(perSet.map((s) => s.current));
	const candidateMean = mean(perSet.map((s) => s.candidate));
	const worst = perSet.reduce((a, b) => (b.delta < a.delta ? b : a));
	const gain = candidateMean - currentMean;
	let promote = true;
	let reason = `mean exact F1 ${pct(currentMean)} → ${pct(candidateMean)} (${signed(gain)})`;
	if (gain < policy.minGain) {
		promote = false;
		reason += `: below the required gain of ${signed(policy.minGain)}`;
	} else if (-worst.delta > policy.maxLoss) {
		promote = false;
		reason += `, but ${worst.name} drops ${signed(worst.delta)} (more than ${signed(-policy.maxLoss)})`;
	}
	return { promote, reason, currentMean, candidateMean, perSet };
}

const pct = (f1: number) => `${(100 * f1).toFixed(1)}`;
const signed = (f1: number) => `${f1 >= 0 ? '+' : ''}${(100 * f1).toFixed(1)} pt`;
