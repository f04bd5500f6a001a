import { describe, expect, it } from 'vitest';
import { adjacentWord, moveEdge, nextWordFrom, snapToWords, withoutLeadingElision, wordAt } from '../../src/lib/domain/editing/snapping';
import { findParagraphBreaks, paragraphBounds } from '../../src/lib/domain/editing/paragraphs';
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

describe('withoutLeadingElision', () => {
	const french = 'Selon l’Otan, qu’Emmanuel Macron et l\'UE jugent l’ et d’ ici.';
	const frenchIndex = new OffsetIndex(french);
	const frenchTokens = tokenizeWords(french, frenchIndex);
	const at = (needle: string) => ({ start: frenchIndex.toCodePoint(french.indexOf(needle)), end: frenchIndex.toCodePoint(french.indexOf(needle) + needle.length) });
	const cut = (needle: string) => {
		const range = withoutLeadingElision(frenchTokens, at(needle));
		return range ? frenchIndex.slice(range.start, range.end) : null;
	};

	it('leaves out the elided word an entity would start with (l’Otan is Otan)', () => {
		expect(cut('l’Otan')).toBe('Otan');
		expect(cut('qu’Emmanuel Macron')).toBe('Emmanuel Macron');
		expect(cut("l'UE")).toBe('UE');
	});

	it('leaves a range alone that does not start with a glued elided word, or is nothing else', () => {
		expect(cut('Otan')).toBeNull();
		expect(cut('Selon l’Otan')).toBeNull();
		expect(cut('l’')).toBeNull();
		expect(cut('l’ et')).toBeNull();
	});
});

