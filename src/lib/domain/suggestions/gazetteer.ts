// Gazetteer rules: which place names to suggest as LOC, and the guard against forms that are
// also common French words (`Tours`, `Orange`, `Vue`, `Sens`): those are suggested only right
// after a locative preposition (`à Tours`, `vers Orange`), and with a lower score.

export type PlaceKind = 'country' | 'region' | 'department' | 'commune' | 'city';

export interface PlaceEntry {
	kind: PlaceKind;
	/** The form, lower-cased, is also a common French word (`Tours`, `Réunion`, `Chine`). */
	homograph: boolean;
	/** A country, a region or a big city: what the capitalised form means in the news. */
	prominent: boolean;
}

/** Prepositions that introduce a place; a guarded form is only suggested right after one. */
export const LOCATIVE_PREPOSITIONS = new Set(['à', 'À', 'en', 'En', 'au', 'Au', 'aux', 'Aux', 'depuis', 'Depuis', 'vers', 'Vers']);

/** Tokens after which a capital letter says nothing (sentence start). */
const SENTENCE_OPENERS = new Set(['.', '!', '?', '…', '«', '»', '“', '"', ':', '—', '–', '-', '(']);

export const GAZETTEER_SCORE = 0.7;
export const AMBIGUOUS_GAZETTEER_SCORE = 0.4;

/** Forms shorter than this are never suggested (initials, `Y`, `Eu`). */
export const MIN_PLACE_LENGTH = 3;

/** Cities at least this big count as prominent. */
export const PROMINENT_POPULATION = 500_000;

export function describePlace(name: string, kind: PlaceKind, population: number, commonWords: ReadonlySet<string>): PlaceEntry {
	return {
		kind,
		homograph: commonWords.has(name.toLocaleLowerCase('fr')),
		prominent: kind === 'country' || kind === 'region' || population >= PROMINENT_POPULATION
	};
}

/**
 * The guard. A form that is not a common word is always suggested. A homograph is suggested
 * right after a locative preposition (`à Tours`); a prominent homograph also inside a sentence
 * (`la Chine a…`) but not at its start, where the capital may be the sentence's
 * (`Réunion en Bretagne.`). Returns the score, or null to suggest nothing.
 */
export function acceptPlaceMatch(entry: PlaceEntry, previousToken: string | undefined): number | null {
	if (!entry.homograph) return GAZETTEER_SCORE;
	if (previousToken !== undefined && LOCATIVE_PREPOSITIONS.has(previousToken)) return entry.prominent ? GAZETTEER_SCORE : AMBIGUOUS_GAZETTEER_SCORE;
	const sentenceStart = previousToken === undefined || SENTENCE_OPENERS.has(previousToken);
	return entry.prominent && !sentenceStart ? AMBIGUOUS_GAZETTEER_SCORE : null;
}
