// Finding who speaks: proper names (capitalised words, M./Mme titles, initials), roles ("le
// ministre russe") and pronouns, in a stretch of text next to a reporting cue. Works on tokens
// from ../tokens (code points), so offsets never drift from the stored unit.
import type { OffsetIndex } from '../offsets';
import { tokenizeWords, type Token } from '../tokens';

export type MentionKind = 'name' | 'role' | 'pronoun';

export interface Mention {
	start: number;
	end: number;
	kind: MentionKind;
}

const TITLES = new Set(['M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Dr', 'Pr', 'Me', 'Mgr']);
const PARTICLES = new Set(['de', 'du', 'des', "d'", 'd’', 'van', 'von', 'der', 'da', 'di', 'del', 'della', 'dos', 'ben', 'bin', 'ibn', 'al', 'el', 'la', 'le']);
/** Capitalised words that start sentences without being names. */
const CAPITALISED_STOPWORDS = new Set(
	('Le La Les L’ L\' Un Une Des Du De D’ D\' Dans Par Pour Selon Cependant Mais Et Il Elle Ils Elles On Ce Cet Cette Ces Son Sa Ses ' +
		'En Au Aux Sur Après Avant Lors Alors Depuis Face Hier Aujourd’hui Aujourd\'hui Plus Tout Tous Toute Toutes Chaque Sans Avec Entre ' +
		'Contre Si Quand Comme Dès À A Donc Ainsi Enfin Ensuite Puis Or Nous Je Vous Notre Votre Leur Leurs Quant Malgré Parmi Durant ' +
		'Pendant Outre Certes Néanmoins Toutefois Pourtant Lorsque Lorsqu’ Puisque Évoquant Interrogé Interrogée Invité Invitée Cela Ceci ' +
		'Celui Celle Ceux Mon Ma Mes Ton Ta Tes Qui Que Quoi Où Oui Non Ni Là Ici Autre Autres Certains Certaines Plusieurs D’après Concernant')
		.split(' ')
);
const DETERMINERS = new Set([
	'le', 'la', 'les', "l'", 'l’', 'un', 'une', 'son', 'sa', 'ses', 'leur', 'leurs', 'ce', 'cet', 'cette', 'ces', 'notre', 'votre', 'des', 'du',
	'plusieurs', 'certains', 'certaines', 'quelques', 'nombreux', 'nombreuses', 'deux', 'trois', 'autres'
]);
const PRONOUNS = new Set(['il', 'elle', 'ils', 'elles', 'on', 'lui', 'eux']);
const PREPOSITIONS = new Set([
	'à', 'au', 'aux', 'sur', 'dans', 'devant', 'lors', 'chez', 'en', 'pendant', 'durant', 'après', 'avant', 'par', 'avec', 'pour',
	'contre', 'vers', 'entre', 'depuis', 'sous', 'selon', 'de', 'du', 'des', "d'", 'd’', 'face'
]);
/** Lowercase words that end a role noun phrase: clitics, auxiliaries, relatives. */
const PHRASE_BREAKERS = new Set([
	'se', "s'", 's’', 'ne', "n'", 'n’', 'y', 'a', 'ont', 'est', 'sont', 'était', 'avait', 'qui', 'que', "qu'", 'qu’', 'et', 'ou', 'mais',
	'lors', 'lorsqu’', "lorsqu'", 'dont', 'où', 'fut', 'furent', 'sera', 'seront', 'serait', 'fait', 'font', 'reste', 'restent',
	'semble', 'semblent', 'devient', 'peut', 'peuvent', 'doit', 'doivent', 'va', 'vont', 'avaient', 'étaient'
]);
/** Words skipped between a cue and an inverted subject ("a déclaré dimanche à l'AFP X"). */
const SKIPPABLE = new Set([
	'alors', 'ensuite', 'encore', 'aussi', 'également', 'enfin', 'hier', 'aujourd’hui', "aujourd'hui", 'lundi', 'mardi', 'mercredi', 'jeudi',
	'vendredi', 'samedi', 'dimanche', 'soir', 'matin', 'midi', 'plus', 'tard', 'tôt', 'même', 'lui', 'ainsi', 'notamment', 'déjà',
	'finalement', 'récemment', 'cependant', 'toutefois', 'pourtant', 'néanmoins', 'simplement', 'clairement', 'fermement', 'sobrement',
	'encore', 'volontiers', 'ironiquement', 'immédiatement'
]);

