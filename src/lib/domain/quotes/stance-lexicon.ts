// Stance cues as DATA: evaluative and position-taking expressions with the polarity they usually
// carry toward what they are about. These are suggestions for annotators, never decisions: the
// polarity is a guess, flipped by a negation around the expression (n'… pas, ne… plus, ne…
// jamais, ne… guère, ne… point, pas encore). Documented in docs/quote-annotation-guidelines.md.
//
// Each entry is a regular-expression fragment (case-insensitive, French inflections written
// out). `kind` says how the span grows: 'adjective' takes a copula and an intensifier in front
// ("est prête à", "très triste"); 'verb' and 'noun' are taken as written. `targetAfter` marks
// expressions whose object follows them ("dénonce X", "favorable à X", "soutien à X"): the first
// entity right after is proposed as the target.
export type StancePolarity = 'favor' | 'against' | 'neutral';

export interface StanceEntry {
	pattern: string;
	polarity: StancePolarity;
	kind: 'adjective' | 'verb' | 'noun';
	targetAfter?: boolean;
}

export const STANCE_LEXICON: readonly StanceEntry[] = [
	// favor
	{ pattern: 'prête?s?(?:\\s+à)?', polarity: 'favor', kind: 'adjective', targetAfter: true },
	{ pattern: 'favorables?(?:\\s+(?:à|au|aux))?', polarity: 'favor', kind: 'adjective', targetAfter: true },
	{ pattern: 'fructueu(?:x|se|ses)', polarity: 'favor', kind: 'adjective' },
	{ pattern: 'efficaces?', polarity: 'favor', kind: 'adjective' },
	{ pattern: 'producti(?:f|fs|ve|ves)', polarity: 'favor', kind: 'adjective' },
	{ pattern: 'positi(?:f|fs|ve|ves)', polarity: 'favor', kind: 'adjective' },
	{ pattern: 'bénéfiques?', polarity: 'favor', kind: 'adjective' },
	{ pattern: 'encourageant(?:e|s|es)?', polarity: 'favor', kind: 'adjective' },
	{ pattern: 'excellent(?:e|s|es)?', polarity: 'favor', kind: 'adjective' },
	{ pattern: 'rassuré(?:e|s|es)?', polarity: 'favor', kind: 'adjective' },
	{ pattern: "d['’]accord\\s+avec", polarity: 'favor', kind: 'adjective', targetAfter: true },
	{ pattern: '(?:son|leur|notre|mon)\\s+soutien\\s+(?:à|au|aux)', polarity: 'favor', kind: 'noun', targetAfter: true },
	{ pattern: 'soutien(?:t|nent)?\\s+(?:à|au|aux)', polarity: 'favor', kind: 'noun', targetAfter: true },
	{ pattern: '(?:a|ont)\\s+salué|salue(?:nt)?', polarity: 'favor', kind: 'verb', targetAfter: true },
	{ pattern: "(?:se|s['’]est|se\\s+sont)\\s+félicité(?:e|s|es)?|se\\s+félicite(?:nt)?", polarity: 'favor', kind: 'verb' },
	{ pattern: 'priorité absolue', polarity: 'favor', kind: 'noun' },
	// against
	{ pattern: 'néfastes?', polarity: 'against', kind: 'adjective' },
	{ pattern: 'contre[- ]nature', polarity: 'against', kind: 'adjective' },
	{ pattern: 'tristes?', polarity: 'against', kind: 'adjective' },
	{ pattern: 'artificiel(?:le|s|les)?', polarity: 'against', kind: 'adjective' },
	{ pattern: 'inacceptables?', polarity: 'against', kind: 'adjective' },
	{ pattern: 'inadmissibles?', polarity: 'against', kind: 'adjective' },
	{ pattern: 'scandaleu(?:x|se|ses)', polarity: 'against', kind: 'adjective' },
	{ pattern: 'choquant(?:e|s|es)?', polarity: 'against', kind: 'adjective' },
	{ pattern: 'honteu(?:x|se|ses)', polarity: 'against', kind: 'adjective' },
	{ pattern: 'dangereu(?:x|se|ses)', polarity: 'against', kind: 'adjective' },
	{ pattern: 'inquiétant(?:e|s|es)?', polarity: 'against', kind: 'adjective' },
	{ pattern: 'préoccupant(?:e|s|es)?', polarity: 'against', kind: 'adjective' },
	{ pattern: 'absurdes?', polarity: 'against', kind: 'adjective' },
	{ pattern: 'hostiles?(?:\\s+(?:à|au|aux))?', polarity: 'against', kind: 'adjective', targetAfter: true },
	{ pattern: 'opposé(?:e|s|es)?\\s+(?:à|au|aux)', polarity: 'against', kind: 'adjective', targetAfter: true },
	{ pattern: 'horribles?', polarity: 'against', kind: 'adjective' },
	{ pattern: 'malheureusement', polarity: 'against', kind: 'noun' },
	{ pattern: 'bêtises?', polarity: 'against', kind: 'noun' },
	{ pattern: 'mépris', polarity: 'against', kind: 'noun' },
	{ pattern: 'déni de démocratie', polarity: 'against', kind: 'noun' },
	{ pattern: 'manipulations?', polarity: 'against', kind: 'noun' },
	{ pattern: 'indignation', polarity: 'against', kind: 'noun' },
	{ pattern: '(?:a|ont)\\s+dénoncé|dénonce(?:nt)?', polarity: 'against', kind: 'verb', targetAfter: true },
	{ pattern: '(?:a|ont)\\s+condamné|condamne(?:nt)?', polarity: 'against', kind: 'verb', targetAfter: true },
	{ pattern: '(?:a|ont)\\s+déploré|déplore(?:nt)?', polarity: 'against', kind: 'verb', targetAfter: true },
	{ pattern: '(?:a|ont)\\s+refusé|refuse(?:nt)?', polarity: 'against', kind: 'verb', targetAfter: true },
	{ pattern: 'contre\\s+(?:le|la|les|ce|cette|ces|l[\'’])', polarity: 'against', kind: 'noun', targetAfter: true },
	// neutral position-taking
	{ pattern: 'prudent(?:e|s|es)?', polarity: 'neutral', kind: 'adjective' },
	{ pattern: 'réservé(?:e|s|es)?\\s+(?:sur|quant)', polarity: 'neutral', kind: 'adjective', targetAfter: true }
];

