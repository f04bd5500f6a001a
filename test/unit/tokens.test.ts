import { afterEach, describe, expect, it, vi } from 'vitest';
import { countWords, findSentenceRanges, SEGMENTER_PIECE_LENGTH, splitSentences, tokenizeWords } from '../../src/lib/domain/tokens';
import { OffsetIndex, sliceCodePoints } from '../../src/lib/domain/offsets';

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

	describe('in a text longer than the segmenter is given at once', () => {
		afterEach(() => {
			vi.restoreAllMocks();
		});
		// Paragraphs with what a cut could break: elisions, NBSP and narrow NBSP, emoji, a combining
		// mark after a space, double spaces; and one paragraph several pieces long.
		const paragraph = (i: number) =>
			`«\u202fNous ne céderons pas\u202f», a déclaré M. Lavrov 🇷🇺 n° ${i}.  Selon l’Otan, l'alliance \u0301e reste prête à 10\u00a0000 %. `;
		const shortParagraphs = Array.from({ length: 80 }, (_, i) => paragraph(i).trim()).join('\n\n');
		const oneParagraph = Array.from({ length: 80 }, (_, i) => paragraph(i)).join('');
		/** The segments of the whole text at once (what tokenizeWords did before pieces), trimmed as it trims them. */
		const wholeTextSegments = (text: string) =>
			[...new Intl.Segmenter('fr', { granularity: 'word' }).segment(text)]
				.filter((s) => !/^\s+$/u.test(s.segment))
				.map((s) => [s.index + s.segment.length - s.segment.trimStart().length, s.index + s.segment.trimEnd().length]);
		const isElision = (token: { text: string } | undefined) => !!token && /^(?:[ldjmnstc]|qu)['’]$/iu.test(token.text);

		it('cuts the same tokens as in one piece, at paragraph breaks and inside a long paragraph', () => {
			for (const text of [shortParagraphs, oneParagraph]) {
				expect(text.length).toBeGreaterThan(2 * SEGMENTER_PIECE_LENGTH);
				const tokens = tokenizeWords(text);
				const index = new OffsetIndex(text);
				for (const token of tokens) expect(index.slice(token.start, token.end)).toBe(token.text);
				// Elisions aside (split after the segmenter), every token edge is a segment edge of the whole text.
				const segments = wholeTextSegments(text);
				const edges = new Set(segments.flat());
				tokens.forEach((token, i) => {
					const afterElision = isElision(tokens[i - 1]) && tokens[i - 1].end === token.start;
					if (!afterElision) expect(edges.has(index.toUtf16(token.start)), `start of ${token.text} at ${token.start}`).toBe(true);
					if (!isElision(token)) expect(edges.has(index.toUtf16(token.end)), `end of ${token.text} at ${token.end}`).toBe(true);
				});
				expect(tokens.length).toBe(segments.length + tokens.filter(isElision).length);
			}
		});

		it('never hands the segmenter a piece much longer than SEGMENTER_PIECE_LENGTH', () => {
			const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
			tokenizeWords(shortParagraphs);
			tokenizeWords(oneParagraph);
			findSentenceRanges(shortParagraphs);
			const longest = Math.max(...segment.mock.calls.map(([input]) => input.length));
			expect(longest).toBeLessThan(SEGMENTER_PIECE_LENGTH + 400);
		});

		it('finds the same sentences as paragraph by paragraph', () => {
			let offset = 0;
			const expected = shortParagraphs.split('\n\n').flatMap((piece) => {
				const ranges = findSentenceRanges(piece).map((r) => ({ start: r.start + offset, end: r.end + offset }));
				offset += piece.length + 2;
				return ranges;
			});
			expect(findSentenceRanges(shortParagraphs)).toEqual(expected);
		});
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