const isWord = (token: Token) => /[\p{L}\p{N}]/u.test(token.text);
const isCapitalised = (token: Token) => /^\p{Lu}/u.test(token.text);
const lower = (token: Token) => token.text.toLowerCase();

export function tokensIn(index: OffsetIndex, start: number, end: number): Token[] {
	return tokenizeWords(index.slice(start, end)).map((token) => ({ ...token, start: token.start + start, end: token.end + start }));
}

/** Only spaces (no punctuation) between two tokens. */
function adjacent(index: OffsetIndex, a: Token, b: Token): boolean {
	return /^[\s\u00a0\u202f]*$/u.test(index.slice(a.end, b.start));
}

/**
 * Reads a proper name starting at token `i`: capitalised words joined by spaces, hyphens,
 * initials ("V. Sapounov") and particles ("Nock Ag Attia", "Bruno Le Roux"). A title (M., Mme)
 * is skipped: the name is the span after it, as entity annotation has it.
 */
export function readName(index: OffsetIndex, tokens: Token[], i: number): { mention: Mention; next: number; titled: boolean } | null {
	let k = i;
	let titled = false;
	if (TITLES.has(tokens[k]?.text)) {
		const dot = tokens[k + 1]?.text === '.' ? 1 : 0;
		const after = tokens[k + 1 + dot];
		if (after && isCapitalised(after)) {
			k += 1 + dot;
			titled = true;
		} else return null;
	}
	const first = tokens[k];
	if (!first || !isCapitalised(first) || !isWord(first)) return null;
	if (!titled && CAPITALISED_STOPWORDS.has(first.text)) {
		// "Le Figaro", "La Poste": a capitalised article followed by a capitalised word is a name.
		const second = tokens[k + 1];
		if (!(['Le', 'La', 'Les', 'El', 'Al', 'De', 'Du'].includes(first.text) && second && isCapitalised(second) && !CAPITALISED_STOPWORDS.has(second.text) && adjacent(index, first, second))) return null;
	}
	let end = k;
	for (;;) {
		const t = tokens[end];
		const n1 = tokens[end + 1];
		const n2 = tokens[end + 2];
		if (!n1) break;
		// Initial: "V." followed by a capitalised word.
		if (n1.text === '.' && /^\p{Lu}$/u.test(t.text) && n2 && isCapitalised(n2) && n1.start === t.end) {
			end += 2;
			continue;
		}
		if ((n1.text === '-' || n1.text === '‑') && n1.start === t.end && n2 && n2.start === n1.end && isWord(n2)) {
			end += 2;
			continue;
		}
		if (!adjacent(index, t, n1)) break;
		if (isCapitalised(n1) && isWord(n1) && !CAPITALISED_STOPWORDS.has(n1.text)) {
			end += 1;
			continue;
		}
		if (['Le', 'La'].includes(n1.text) && n2 && isCapitalised(n2) && adjacent(index, n1, n2)) {
			end += 2;
			continue;
		}
		if (PARTICLES.has(n1.text) && n2 && isCapitalised(n2) && isWord(n2) && !CAPITALISED_STOPWORDS.has(n2.text) && (n2.start === n1.end || adjacent(index, n1, n2))) {
			// "Conférence de Munich", "d’Arc"; not across "de l'…".
			end += 2;
			continue;
		}
		break;
	}
	return { mention: { start: tokens[k].start, end: tokens[end].end, kind: 'name' }, next: end + 1, titled };
}

