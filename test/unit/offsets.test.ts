import { describe, expect, it } from 'vitest';
import { codePointLength, OffsetIndex, sliceCodePoints } from '../../src/lib/domain/offsets';

describe('code-point offsets', () => {
	it('counts emoji as one code point and combining marks as their own', () => {
		expect(codePointLength('a😀b')).toBe(3);
		expect(codePointLength('e\u0301')).toBe(2);
		expect(codePointLength('\u00a0\u202f')).toBe(2);
	});

	it('converts both ways around astral characters', () => {
		const text = '😀 Lavrov 👍🏽 à Munich';
		const index = new OffsetIndex(text);
		// Python: text[2:8] == 'Lavrov'
		expect(index.slice(2, 8)).toBe('Lavrov');
		expect(index.toUtf16(2)).toBe(3);
		expect(index.toCodePoint(3)).toBe(2);
		expect(index.slice(14, 20)).toBe('Munich');
		expect(index.length).toBe(20);
	});

	it('rounds offsets inside a surrogate pair outwards so a span never splits a character', () => {
		const index = new OffsetIndex('a😀b');
		expect(index.toCodePoint(2, 'floor')).toBe(1);
		expect(index.toCodePoint(2, 'ceil')).toBe(2);
	});

	it('refuses offsets outside the text', () => {
		const index = new OffsetIndex('abc');
		expect(() => index.toUtf16(4)).toThrow(/outside 0–3/);
		expect(() => index.toCodePoint(-1)).toThrow(RangeError);
	});

	it('slices BMP-only text without a table', () => {
		expect(sliceCodePoints('l’Otan\u202f»', 2, 6)).toBe('Otan');
	});
});
