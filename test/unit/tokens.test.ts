import { describe, expect, it } from 'vitest';
import { countWords, findSentenceRanges, splitSentences, tokenizeWords } from '../../src/lib/domain/tokens';
import { sliceCodePoints } from '../../src/lib/domain/offsets';

describe('French word tokens', () => {
	it('splits elision with both apostrophes and keeps aujourd’hui whole', () => {
		const words = tokenizeWords("l’Otan et l'Otan, qu’il dit aujourd’hui").map((t) => t.text);
		expect(words).toEqual(['l’', 'Otan', 'et', "l'", 'Otan', ',', 'qu’', 'il', 'dit', 'aujourd’hui']);
	});

	it('gives code-point offsets that slice back to each token, after emoji and NBSP', () => {
		const text = '😀 «\u202fLa Russie\u00a0» a dit M. Lavrov 👍🏽.';
		for (const token of tokenizeWords(text)) {
			expect(sliceCodePoints(text, token.start, token.end)).toBe(token.text);
		}
		expect(tokenizeWords(text).map((t) => t.text)).toContain('Russie');
	});

	it('keeps narrow no-break spaces out of tokens, but inside a number', () => {
		expect(tokenizeWords('Munich\u202f: «\u202fBonjour\u202f» 10\u202f000').map((t) => t.text)).toEqual(['Munich', ':', '«', 'Bonjour', '»', '10\u202f000']);
	});

	it('never makes a token of spaces', () => {
		expect(tokenizeWords('a \u00a0\u202f b').map((t) => t.text)).toEqual(['a', 'b']);
	});

	it('counts words without punctuation, a hyphenated name as one', () => {
		expect(countWords('« Bonjour, Jean-Marie ! » l’Otan')).toBe(3);
	});
});

describe('sentences', () => {
	it('does not end a sentence after M. or an initial', () => {
		const sentences = splitSentences('Hier, M. Stoltenberg est venu. J. Dupont aussi. Fin.');
		expect(sentences.map((s) => sliceCodePoints('Hier, M. Stoltenberg est venu. J. Dupont aussi. Fin.', s.start, s.end))).toEqual([
			'Hier, M. Stoltenberg est venu.',
			'J. Dupont aussi.',
			'Fin.'
		]);
	});

	it('ends a sentence at a paragraph break and offsets tokens in the whole text', () => {
		const text = 'Premier paragraphe sans point\n\nSecond 😀 paragraphe.';
		const sentences = splitSentences(text);
		expect(sentences).toHaveLength(2);
		const last = sentences[1].tokens.at(-2)!;
		expect(sliceCodePoints(text, last.start, last.end)).toBe('paragraphe');
	});

	it('finds the same sentences in UTF-16 units, for the browser', () => {
		const text = 'Le drapeau 🇷🇺 flotte. M. Lavrov parle.';
		const ranges = findSentenceRanges(text);
		expect(ranges.map((r) => text.slice(r.start, r.end))).toEqual(['Le drapeau 🇷🇺 flotte.', 'M. Lavrov parle.']);
		const sentences = splitSentences(text);
		expect(sentences.map((s) => sliceCodePoints(text, s.start, s.end))).toEqual(ranges.map((r) => text.slice(r.start, r.end)));
	});
});