/** Every proper name in `tokens`, left to right, with whether a preposition governs it. */
export function findNames(index: OffsetIndex, tokens: Token[]): { mention: Mention; governed: boolean; at: number }[] {
	const names: { mention: Mention; governed: boolean; at: number }[] = [];
	let i = 0;
	while (i < tokens.length) {
		const read = readName(index, tokens, i);
		if (!read) {
			i++;
			continue;
		}
		let j = i - 1;
		while (j >= 0 && DETERMINERS.has(lower(tokens[j]))) j--;
		const governed = j >= 0 && PREPOSITIONS.has(lower(tokens[j])) && j >= i - 3;
		names.push({ mention: read.mention, governed, at: i });
		i = read.next;
	}
	return names;
}

/**
 * Reads a noun phrase starting at token `i` (a determiner): "le ministre russe", "le chef de la
 * diplomatie russe Sergueï Lavrov", "l'un des responsables". When it ends in a name, the name is
 * the mention (a role in apposition to a name); otherwise the phrase is a role mention.
 */
export function readRole(index: OffsetIndex, tokens: Token[], i: number): { mention: Mention; next: number } | null {
	const det = tokens[i];
	if (!det || !DETERMINERS.has(lower(det))) return null;
	let k = i + 1;
	let end = i;
	let afterHead = false;
	let inComplement = false;
	while (k < tokens.length && k - i < 12) {
		const t = tokens[k];
		const l = lower(t);
		if (!isWord(t) && t.text !== '-' && t.text !== '’' && t.text !== "'") break;
		if (t.text === '-' || t.text === '’' || t.text === "'") {
			k++;
			continue;
		}
		const name = isCapitalised(t) ? readName(index, tokens, k) : null;
		if (name && !inComplement) {
			// Role in apposition to a name: the name is who speaks.
			return { mention: name.mention, next: name.next };
		}
		if (name) {
			end = name.next - 1;
			k = name.next;
			afterHead = true;
			continue;
		}
		if (PHRASE_BREAKERS.has(l)) break;
		if (['de', 'du', 'des', "d'", 'd’'].includes(l) || (inComplement && DETERMINERS.has(l))) {
			inComplement = true;
			k++;
			continue;
		}
		if (PREPOSITIONS.has(l)) break;
		if (afterHead && !inComplement) {
			// One adjective after the head noun ("le ministre russe"), not a verb after it.
			end = k;
			k++;
			afterHead = false;
			inComplement = false;
			if (tokens[k] && !['de', 'du', 'des', "d'", 'd’'].includes(lower(tokens[k])) && !isCapitalised(tokens[k])) break;
			continue;
		}
		end = k;
		afterHead = true;
		k++;
		if (inComplement && tokens[k] && !['de', 'du', 'des', "d'", 'd’'].includes(lower(tokens[k])) && !isCapitalised(tokens[k])) {
			// "de la diplomatie russe": one adjective may follow the complement noun.
			const next = tokens[k];
			if (isWord(next) && !PHRASE_BREAKERS.has(lower(next)) && !PREPOSITIONS.has(lower(next)) && /(?:e|es|s|al|aux|ain|ien|ais|ois|ique|iste)$/u.test(lower(next)) && !DETERMINERS.has(lower(next)) && tokens[k + 1] && isCapitalised(tokens[k + 1])) {
				end = k;
				k++;
			}
		}
	}
	if (end === i) return null;
	// A trailing dangling preposition or determiner is not part of the phrase.
	while (end > i && (PREPOSITIONS.has(lower(tokens[end])) || DETERMINERS.has(lower(tokens[end])))) end--;
	if (end === i) return null;
	return { mention: { start: det.start, end: tokens[end].end, kind: 'role' }, next: end + 1 };
}

/** The subject read forward from token `i`: a name, a role (or role + name), or a pronoun. */
export function readSubject(index: OffsetIndex, tokens: Token[], i: number): Mention | null {
	const t = tokens[i];
	if (!t) return null;
	if (PRONOUNS.has(lower(t)) && !['lui', 'eux'].includes(lower(t))) return { start: t.start, end: t.end, kind: 'pronoun' };
	const name = readName(index, tokens, i);
	if (name) return name.mention;
	if (t.text === 'L’' || t.text === "L'" || DETERMINERS.has(lower(t))) return readRole(index, tokens, i)?.mention ?? null;
	return null;
}

