// Figures as French readers write them: a narrow no-break space between thousands (8 482) and a
// decimal comma (7,4). One place, so that no page prints 8482 or 7.4.

const countFormat = new Intl.NumberFormat('fr-FR');
const rateFormat = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** `8 482`. */
export function formatCount(count: number): string {
	return countFormat.format(count);
}

/** One decimal: `7,4` (doc/s, Mo). */
export function formatDecimal(rate: number): string {
	return rateFormat.format(rate);
}