describe('moving by words', () => {
	const lavrov = { start: cp('Lavrov'), end: cp('Lavrov') + 6 };

	it('extends and shrinks the end and the start', () => {
		const wider = moveEdge(tokens, lavrov, 'start', -1);
		expect(slice(wider)).toBe('Sergueï Lavrov');
		expect(slice(moveEdge(tokens, wider!, 'start', 1))).toBe('Lavrov');
		// Only the full stop is left after Lavrov: there is no word to take in.
		expect(moveEdge(tokens, lavrov, 'end', 1)).toBeNull();
		expect(moveEdge(tokens, lavrov, 'end', -1)).toBeNull();
		expect(moveEdge(tokens, lavrov, 'start', 1)).toBeNull();
	});

	it('steps over punctuation: a span never ends or starts on a colon or a comma', () => {
		const text = 'Le ministre indiquait : « Nous refusons », a-t-il dit (à Paris, hier).';
		const tokens = tokenizeWords(text);
		const range = (needle: string) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });
		const at = (r: { start: number; end: number } | null) => (r ? text.slice(r.start, r.end) : null);
		expect(at(moveEdge(tokens, range('ministre indiquait'), 'end', 1))).toBe('ministre indiquait : « Nous');
		expect(at(moveEdge(tokens, range('indiquait : « Nous'), 'end', -1))).toBe('indiquait');
		expect(at(moveEdge(tokens, range('a-t-il'), 'start', -1))).toBe('refusons », a-t-il');
		expect(at(moveEdge(tokens, range('refusons », a-t-il'), 'start', 1))).toBe('a-t-il');
		expect(at(moveEdge(tokens, range('Paris'), 'end', 1))).toBe('Paris, hier');
		expect(at(moveEdge(tokens, range('Paris, hier'), 'end', -1))).toBe('Paris');
		// Symbols and the percent sign are not punctuation to step over.
		const money = 'Il gagne 20 € par mois, soit 50 % de plus.';
		const moneyTokens = tokenizeWords(money);
		const euros = money.indexOf('20');
		const percent = money.indexOf('50');
		expect(money.slice(euros, moveEdge(moneyTokens, { start: euros, end: euros + 2 }, 'end', 1)!.end)).toBe('20 €');
		expect(money.slice(percent, moveEdge(moneyTokens, { start: percent, end: percent + 2 }, 'end', 1)!.end)).toBe('50 %');
	});

	it('takes in the mark that closes a quotation or bracket the span opens, and the one that opens what it closes', () => {
		const text = 'Il a dit : « Nous refusons », puis (à Paris) il est parti.';
		const tokens = tokenizeWords(text);
		const range = (needle: string) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });
		const at = (r: { start: number; end: number } | null) => (r ? text.slice(r.start, r.end) : null);
		expect(at(moveEdge(tokens, range('« Nous refusons'), 'end', 1))).toBe('« Nous refusons »');
		expect(at(moveEdge(tokens, range('« Nous refusons »'), 'end', -1))).toBe('« Nous refusons');
		expect(at(moveEdge(tokens, range('Nous refusons »'), 'start', -1))).toBe('« Nous refusons »');
		expect(at(moveEdge(tokens, range('« Nous refusons »'), 'start', 1))).toBe('Nous refusons »');
		expect(at(moveEdge(tokens, range('(à Paris'), 'end', 1))).toBe('(à Paris)');
		// A closing mark the span does not open is stepped over like other punctuation.
		expect(at(moveEdge(tokens, range('refusons'), 'end', 1))).toBe('refusons », puis');
		// The span holds the end of one bracket and the start of the next: the next one is closed.
		const names = 'Lieu1 (dite Nord) a voté. Lieu2 (dite Sud) a voté.';
		const nameTokens = tokenizeWords(names);
		const inNames = (needle: string) => ({ start: names.indexOf(needle), end: names.indexOf(needle) + needle.length });
		const atNames = (r: { start: number; end: number } | null) => (r ? names.slice(r.start, r.end) : null);
		expect(atNames(moveEdge(nameTokens, inNames('Nord) a voté. Lieu2 (dite Sud'), 'end', 1))).toBe('Nord) a voté. Lieu2 (dite Sud)');
		expect(atNames(moveEdge(nameTokens, inNames('Nord) a voté. Lieu2 (dite'), 'start', -1))).toBe('dite Nord) a voté. Lieu2 (dite');
		expect(atNames(moveEdge(nameTokens, inNames('dite Nord) a voté. Lieu2 (dite'), 'start', -1))).toBe('(dite Nord) a voté. Lieu2 (dite');
	});

	it('stops at the paragraph a span must stay in', () => {
		const article = 'Le groupe 🇫🇷 Gauche démocratique.\n\nLe ministre a parlé.\nFin.';
		const articleIndex = new OffsetIndex(article);
		const articleTokens = tokenizeWords(article, articleIndex);
		const breaks = findParagraphBreaks(article);
		// Code points: the flag is two of them, four UTF-16 units.
		expect(breaks).toEqual([article.indexOf('\n') - 2, article.indexOf('\n') - 1, article.lastIndexOf('\n') - 2]);
		const at = (needle: string) => ({ start: articleIndex.toCodePoint(article.indexOf(needle)), end: articleIndex.toCodePoint(article.indexOf(needle) + needle.length) });
		const words = (r: { start: number; end: number } | null) => (r ? articleIndex.slice(r.start, r.end) : null);
		const name = at('Gauche démocratique');
		const within = paragraphBounds(breaks, name, articleIndex.length);
		expect(words(within)).toBe('Le groupe 🇫🇷 Gauche démocratique.');
		// The full stop is stepped over as always, and the next word is in the next paragraph: no move.
		expect(moveEdge(articleTokens, name, 'end', 1, within)).toBeNull();
		expect(words(moveEdge(articleTokens, at('Le groupe'), 'end', 1, within))).toBe('Le groupe 🇫🇷');
		// Without a paragraph to stay in (a selection that may become a quote), the move goes on.
		expect(words(moveEdge(articleTokens, name, 'end', 1))).toBe('Gauche démocratique.\n\nLe');
		const minister = at('Le ministre');
		const its = paragraphBounds(breaks, minister, articleIndex.length);
		expect(words(its)).toBe('Le ministre a parlé.');
		expect(moveEdge(articleTokens, minister, 'start', -1, its)).toBeNull();
		// A span imported across a break may move within the paragraphs it already spans.
		const across = at('démocratique.\n\nLe');
		expect(words(moveEdge(articleTokens, across, 'end', 1, paragraphBounds(breaks, across, articleIndex.length)))).toBe('démocratique.\n\nLe ministre');
		expect(words(moveEdge(articleTokens, across, 'start', -1, paragraphBounds(breaks, across, articleIndex.length)))).toBe('Gauche démocratique.\n\nLe');
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
