// Person titles in or out of person spans (`M. Lavrov` / `Lavrov`), on the words the model labels.
import { describe, expect, it } from 'vitest';
import { tokenizeWords, type Token } from '../../src/lib/domain/tokens';
import { groupWordsIntoUnits, wordsToUnits } from '../../src/lib/domain/ner/units';
import { applyPersonTitleConvention, titleChainEnd } from '../../src/lib/domain/ner/person-titles';
import type { EntitySpan } from '../../src/lib/domain/ner/decode';
import { sliceCodePoints } from '../../src/lib/domain/offsets';

/** The words annotateTexts labels (tokeniser words, compounds glued). */
function unitsOf(text: string): Token[] {
	const words = tokenizeWords(text);
	return wordsToUnits(words, groupWordsIntoUnits(words));
}

/** A span over the words that spell `surface` (its first occurrence as whole words). */
function spanOf(text: string, words: Token[], surface: string, label = 'PER'): EntitySpan {
	for (let first = 0; first < words.length; first++) {
		for (let last = first + 1; last <= words.length; last++) {
			if (sliceCodePoints(text, words[first].start, words[last - 1].end) === surface) {
				return { start: words[first].start, end: words[last - 1].end, label, score: 0.9, firstWord: first, lastWord: last };
			}
		}
	}
	throw new Error(`"${surface}" is not a run of whole words in "${text}"`);
}

function apply(text: string, surfaces: (string | [string, string])[], convention: 'exclude' | 'include') {
	const words = unitsOf(text);
	const spans = surfaces.map((s) => (typeof s === 'string' ? spanOf(text, words, s) : spanOf(text, words, s[0], s[1])));
	return applyPersonTitleConvention(words, spans, convention).map((span) => {
		// Offsets and word indexes must stay in step.
		expect(span.start).toBe(words[span.firstWord].start);
		expect(span.end).toBe(words[span.lastWord - 1].end);
		return `${span.label}:${sliceCodePoints(text, span.start, span.end)}`;
	});
}

describe('titleChainEnd', () => {
	it('reads abbreviated civilities with their full stop, spelled-out ones and functions', () => {
		const text = 'M. le bâtonnier Fourcade, Mme Dupont, MM. Durand, Dr House, docteur Funck, Monsieur Hulot.';
		const words = unitsOf(text);
		const at = (surface: string) => words.findIndex((w) => w.text === surface);
		const chain = (surface: string) => words.slice(at(surface), titleChainEnd(words, at(surface))).map((w) => w.text).join(' ');
		expect(chain('le')).toBe(''); // a chain starts with a title, not an article
		expect(titleChainEnd(words, 0)).toBe(at('Fourcade')); // M . le bâtonnier
		expect(chain('Mme')).toBe('Mme');
		expect(chain('MM.')).toBe('MM.'); // units glue an abbreviation and its full stop
		expect(chain('Dr')).toBe('Dr');
		expect(chain('docteur')).toBe('docteur');
		expect(chain('Monsieur')).toBe('Monsieur');
		// The letter M without its full stop right after it is not a title.
		const letter = unitsOf('la lettre M . Puis');
		expect(titleChainEnd(letter, 2)).toBe(2);
	});
});

describe('applyPersonTitleConvention', () => {
	it('exclude: drops titles from the start of person spans (Guillemet, WikiNER, Sequoia)', () => {
		const text = '« Non », a dit M. Lavrov à Mme la présidente Lagarde et au docteur Funck.';
		expect(apply(text, ['M. Lavrov', 'Mme la présidente Lagarde', 'docteur Funck'], 'exclude')).toEqual(['PER:Lavrov', 'PER:Lagarde', 'PER:Funck']);
	});

	it('exclude: removes a person span made only of titles, leaves other labels alone', () => {
		const text = 'M. a parlé au président de la République à Paris.';
		expect(apply(text, ['M.', 'président', ['Paris', 'LOC']], 'exclude')).toEqual(['LOC:Paris']);
		// A title inside or at the end of a name is not touched.
		expect(apply('Jean Roi est venu.', ['Jean Roi'], 'exclude')).toEqual(['PER:Jean Roi']);
	});

	it('include: extends person spans over the titles right before them (HIPE, NewsEye)', () => {
		const text = 'M. le bâtonnier Fourcade a reçu MM. Durand, le général Leclerc et Mlle Marie Curie.';
		expect(apply(text, ['Fourcade', 'Durand', 'Leclerc', 'Marie Curie'], 'include')).toEqual([
			'PER:M. le bâtonnier Fourcade',
			'PER:MM. Durand',
			'PER:général Leclerc',
			'PER:Mlle Marie Curie'
		]);
	});

	it('include: keeps spans that already carry their title, never reaches over another span or a non-title', () => {
		const text = 'Le roi Lear et M. Martin, puis M. dit Dupont.';
		expect(apply(text, ['M. Martin', 'Dupont'], 'include')).toEqual(['PER:M. Martin', 'PER:Dupont']);
		const overlap = 'Président Wilson';
		expect(apply(overlap, [['Président', 'MISC'], 'Wilson'], 'include')).toEqual(['MISC:Président', 'PER:Wilson']);
	});

	it('include: a title the model labelled as a person of its own joins the name after it', () => {
		const text = 'Nous ajoutions que M. Gambetta ne pouvait, selon M. le Dr Erary.';
		expect(apply(text, ['M.', 'Gambetta', 'M. le', 'Erary'], 'include')).toEqual(['PER:M. Gambetta', 'PER:M. le Dr Erary']);
		expect(apply(text, ['M.', 'Gambetta', 'M. le', 'Erary'], 'exclude')).toEqual(['PER:Gambetta', 'PER:Erary']);
	});

	it('include then exclude gives back the bare names', () => {
		const text = 'Selon M. Ernest Billiet et Mme Marie Curie.';
		const words = unitsOf(text);
		const spans = [spanOf(text, words, 'Ernest Billiet'), spanOf(text, words, 'Marie Curie')];
		const included = applyPersonTitleConvention(words, spans, 'include');
		expect(included.map((s) => sliceCodePoints(text, s.start, s.end))).toEqual(['M. Ernest Billiet', 'Mme Marie Curie']);
		expect(applyPersonTitleConvention(words, included, 'exclude')).toEqual(spans);
	});
});