/**
 * The inverted subject after a cue: `», a regretté M. Lavrov.`, `» déclare à l'AFP X, …`,
 * `» s'est réjoui le président Obama à Hilliard`. Skips adverbs and one or two prepositional
 * phrases before the subject.
 */
export function findSubjectAfter(index: OffsetIndex, start: number, end: number): Mention | null {
	const tokens = withoutParentheticals(tokensIn(index, start, end));
	let i = 0;
	let skips = 0;
	while (i < tokens.length && skips < 4) {
		const t = tokens[i];
		const l = lower(t);
		if (t.text === ',' && i === 0) {
			i++;
			continue;
		}
		if (!isWord(t)) return null;
		// Adverbs: listed ones, "tout" ("tout simplement") and any -ment adverb.
		if (SKIPPABLE.has(l) || l === 'tout' || (/^\p{Ll}{3,}ment$/u.test(t.text) && !['moment', 'gouvernement', 'parlement', 'département', 'président'].includes(l))) {
			i++;
			skips++;
			continue;
		}
		if (PREPOSITIONS.has(l) && !['de', 'du', 'des'].includes(l)) {
			// Skip the prepositional phrase: preposition, determiner, one word and its capitalised continuation.
			i++;
			while (tokens[i] && DETERMINERS.has(lower(tokens[i]))) i++;
			// "à l'AFP", "sur BFM TV": an acronym run, or one word — the subject may follow at once.
			if (tokens[i] && /^[\p{Lu}\p{N}]{2,}$/u.test(tokens[i].text)) {
				while (tokens[i] && /^[\p{Lu}\p{N}]{2,}$/u.test(tokens[i].text)) i++;
			} else i++;
			skips++;
			continue;
		}
		const subject = readSubject(index, tokens, i);
		if (subject?.kind !== 'role') return subject;
		// "l'ambassadeur de France en Afghanistan, Bernard Bajolet": the name in apposition.
		let k = tokens.findIndex((t) => t.start >= subject.end);
		for (let hops = 0; k !== -1 && k < tokens.length && hops < 4 && tokens[k].text !== ','; hops++) {
			if (!isWord(tokens[k]) || PHRASE_BREAKERS.has(lower(tokens[k]))) return subject;
			k++;
		}
		const apposition = k !== -1 && tokens[k]?.text === ',' ? readName(index, tokens, k + 1) : null;
		return apposition && (!tokens[apposition.next] || /^[,.;:!?]$/u.test(tokens[apposition.next].text)) ? apposition.mention : subject;
	}
	return null;
}

/**
 * The subject before a cue, in the clause `start..end` (end = the cue's start):
 * `le chef de la diplomatie russe Sergueï Lavrov [a déclaré]`, `Nadim Houry, responsable de
 * l'organisation, [précise]`, `Il [a cependant déclaré]`, `X, le ministre …, qui [a déclaré]`.
 */
