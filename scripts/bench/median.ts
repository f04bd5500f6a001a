// The one median the benchmarks quote: the middle value, or the mean of the two middle values
// for an even count (the machine is shared and noisy, so figures are medians of several runs).
export function median(values: readonly number[]): number {
	if (values.length === 0) throw new Error('median of no values');
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