/** Copulas and intensifiers taken into an adjective's span ("est prête à", "très triste"). */
export const COPULA = String.raw`(?:(?:est|sont|était|étaient|serait|seraient|sera|seront|semble|semblent|paraît|reste|restent|se\s+dit|se\s+disent|se\s+montre|se\s+montrent)\s+(?:encore\s+|toujours\s+|déjà\s+|bien\s+|même\s+)?)?`;
export const INTENSIFIER = String.raw`(?:(?:très|si|trop|particulièrement|absolument|vraiment|tellement|profondément|extrêmement|totalement|plutôt)\s+)?`;

/** Negation before the expression, in the same clause: "n'y est pas encore", "ne sont plus". */
export const NEGATION_BEFORE = /(?:^|[\s(])(?:ne\s|n['’])(?:[^,.;:!?«»]{0,30}?)(?<![\p{L}])(?:pas|plus|jamais|guère|point|nullement)(?![\p{L}])(?:\s+(?:encore|du\s+tout|vraiment|très|si|tout\s+à\s+fait))?\s*$/iu;
/** "pas" alone right before ("pas prête", "pas très triste"). */
export const BARE_NEGATION_BEFORE = /(?:^|\s)(?:pas|jamais|nullement)\s+(?:encore\s+|très\s+|si\s+|du\s+tout\s+)?$/iu;

export function flipPolarity(polarity: StancePolarity): StancePolarity {
	return polarity === 'favor' ? 'against' : polarity === 'against' ? 'favor' : 'neutral';
}