export function findSubjectBefore(index: OffsetIndex, start: number, end: number): Mention | null {
	const tokens = withoutParentheticals(tokensIn(index, start, end));
	// Drop trailing adverbs, commas and a relative "qui" (its antecedent is the subject).
	let last = tokens.length - 1;
	while (last >= 0 && (SKIPPABLE.has(lower(tokens[last])) || tokens[last].text === ',' || lower(tokens[last]) === 'qui')) last--;
	if (last < 0) return null;
	const kept = tokens.slice(0, last + 1);
	const lastToken = kept[last];
	if (PRONOUNS.has(lower(lastToken)) && !['lui', 'eux'].includes(lower(lastToken))) return { start: lastToken.start, end: lastToken.end, kind: 'pronoun' };
	if (['et', 'mais', 'puis', 'ou'].includes(lower(lastToken))) return null;
	// Comma-separated segments, last first.
	const segments: Token[][] = [[]];
	for (const t of kept) {
		if (t.text === ',' || t.text === ';' || t.text === '(' || t.text === ')') segments.push([]);
		else segments.at(-1)!.push(t);
	}
	const nonEmpty = segments.filter((segment) => segment.length);
	for (let s = nonEmpty.length - 1; s >= 0 && s >= nonEmpty.length - 3; s--) {
		const segment = nonEmpty[s];
		const names = findNames(index, segment).filter((n) => !n.governed);
		const lastName = names.at(-1);
		// A name that ends the segment, or is followed only by the role it heads.
		if (lastName && lastName.mention.end === segment.at(-1)!.end) return lastName.mention;
		if (s === nonEmpty.length - 1) {
			const startsRole = segment[0] && (DETERMINERS.has(lower(segment[0])) || segment[0].text === 'L’' || segment[0].text === "L'");
			if (startsRole && s > 0) {
				// "X, le ministre du …, qui": the role is an apposition; the name before it speaks.
				const previousNames = findNames(index, nonEmpty[s - 1]);
				const previous = previousNames.at(-1);
				if (previous && previous.mention.end === nonEmpty[s - 1].at(-1)!.end) return previous.mention;
			}
			if (startsRole) {
				const role = readRole(index, segment, 0);
				if (role && role.next >= segment.length - 1) return role.mention;
			}
			if (lastName && names.length === 1 && lastName.at === 0) return lastName.mention;
			if (!startsRole && s > 0 && !lastName) continue; // an apposition without determiner ("député touareg")
			if (!startsRole && !lastName) return null;
		} else if (lastName) {
			return lastName.mention;
		}
	}
	return null;
}

/** Drops "(UMP)", "[secrétaire général …]": a parenthesis is never the subject. */
function withoutParentheticals(tokens: Token[]): Token[] {
	const kept: Token[] = [];
	let depth = 0;
	for (const t of tokens) {
		if (t.text === '(' || t.text === '[') depth++;
		else if ((t.text === ')' || t.text === ']') && depth > 0) depth--;
		else if (depth === 0) kept.push(t);
	}
	return kept;
}

const LEADING_DATE = /^(?:\p{N}+|1er|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|[.–—-])$/u;

/**
 * The subject at the start of a sentence (for `X … : « … »` without a reporting verb, and
 * for coordinated verbs "X se dit … et pense que …"). Skips a leading adverbial ending in a comma.
 */
export function findSentenceSubject(index: OffsetIndex, start: number, end: number): Mention | null {
	const all = withoutParentheticals(tokensIn(index, start, end));
	// Wikinews leads start with a date line: "18 juillet 2012. - Le quotidien …".
	let from = 0;
	while (from < all.length && (LEADING_DATE.test(all[from].text) || (from === 0 && all[from].text === ','))) from++;
	const tokens = all.slice(from);
	const subjectAt = (i: number): Mention | null => {
		const subject = readSubject(index, tokens, i);
		if (!subject) return null;
		const next = tokens.findIndex((t) => t.start >= subject.end);
		// "Indépendant depuis 2007, …": one capitalised word before a preposition is no name.
		if (subject.kind === 'name' && i === 0 && subject.end === tokens[0].end && ((next !== -1 && PREPOSITIONS.has(lower(tokens[next]))) || /ant$/u.test(tokens[0].text))) return null;
		// "Le ministre de l'Intérieur, Manuel Valls, …": the name in apposition.
		if (subject.kind === 'role' && next !== -1 && tokens[next].text === ',') {
			const apposition = readName(index, tokens, next + 1);
			if (apposition && tokens[apposition.next]?.text === ',') return apposition.mention;
		}
		return subject;
	};
	const first = subjectAt(0);
	if (first) return first;
	// "Lors de son discours …, le premier ministre Jean-Marc Ayrault a …": after a leading adverbial.
	for (let i = 0, commas = 0; i < tokens.length && commas < 3; i++) {
		if (tokens[i].text !== ',') continue;
		commas++;
		const subject = subjectAt(i + 1);
		if (subject) return subject;
	}
	return null;
}

