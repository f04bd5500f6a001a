import { describe, expect, it } from 'vitest';
import { adjacentWord, moveEdge, nextWordFrom, snapToWords, wordAt } from '../../src/lib/domain/editing/snapping';
import { OffsetIndex } from '../../src/lib/domain/offsets';
import { tokenizeWords } from '../../src/lib/domain/tokens';

const text = '« Nous refusons », a déclaré l’ambassadeur 🇷🇺 Sergueï Lavrov.';
const index = new OffsetIndex(text);
const tokens = tokenizeWords(text, index);
const cp = (needle: string) => index.toCodePoint(text.indexOf(needle));
const slice = (range: { start: number; end: number } | null) => (range ? index.slice(range.start, range.end) : null);

describe('snapToWords', () => {
	it('widens a selection that starts and ends inside words', () => {
		expect(slice(snapToWords(tokens, { start: cp('ous'), end: cp('fusons') }))).toBe('Nous refusons');
	});

	it('drops whitespace at the edges and keeps the elided word apart', () => {
		expect(slice(snapToWords(tokens, { start: cp(' a déc'), end: cp('ambassadeur') + 3 }))).toBe('a déclaré l’ambassadeur');
		expect(slice(snapToWords(tokens, { start: cp('mbassadeur'), end: cp('mbassadeur') + 2 }))).toBe('ambassadeur');
	});

	it('counts code points after an emoji', () => {
		const range = snapToWords(tokens, { start: cp('Lavrov') + 1, end: cp('Lavrov') + 2 });
		expect(slice(range)).toBe('Lavrov');
		expect(range!.start).toBe(index.toCodePoint(text.indexOf('Lavrov')));
	});

	it('returns null for a selection without a word', () => {
		expect(snapToWords(tokens, { start: cp(' a déc'), end: cp(' a déc') + 1 })).toBeNull();
	});
});

describe('moving by words', () => {
	const lavrov = { start: cp('Lavrov'), end: cp('Lavrov') + 6 };

	it('extends and shrinks the end and the start', () => {
		const wider = moveEdge(tokens, lavrov, 'start', -1);
		expect(slice(wider)).toBe('Sergueï Lavrov');
		expect(slice(moveEdge(tokens, wider!, 'start', 1))).toBe('Lavrov');
		expect(slice(moveEdge(tokens, lavrov, 'end', 1))).toBe('Lavrov.');
		expect(moveEdge(tokens, lavrov, 'end', -1)).toBeNull();
		expect(moveEdge(tokens, lavrov, 'start', 1)).toBeNull();
	});

	it('finds the word at an offset and its neighbours', () => {
		expect(slice(wordAt(tokens, cp('refusons') + 2))).toBe('refusons');
		expect(slice(adjacentWord(tokens, lavrov, -1))).toBe('Sergueï');
		expect(slice(adjacentWord(tokens, { start: 0, end: 1 }, -1))).toBeNull();
	});
});

describe('nextWordFrom', () => {
	it('starts a new selection on the next word, never on punctuation', () => {
		const text = 'Lavrov, qui « parle ».';
		const tokens = tokenizeWords(text);
		const at = (range: { start: number; end: number } | null) => (range ? text.slice(range.start, range.end) : null);
		expect(at(nextWordFrom(tokens, 6))).toBe('qui');
		expect(at(nextWordFrom(tokens, 10))).toBe('parle');
		expect(at(nextWordFrom(tokens, 0))).toBe('Lavrov');
		expect(nextWordFrom(tokens, 19)).toBeNull();
	});
});
