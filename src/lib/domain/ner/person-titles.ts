// Whether a person's title belongs to the person's entity span: `M. Lavrov` or `Lavrov`?
//
// Annotation guidelines disagree. Guillemet's own (docs/quote-annotation-guidelines.md), like
// WikiNER/WikiNEuRal and Sequoia, leave titles out: `M. Lavrov` → `Lavrov`. HIPE-2022/NewsEye and
// most historical-newspaper corpora put them in: `M. le bâtonnier Fourcade` is one person span.
// The model is trained on both kinds of data and wavers between them, so a project states its
// convention (label schema `personTitles`) and this module makes every model suggestion follow it.
// It works on whole words, after decoding, so offsets stay exact.
import type { Token } from '../tokens';
import type { EntitySpan } from './decode';

export const PERSON_TITLE_CONVENTIONS = ['exclude', 'include'] as const;
export type PersonTitleConvention = (typeof PERSON_TITLE_CONVENTIONS)[number];

/** Abbreviated civilities; the tokeniser gives `M.` as `M` + `.`, both forms are read. */
const ABBREVIATED_CIVILITIES = new Set(['M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Me', 'Mgr', 'Dr', 'Pr']);
/** Civilities written out (any case: `Monsieur` at a sentence start, `monsieur` inside). */
const CIVILITIES = new Set(['monsieur', 'madame', 'mademoiselle', 'messieurs', 'mesdames', 'mesdemoiselles', 'monseigneur']);
/** Functions and ranks used as a title right before a name (`le général Leclerc`, `docteur Funck`). */
const ROLE_TITLES = new Set([
	'docteur', 'professeur', 'maître', 'abbé', 'chanoine', 'pasteur', 'rabbin', 'cardinal',
	'général', 'colonel', 'commandant', 'capitaine', 'lieutenant', 'sergent', 'caporal', 'maréchal', 'amiral',
	'président', 'présidente', 'ministre', 'sénateur', 'député', 'maire', 'préfet', 'juge', 'bâtonnier',
	'roi', 'reine', 'prince', 'princesse', 'duc', 'duchesse', 'comte', 'comtesse', 'baron', 'baronne', 'marquis', 'marquise',
	'lord', 'lady', 'sir'
]);
/** Articles allowed inside a title chain, after a civility: `M. le bâtonnier`, `Mme la présidente`, `M. le Dr`. */
const CHAIN_ARTICLES = new Set(['le', 'la']);

type TitleKind = 'civility' | 'role';

/** The title starting at word `i`: its kind and the index after it, or null. */
function titleAt(words: readonly Token[], i: number): { kind: TitleKind; end: number } | null {
	const text = words[i]?.text;
	if (text === undefined) return null;
	const bare = text.endsWith('.') ? text.slice(0, -1) : text;
	if (ABBREVIATED_CIVILITIES.has(bare)) {
		const dot = words[i + 1];
		// `M` alone is only a title when its full stop follows at once (`M. Lavrov`), never the letter M.
		if (bare === text && dot?.text === '.' && dot.start === words[i].end) return { kind: 'civility', end: i + 2 };
		if (bare !== text || bare.length > 1) return { kind: 'civility', end: i + 1 };
		return null;
	}
	const lower = text.toLowerCase();
	if (CIVILITIES.has(lower)) return { kind: 'civility', end: i + 1 };
	if (ROLE_TITLES.has(lower)) return { kind: 'role', end: i + 1 };
	return null;
}

/**
 * The longest chain of titles starting at word `i` (`M.`, `M. le bâtonnier`, `le général`
 * excluded: a chain starts with a title), as the index after it; `i` when there is none.
 */
export function titleChainEnd(words: readonly Token[], i: number): number {
	let end = i;
	let previous: TitleKind | null = null;
	for (;;) {
		const title = titleAt(words, end);
		if (title) {
			end = title.end;
			previous = title.kind;
			continue;
		}
		// `le`/`la` continue a chain only after a civility and before another title (`M. le Dr`).
		if (previous === 'civility' && CHAIN_ARTICLES.has(words[end]?.text.toLowerCase() ?? '')) {
			const next = titleAt(words, end + 1);
			if (next) {
				end = next.end;
				previous = next.kind;
				continue;
			}
		}
		return end;
	}
}

function withFirstWord(span: EntitySpan, words: readonly Token[], firstWord: number): EntitySpan {
	return { ...span, firstWord, start: words[firstWord].start };
}

/**
 * Makes the person spans of one decoded text follow `convention`.
 * - `exclude`: titles at the start of a person span are dropped from it; a span made only of
 *   titles (`M.`, `le président`) is not a person's name and is removed.
 * - `include`: a person span is extended over the titles right before it, when they touch no
 *   other span; a span made only of titles is removed too (`M.` | `Gambetta` becomes `M. Gambetta`).
 * Other labels and spans without titles are returned unchanged (same objects), in order.
 */
export function applyPersonTitleConvention(
	words: readonly Token[],
	spans: readonly EntitySpan[],
	convention: PersonTitleConvention,
	personLabel = 'PER'
): EntitySpan[] {
	const result: EntitySpan[] = [];
	for (const span of spans) {
		if (span.label !== personLabel) {
			result.push(span);
			continue;
		}
		// Both conventions start from the bare name, whatever part of the titles the model took.
		const nameStart = titleChainEnd(words, span.firstWord);
		if (nameStart >= span.lastWord) continue;
		if (convention === 'exclude') {
			result.push(nameStart > span.firstWord ? withFirstWord(span, words, nameStart) : span);
			continue;
		}
		// include: the earliest word from which a title chain runs exactly up to the name.
		const floor = Math.max(result.length ? result[result.length - 1].lastWord : 0, nameStart - 8);
		let chainStart = nameStart;
		for (let j = nameStart - 1; j >= floor; j--) {
			if (titleChainEnd(words, j) === nameStart) chainStart = j;
		}
		result.push(chainStart !== span.firstWord ? withFirstWord(span, words, chainStart) : span);
	}
	return result;
}