/**
 * Resolves a role ("le ministre russe", "le quotidien", "son complice") to the name it designates
 * earlier in the article, when an earlier apposition makes it clear: "le ministre russe des
 * Affaires étrangères Sergueï Lavrov", "Arnaud Montebourg, le ministre du …", "son complice de
 * toujours, Jean-Michel Larqué". The nearest earlier match wins; no match, no resolution.
 */
export function resolveRole(index: OffsetIndex, role: Mention, before: number): Mention | null {
	const roleTokens = tokensIn(index, role.start, role.end).filter(isWord);
	const content = roleTokens.slice(1).map((t) => t.text);
	if (!content.length) return null;
	const keys = [content.join(' ')];
	if (content.length > 2) keys.push(content.slice(0, 2).join(' '));
	if (content.length === 2 && !['de', 'du', 'des'].includes(content[1])) keys.push(content.join(' '));
	if (content.length === 1) keys.push(content[0]);
	const text = index.slice(0, before);
	for (const key of keys) {
		const pattern = new RegExp(`(?<![\\p{L}])${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+').replace(/['’]/g, "['’]")}(?![\\p{L}])`, 'giu');
		const hits = [...text.matchAll(pattern)].reverse();
		for (const hit of hits) {
			// `text` is a prefix of the document, so its UTF-16 indexes are the document's.
			const hitStart = index.toCodePoint(hit.index!);
			const hitEnd = index.toCodePoint(hit.index! + hit[0].length, 'ceil');
			if (hitStart >= role.start && hitStart < role.end) continue;
			// The occurrence must itself be a role phrase ("le ministre …", "son complice …"),
			// not a complement ("des députés de l'opposition").
			const lead = tokensIn(index, Math.max(0, hitStart - 30), hitStart);
			const det = lead.at(-1);
			if (!det || !(DETERMINERS.has(lower(det)) || det.text === 'L’' || det.text === "L'")) continue;
			const governor = lead.at(-2);
			if (governor && ['de', 'du', 'des', "d'", 'd’'].includes(lower(governor))) continue;
			// A name within the next few words, in the same sentence ("… des Affaires étrangères Sergueï Lavrov").
			const after = tokensIn(index, hitEnd, Math.min(before, hitEnd + 80));
			for (let i = 0, words = 0, sawGoverned = false; i < after.length && words < 7; i++) {
				const t = after[i];
				if (/^[.;:!?«»]$/u.test(t.text)) break;
				// "le rapport final du BEA, le Bureau …": past a complement name, a comma ends the role.
				if (t.text === ',' && sawGoverned) break;
				if (isWord(t)) words++;
				const prev = after[i - 1];
				const governed = prev && PREPOSITIONS.has(lower(prev));
				const governedByDet = prev && DETERMINERS.has(lower(prev)) && after[i - 2] && PREPOSITIONS.has(lower(after[i - 2]));
				if (isCapitalised(t) && (governed || governedByDet)) sawGoverned = true;
				if (isCapitalised(t) && !governed && !governedByDet) {
					const name = readName(index, after, i);
					if (name && (index.slice(name.mention.start, name.mention.end).includes(' ') || name.titled || words > 1)) return name.mention;
				}
			}
			// "Name, le role": the name just before the role.
			const prior = tokensIn(index, Math.max(0, hitStart - 60), hitStart);
			const tail = prior.slice(-3);
			if (tail.length >= 2 && tail.at(-2)?.text === ',' && DETERMINERS.has(lower(tail.at(-1)!))) {
				const priorTokens = prior.slice(0, -2);
				const names = findNames(index, priorTokens);
				const lastName = names.at(-1);
				if (lastName && lastName.mention.end === priorTokens.at(-1)?.end) return lastName.mention;
			}
		}
	}
	return null;
}
