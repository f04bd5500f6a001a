// The units the NER model labels. They are the project tokeniser's words, except where NER
// training data (WikiNEuRal, Sequoia, NewsEye, CoNLL-style corpora) keeps several of them as one
// token and models were trained that way: hyphenated compounds (`Jean-Marie`, `États-Unis`,
// `Saint-Martin-de-Ré`), an elided article that ICU cut from its apostrophe (`d` + `'` when a
// space follows), and titles and initials with their full stop (`M.`, `MM.`, `Mme.`, `J.`). A model labels only the first piece of a training token, so reading labels off
// `Marie` in `Jean-Marie` or off the `'` of `d'` reads positions it was never trained on (measured:
// about 10 points of exact F1 on WikiNEuRal dev). Units are unions of whole words, so a span still
// never starts or ends inside a word.
import type { Token } from '../tokens';

const HYPHENS = new Set(['-', '\u2010', '\u2011']);
const APOSTROPHES = new Set(["'", '’']);
const WORDLIKE = /[\p{L}\p{N}]$/u;
const WORDLIKE_START = /^[\p{L}\p{N}]/u;
/** Titles and abbreviations that the corpora keep with their full stop; a single capital is an initial. */
const ABBREVIATIONS = new Set(['M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Dr', 'Pr', 'Me', 'Mgr', 'St', 'Ste', 'Jr', 'Sr', 'Cie', 'av', 'apr', 'cf', 'etc']);

/** Groups of adjacent words (start/end indexes into `words`, end exclusive), in order, covering all words. */
export function groupWordsIntoUnits(words: readonly Token[]): { start: number; end: number }[] {
	const groups: { start: number; end: number }[] = [];
	let i = 0;
	while (i < words.length) {
		let end = i + 1;
		for (;;) {
			const last = words[end - 1];
			const next = words[end];
			if (!next || next.start !== last.end) break;
			// word - word, with nothing in between: one compound.
			const after = words[end + 1];
			if (HYPHENS.has(next.text) && WORDLIKE.test(last.text) && after && after.start === next.end && WORDLIKE_START.test(after.text)) {
				end += 2;
				continue;
			}
			// d + ' (the elision ICU split because a space follows): one token, as in the corpora.
			if (APOSTROPHES.has(next.text) && end - i === 1 && /^\p{L}{1,7}$/u.test(last.text)) {
				end += 1;
			} else if (next.text === '.' && (ABBREVIATIONS.has(last.text) || /^\p{Lu}$/u.test(last.text))) {
				// M + . -> M. (a title or an initial, never the end of a sentence here).
				end += 1;
			}
			break;
		}
		groups.push({ start: i, end });
		i = end;
	}
	return groups;
}

/** The units themselves, as tokens over the same text (their text is the text they cover). */
export function wordsToUnits(words: readonly Token[], groups: readonly { start: number; end: number }[]): Token[] {
	return groups.map(({ start, end }) => {
		if (end - start === 1) return words[start];
		return { text: words.slice(start, end).map((w) => w.text).join(''), start: words[start].start, end: words[end - 1].end };
	});
}
