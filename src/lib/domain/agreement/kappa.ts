// Chance-corrected agreement on categories. Each item is the list of categories its raters gave.
export interface KappaResult {
	kappa: number | null;
	/** Observed agreement. */
	observed: number | null;
	expected: number | null;
	items: number;
}

/**
 * Cohen's kappa for two raters; items are [rater 1's category, rater 2's category].
 * Null when there are no items, or when chance agreement is 1 (both used one same category:
 * kappa is undefined, observed agreement still says 1).
 */
export function cohenKappa(items: readonly (readonly [string, string])[]): KappaResult {
	const n = items.length;
	if (n === 0) return { kappa: null, observed: null, expected: null, items: 0 };
	const first = new Map<string, number>();
	const second = new Map<string, number>();
	let agreed = 0;
	for (const [x, y] of items) {
		if (x === y) agreed++;
		first.set(x, (first.get(x) ?? 0) + 1);
		second.set(y, (second.get(y) ?? 0) + 1);
	}
	const observed = agreed / n;
	let expected = 0;
	for (const [category, count] of first) expected += (count / n) * ((second.get(category) ?? 0) / n);
	return { kappa: expected >= 1 ? null : (observed - expected) / (1 - expected), observed, expected, items: n };
}

/**
 * Fleiss' kappa for any number of raters per item (at least 2; the number may vary between
 * items: each item's agreement is the share of agreeing rater pairs among its own raters).
 */
export function fleissKappa(items: readonly (readonly string[])[]): KappaResult {
	const rated = items.filter((item) => item.length >= 2);
	if (rated.length === 0) return { kappa: null, observed: null, expected: null, items: 0 };
	const totals = new Map<string, number>();
	let ratings = 0;
	let agreementSum = 0;
	for (const item of rated) {
		const counts = new Map<string, number>();
		for (const category of item) counts.set(category, (counts.get(category) ?? 0) + 1);
		let pairs = 0;
		for (const [category, count] of counts) {
			pairs += count * (count - 1);
			totals.set(category, (totals.get(category) ?? 0) + count);
		}
		agreementSum += pairs / (item.length * (item.length - 1));
		ratings += item.length;
	}
	const observed = agreementSum / rated.length;
	let expected = 0;
	for (const count of totals.values()) expected += (count / ratings) ** 2;
	return { kappa: expected >= 1 ? null : (observed - expected) / (1 - expected), observed, expected, items: rated.length };
}
