// The one module that converts between the stored offset unit (Unicode code points of the
// cleaned NFC text, what Python and HF datasets slice with) and JavaScript's UTF-16 units.
// Everything that touches offsets calls these; nothing else indexes strings by offset.

/** Number of code points in `text`. */
export function codePointLength(text: string): number {
	let length = 0;
	for (let i = 0; i < text.length; i++) {
		const unit = text.charCodeAt(i);
		if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) i++;
		}
		length++;
	}
	return length;
}

/**
 * Precomputed mapping for one text, for code that converts many offsets (alignment, export,
 * the reading view). Memory: one Uint32Array entry per code point, only when the text has
 * characters outside the Basic Multilingual Plane; otherwise both units coincide.
 */
export class OffsetIndex {
	readonly text: string;
	readonly length: number;
	/** utf16Start[cp] = UTF-16 index of code point cp; null when every code point is one unit. */
	private readonly utf16Start: Uint32Array | null;

	constructor(text: string) {
		this.text = text;
		const length = codePointLength(text);
		this.length = length;
		if (length === text.length) {
			this.utf16Start = null;
			return;
		}
		const starts = new Uint32Array(length + 1);
		let cp = 0;
		for (let i = 0; i < text.length; i++) {
			starts[cp++] = i;
			const unit = text.charCodeAt(i);
			if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
				const next = text.charCodeAt(i + 1);
				if (next >= 0xdc00 && next <= 0xdfff) i++;
			}
		}
		starts[length] = text.length;
		this.utf16Start = starts;
	}

	/** UTF-16 index of code-point offset `cp` (0 ≤ cp ≤ length). */
	toUtf16(cp: number): number {
		if (cp < 0 || cp > this.length || !Number.isInteger(cp)) {
			throw new RangeError(`code-point offset ${cp} is outside 0–${this.length}`);
		}
		return this.utf16Start ? this.utf16Start[cp] : cp;
	}

	/**
	 * Code-point offset of UTF-16 index `unit`. An index inside a surrogate pair is rounded
	 * down (`'floor'`, for starts) or up (`'ceil'`, for ends) so a span never splits a character.
	 */
	toCodePoint(unit: number, rounding: 'floor' | 'ceil' = 'floor'): number {
		if (unit < 0 || unit > this.text.length || !Number.isInteger(unit)) {
			throw new RangeError(`UTF-16 offset ${unit} is outside 0–${this.text.length}`);
		}
		const starts = this.utf16Start;
		if (!starts) return unit;
		let low = 0;
		let high = this.length;
		while (low < high) {
			const mid = (low + high + 1) >>> 1;
			if (starts[mid] <= unit) low = mid;
			else high = mid - 1;
		}
		if (starts[low] !== unit && rounding === 'ceil') return low + 1;
		return low;
	}

	/** The text between two code-point offsets. */
	slice(start: number, end: number): string {
		return this.text.slice(this.toUtf16(start), this.toUtf16(end));
	}
}

/** One-off slice by code points; prefer an OffsetIndex when slicing the same text often. */
export function sliceCodePoints(text: string, start: number, end: number): string {
	return new OffsetIndex(text).slice(start, end);
}
