// Sentence-aware windows over a long text, within the model's maximum length. A window holds
// whole sentences when it can; a sentence longer than a window is cut between words. Consecutive
// windows overlap so that no word is judged at an edge when another window sees it in context.
// Pure: it works on piece counts per word and sentence starts, so it is tested without a model.

export interface WindowPlan {
	/** Word indexes, end exclusive. */
	start: number;
	end: number;
}

/**
 * Plans windows over `pieceCounts.length` words. `budget` is the number of pieces a window may
 * hold (the model's maximum length minus its special tokens); a word with more pieces than that
 * counts as `budget` (its first pieces are kept: the label is read from the first one).
 * `overlap` is how many pieces of context the next window repeats, rounded to whole sentences
 * when a sentence starts there. Windows cover every word; each window starts after the last.
 */
export function planWindows(pieceCounts: readonly number[], sentenceStarts: readonly boolean[], budget: number, overlap: number): WindowPlan[] {
	if (!Number.isInteger(budget) || budget < 1) throw new RangeError(`window budget must be a positive integer (got ${budget})`);
	const n = pieceCounts.length;
	const count = (i: number) => Math.min(Math.max(pieceCounts[i], 1), budget);
	const windows: WindowPlan[] = [];
	let start = 0;
	while (start < n) {
		let end = start;
		let total = 0;
		while (end < n && total + count(end) <= budget) total += count(end++);
		if (end < n) {
			// End before the last sentence that does not fit entirely; cut inside a sentence only
			// when the window holds no sentence start after its first word.
			// Never end at or before the previous window's end: each window must add words.
			const previousEnd = windows.length ? windows[windows.length - 1].end : 0;
			let cut = end;
			while (cut > start + 1 && !sentenceStarts[cut]) cut--;
			if (sentenceStarts[cut] && cut > start && cut > previousEnd) end = cut;
		}
		windows.push({ start, end });
		if (end >= n) break;
		let next = end;
		let repeated = 0;
		while (next - 1 > start && repeated + count(next - 1) <= overlap) repeated += count(--next);
		// Prefer to restart at a sentence start inside the overlap.
		for (let i = next; i < end; i++) {
			if (sentenceStarts[i]) {
				next = i;
				break;
			}
		}
		start = Math.max(next, start + 1);
	}
	return windows;
}

/**
 * For each word, the window whose prediction is kept: the one where the word is furthest from an
 * edge (in pieces). The text's own start and end are not edges: no context is missing there.
 */
export function chooseWindowPerWord(windows: readonly WindowPlan[], pieceCounts: readonly number[], budget: number): Int32Array {
	const n = pieceCounts.length;
	const chosen = new Int32Array(n).fill(-1);
	const margin = new Float64Array(n).fill(-1);
	const prefix = new Float64Array(n + 1);
	for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + Math.min(Math.max(pieceCounts[i], 1), budget);
	windows.forEach((window, w) => {
		for (let i = window.start; i < window.end; i++) {
			const before = window.start === 0 ? Infinity : prefix[i] - prefix[window.start];
			const after = window.end === n ? Infinity : prefix[window.end] - prefix[i + 1];
			const distance = Math.min(before, after);
			if (distance > margin[i]) {
				margin[i] = distance;
				chosen[i] = w;
			}
		}
	});
	for (let i = 0; i < n; i++) if (chosen[i] < 0) throw new Error(`word ${i} is in no window`);
	return chosen;
}

/**
 * Splits a word token at the white space inside it. ICU's word rules treat the narrow no-break
 * space (U+202F, French typography around « », : ; ! ?) as ExtendNumLet, so `tokenizeWords`
 * returns ` Paris ` for `«\u202fParis\u202f»` and `Otan ` for `Otan\u202f:`; an entity must not
 * include those spaces. A no-op for tokens without white space (all of them, once the
 * tokeniser handles U+202F itself).
 */
export function splitAtSpaces<T extends { text: string; start: number; end: number }>(token: T): { text: string; start: number; end: number }[] {
	if (!/\s/u.test(token.text)) return [token];
	const parts: { text: string; start: number; end: number }[] = [];
	let offset = token.start;
	let current = '';
	let currentStart = offset;
	for (const char of token.text) {
		if (/\s/u.test(char)) {
			if (current) parts.push({ text: current, start: currentStart, end: offset });
			current = '';
		} else {
			if (!current) currentStart = offset;
			current += char;
		}
		offset++;
	}
	if (current) parts.push({ text: current, start: currentStart, end: offset });
	return parts;
}
