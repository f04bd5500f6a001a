// Quote, speaker and stance-cue pre-annotation for French news: pure rules over the cleaned text.
// `suggestQuotes` returns span and link drafts (code points) that the server stores in the
// machine set `rules:quotes@<QUOTE_RULES_VERSION>`; annotators accept, fix or reject them.
// The conventions the rules follow are written in docs/quote-annotation-guidelines.md.
import { OffsetIndex } from '../offsets';
import { PERSON_LABEL } from '../label-schema';
import type { LinkDraft, SpanDraft } from '../spans';
import { splitSentences, tokenizeWords } from '../tokens';
import { findQuotedRegions, isQuoteLike, withoutStrayStraightMark, type QuotedRegion } from './direct-quotes';
import {
	findSentenceSubject,
	findSubjectAfter,
	findSubjectBefore,
	readSubject,
	resolveRole,
	tokensIn,
	type Mention
} from './mentions';
import { lemmaOfCue, QUE_ONLY_LEMMAS, reportingCuePattern } from './reporting-verbs';
import {
	BARE_NEGATION_BEFORE,
	COPULA,
	flipPolarity,
	INTENSIFIER,
	NEGATION_BEFORE,
	STANCE_LEXICON,
	type StancePolarity
} from './stance-lexicon';

/** Bump whenever a rule, the verb list or the stance lexicon changes: it names the machine set. */
export const QUOTE_RULES_VERSION = '8';
export const QUOTE_RULES_PROVENANCE = `rules:quotes@${QUOTE_RULES_VERSION}`;

export interface EntityInput {
	start: number;
	end: number;
	label: string;
}

export interface QuoteSuggestions {
	spans: SpanDraft[];
	links: LinkDraft[];
}

interface Cue {
	start: number;
	end: number;
	lemma: string;
	/** "selon", "d'après", "pour": the source follows the cue. */
	source: boolean;
	/** The inverted pronoun inside the cue ("a-t-il déclaré"), code points. */
	pronoun: Mention | null;
}

interface Quote {
	start: number;
	end: number;
	kind: 'direct' | 'indirect';
	cue: Cue | null;
	speaker: Mention | null;
	/** For direct quotes: the marks included. */
	outerStart: number;
	outerEnd: number;
}

interface Range {
	start: number;
	end: number;
}

// Case-insensitive: a participle or a verb may open the sentence ("Estimant que …").
const CUE_REGEX = new RegExp(`(?<![\\p{L}\\p{N}'’-])(?:${reportingCuePattern()})(?![\\p{L}\\p{N}])`, 'giu');
const SOURCE_REGEX = /(?<![\p{L}\p{N}])(?:selon|d['’]après|pour|de\s+l['’]avis\s+de|à\s+en\s+croire)(?=\s)/giu;
const DETERMINER_BEFORE = /(?:^|[\s(])(?:le|la|les|l['’]|un|une|des|du|de|d['’]|cette|ce|ces|sa|son|ses|leur|leurs)\s*$/iu;

/**
 * Suggests direct and indirect quotes, their cues and speakers, and stance cues, for one
 * document. `entities` are the document's entity suggestions (code points; may be empty):
 * a speaker covered by one is linked to (a copy of) it, otherwise a `mention` span is made.
 */
export function suggestQuotes(text: string, entities: readonly EntityInput[], options: { personLabel?: string } = {}): QuoteSuggestions {
	const index = new OffsetIndex(text);
	const regions = findQuotedRegions(index).filter((region) => isQuoteLike(index, region));
	const sentences = quoteAwareSentences(index, regions);
	const cues = findCues(index, regions);
	const direct = attributeDirectQuotes(index, regions, sentences, cues);
	const indirect = findIndirectQuotes(index, regions, sentences, cues).map((quote) => {
		const content = withoutStrayStraightMark(index, quote.start, quote.end);
		return { ...quote, ...content, outerStart: content.start, outerEnd: content.end };
	});
	const quotes = [...direct, ...indirect].sort((a, b) => a.start - b.start);
	return buildDrafts(index, quotes, entities, sentences, options.personLabel ?? PERSON_LABEL);
}

/** Sentences of the text where the inside of each quote is opaque (no sentence ends in it). */
function quoteAwareSentences(index: OffsetIndex, regions: readonly QuotedRegion[]): Range[] {
	const chars = Array.from(index.text);
	for (const region of regions) {
		for (let i = region.outerStart; i < region.outerEnd; i++) {
			if (/[.!?…]/u.test(chars[i])) chars[i] = ',';
			else if (chars[i] === '\n') chars[i] = ' ';
		}
	}
	return splitSentences(chars.join('')).map(({ start, end }) => ({ start, end }));
}

function sentenceAt(sentences: readonly Range[], offset: number): Range {
	return sentences.find((s) => s.start <= offset && offset < s.end) ?? [...sentences].reverse().find((s) => s.start <= offset) ?? { start: 0, end: offset };
}

function inside(regions: readonly { outerStart: number; outerEnd: number }[], offset: number): boolean {
	return regions.some((r) => r.outerStart <= offset && offset < r.outerEnd);
}

function findCues(index: OffsetIndex, regions: readonly QuotedRegion[]): Cue[] {
	const cues: Cue[] = [];
	const text = index.text;
	for (const match of text.matchAll(CUE_REGEX)) {
		const start = index.toCodePoint(match.index!);
		const end = index.toCodePoint(match.index! + match[0].length, 'ceil');
		if (inside(regions, start)) continue;
		const lead = text.slice(Math.max(0, match.index! - 12), match.index!);
		// "l'annonce", "la demande" are nouns; "comme le rappelle X" is not.
		if (DETERMINER_BEFORE.test(lead) && !/comme\s+(?:le|l['’])\s*$/iu.test(lead)) continue;
		const lemma = lemmaOfCue(match[0]);
		if (!lemma) continue;
		const inverted = /-(?:t-)?(il|elle|ils|elles|on)(?=\s|$)/u.exec(match[0]);
		let pronoun: Mention | null = null;
		if (inverted) {
			const at = index.toCodePoint(match.index! + inverted.index + inverted[0].length - inverted[1].length);
			pronoun = { start: at, end: at + inverted[1].length, kind: 'pronoun' };
		}
		cues.push({ start, end, lemma, source: false, pronoun });
	}
	for (const match of text.matchAll(SOURCE_REGEX)) {
		const start = index.toCodePoint(match.index!);
		if (inside(regions, start)) continue;
		cues.push({ start, end: index.toCodePoint(match.index! + match[0].length, 'ceil'), lemma: match[0].toLowerCase().replace('’', "'"), source: true, pronoun: null });
	}
	return cues.sort((a, b) => a.start - b.start);
}

const SPACE_OR_COMMA = /^[\s\u00a0\u202f,—–-]*$/u;

function attributeDirectQuotes(index: OffsetIndex, regions: readonly QuotedRegion[], sentences: readonly Range[], cues: readonly Cue[]): Quote[] {
	const quotes: Quote[] = regions.map((r) => ({ start: r.start, end: r.end, kind: 'direct', cue: null, speaker: null, outerStart: r.outerStart, outerEnd: r.outerEnd }));
	quotes.forEach((quote, q) => {
		const sentence = sentenceAt(sentences, quote.outerStart);
		const endSentence = sentenceAt(sentences, Math.max(quote.outerStart, quote.outerEnd - 1));
		const nextQuote = quotes[q + 1];
		// 1. Cue right after the closing mark: « … », a regretté M. Lavrov.
		const after = cues.find((cue) => cue.start >= quote.outerEnd && SPACE_OR_COMMA.test(index.slice(quote.outerEnd, cue.start)) && (!cue.source || cue.lemma === 'selon' || cue.lemma === "d'après"));
		if (after?.source) {
			const speaker = sourceOf(index, after, endSentence)?.speaker ?? null;
			if (speaker) {
				quote.cue = after;
				quote.speaker = speaker;
				return;
			}
		} else if (after) {
			quote.cue = after;
			const limit = Math.min(endSentence.end, nextQuote ? nextQuote.outerStart : Infinity);
			quote.speaker = after.pronoun ?? findSubjectAfter(index, after.end, Math.max(after.end, limit));
			if (quote.speaker) return;
		}
		// 2. Cue earlier in the same sentence: X a déclaré : « … », X a précisé que « … », Selon X, « … ».
		const previousEnd = quotes[q - 1] && quotes[q - 1].outerEnd > sentence.start ? quotes[q - 1].outerEnd : sentence.start;
		const before = cues
			.filter((cue) => cue.start >= previousEnd && cue.end <= quote.outerStart)
			.filter((cue) => !QUE_ONLY_LEMMAS.has(cue.lemma) || /(?<![\p{L}])qu(?:e|['’])/u.test(index.slice(cue.end, quote.outerStart)))
			.reverse();
		for (const cue of before) {
			// "Estimant que « … », il vota contre": a sentence-initial participle's subject follows.
			if (/^\p{Lu}\p{Ll}+ant$/u.test(index.slice(cue.start, cue.end)) && cue.start === sentence.start) {
				const speaker = findSentenceSubject(index, quote.outerEnd, endSentence.end);
				if (speaker) {
					quote.cue = cue;
					quote.speaker = speaker;
					return;
				}
			}
			// Nearest first; a "pour" that is no source frame ("militant pour les droits") is passed over.
			const speaker = speakerOfCue(index, cue, previousEnd, sentence);
			if (speaker) {
				quote.cue = cue;
				quote.speaker = speaker;
				return;
			}
			if (!cue.source) break;
		}
		// 3. "X … : « … »" without a reporting verb: the subject of the clause before the colon.
		const lead = index.slice(previousEnd, quote.outerStart);
		if (/:\s*$/u.test(lead) && previousEnd === sentence.start) {
			const speaker = findSentenceSubject(index, sentence.start, quote.outerStart);
			if (speaker) {
				quote.speaker = speaker;
				return;
			}
		}
	});
	// 4. An inverted cue later in the sentence: « … », y compris le montant …, commente X.
	quotes.forEach((quote, q) => {
		if (quote.speaker) return;
		const sentence = sentenceAt(sentences, Math.max(quote.outerStart, quote.outerEnd - 1));
		const limit = Math.min(sentence.end, quotes[q + 1]?.outerStart ?? Infinity);
		for (const cue of cues.filter((c) => !c.source && c.start > quote.outerEnd && c.end <= limit)) {
			if (!/,[\s\u00a0]*$/u.test(index.slice(quote.outerEnd, cue.start))) continue;
			const speaker = cue.pronoun ?? findSubjectAfter(index, cue.end, limit);
			if (speaker && speaker.kind !== 'pronoun' || cue.pronoun) {
				quote.cue = cue;
				quote.speaker = speaker;
				return;
			}
		}
	});
	// 5. A quote sharing its sentence with an attributed later quote (« … », la question est de
	//    savoir « … » affirme-t-il), or opening a sentence right after an attributed quote.
	for (let q = quotes.length - 1; q >= 0; q--) {
		const quote = quotes[q];
		if (quote.speaker) continue;
		const next = quotes[q + 1];
		if (next?.speaker && sentenceAt(sentences, next.outerStart).start === sentenceAt(sentences, quote.outerStart).start) {
			quote.speaker = next.speaker;
			quote.cue = next.cue;
		}
	}
	quotes.forEach((quote, q) => {
		if (quote.speaker || q === 0) return;
		const previous = quotes[q - 1];
		const sentence = sentenceAt(sentences, quote.outerStart);
		const opensSentence = SPACE_OR_COMMA.test(index.slice(sentence.start, quote.outerStart));
		const previousSentence = sentenceAt(sentences, Math.max(0, sentence.start - 1));
		const gap = index.slice(previous.outerEnd, quote.outerStart);
		const closeBy = previousSentence.start <= previous.outerStart || /^[\s\u00a0\u202f.,;]*$/u.test(gap);
		if (previous.speaker && opensSentence && closeBy && gap.split('\n').length <= 3) {
			quote.speaker = previous.speaker;
		}
	});
	// 6. A partial quote inside a sentence with no reporting verb ("Bruxelles a salué … à « … »"):
	//    the subject of the sentence, the usual speaker of an embedded quote.
	quotes.forEach((quote, q) => {
		if (quote.speaker) return;
		// A quote that starts where the one before ends (an OCR page's lost paragraph break:
		// `…des Allemands.« Aujourd'hui …`) is not embedded in a sentence: the sentence before it
		// is the other quote's text, where no speaker is.
		if (q > 0 && quotes[q - 1].outerEnd >= quote.outerStart) return;
		const sentence = sentenceAt(sentences, quote.outerStart);
		if (SPACE_OR_COMMA.test(index.slice(sentence.start, quote.outerStart))) return;
		// The clause holding the quote: after a subordinator ("…, lorsque le pape X l'a nommé « … »").
		const lead = index.slice(sentence.start, quote.outerStart);
		const subordinator = [...lead.matchAll(/(?<![\p{L}])(?:lorsque|lorsqu['’]|quand|puisque|car|tandis que|alors que)\s+/giu)]
			.filter((m) => !lead.slice(m.index!).includes(','))
			.at(-1);
		const clauseStart = subordinator ? sentence.start + Array.from(lead.slice(0, subordinator.index! + subordinator[0].length)).length : sentence.start;
		const subject = (clauseStart > sentence.start ? findSentenceSubject(index, clauseStart, quote.outerStart) : null) ?? findSentenceSubject(index, sentence.start, quote.outerStart);
		if (subject && subject.kind !== 'pronoun') quote.speaker = subject;
	});
	return quotes;
}

/** The speaker a cue points to: the subject before a verb, or the source after "selon". */
function speakerOfCue(index: OffsetIndex, cue: Cue, clauseStart: number, sentence: Range): Mention | null {
	if (cue.source) return sourceOf(index, cue, sentence)?.speaker ?? null;
	if (cue.pronoun) return cue.pronoun;
	const lead = index.slice(clauseStart, cue.start);
	// "comme le rappelle HRW, « … »": the subject follows the verb.
	if (/(?:^|[\s,])comme\s+(?:le\s+|l['’])?$/iu.test(lead)) return findSubjectAfter(index, cue.end, sentence.end);
	if (/^\s*(?:en\s+)?\p{Ll}+ant\b/u.test(index.slice(cue.start, cue.end)) || /(?:^|\s)(?:et|mais|puis)\s*$/u.test(lead)) {
		// The subject of the clause: after a colon or semicolon ("La nuit fut chaude : Météo France a …").
		const sentenceLead = index.slice(sentence.start, cue.start);
		const boundary = Math.max(sentenceLead.lastIndexOf(':'), sentenceLead.lastIndexOf(';'));
		const clauseStart = boundary === -1 ? sentence.start : sentence.start + Array.from(sentenceLead.slice(0, boundary + 1)).length;
		return findSentenceSubject(index, clauseStart, cue.start);
	}
	return findSubjectBefore(index, clauseStart, cue.start) ?? (clauseStart > sentence.start ? null : findSentenceSubject(index, sentence.start, cue.start));
}

/** Heads of "selon X" phrases that are references, not sources of speech ("d'après le droit international"). */
const NOT_SOURCES = new Set(['droit', 'loi', 'lois', 'règle', 'règles', 'règlement', 'article', 'principe', 'usage', 'tradition', 'coutume', 'calendrier', 'modèle', 'plan', 'méthode', 'cas',
	// "selon" meaning "depending on": selon les cas, les juridictions, les régions …
	'juridictions', 'régions', 'pays', 'saisons', 'âge', 'années', 'besoins', 'circonstances', 'modalités', 'endroits', 'périodes',
	// "pour l'instant", "pour la première fois": time, not a source; myths are not speakers.
	'instant', 'moment', 'heure', 'première', 'fois', 'part', 'mythologie', 'légende', 'légendes']);

interface Source {
	speaker: Mention | null;
	/** Where the reported content starts when the source is followed by a comma. */
	contentStart: number | null;
}

/** "Selon X, …", "D'après V. Sapounov, …", "Pour l'organisation …, …", "… selon un sondage". */
function sourceOf(index: OffsetIndex, cue: Cue, sentence: Range): Source | null {
	const tokens = tokensIn(index, cue.end, sentence.end);
	const first = tokens[0];
	if (!first) return null;
	const word = cue.lemma;
	if (word === 'pour') {
		// Only a sentence-initial "Pour X, …" with X a name, a determiner phrase or a pronoun.
		if (!/^[\s\u00a0]*(?:(?:mais|et|or|donc|cependant)\s*,?\s*)?$/iu.test(index.slice(sentence.start, cue.start))) return null;
	}
	// "Selon les différentes académies" is distributive ("depending on"), not a source.
	if (/^(?:les\s+)?différent(?:e|s|es)?$/iu.test(tokens.slice(0, 2).map((t) => t.text).join(' ')) || /^différent/iu.test(tokens[1]?.text ?? '')) return null;
	// "Pour les 10 % de la population, …" is a scope, not a source.
	if (word === 'pour' && tokens.slice(0, 3).some((t) => /^[\p{N}%]/u.test(t.text))) return null;
	let speaker: Mention | null;
	// "selon d'autres témoignages": the source starts at "autres".
	if (/^d['’]$/iu.test(first.text) && tokens[1]?.text === 'autres') tokens.shift();
	if (['lui', 'elle', 'eux', 'elles'].includes(first.text.toLowerCase())) speaker = { start: first.start, end: first.end, kind: 'pronoun' };
	else speaker = readSubject(index, tokens, 0);
	if (!speaker) return null;
	const comma = tokens.findIndex((t) => t.text === ',');
	const sourceEnd = comma === -1 ? tokens.length : comma;
	if (word === 'pour' && (comma === -1 || comma > 10)) return null;
	if (speaker.end > (tokens[sourceEnd - 1]?.end ?? speaker.end)) return null;
	const head = tokens.find((t) => t.start >= speaker!.start && /^\p{Ll}{3,}$/u.test(t.text) && !/^(?:les|des|une|ses|son|leur|leurs|cette|ces|plusieurs|certains|certaines|quelques)$/u.test(t.text));
	if (speaker.kind === 'role' && head && NOT_SOURCES.has(head.text)) return null;
	let contentStart: number | null = null;
	// "…, selon un sondage publié …, et beaucoup …": the source attaches to the clause before.
	const coordinated = comma !== -1 && /^(?:et|mais|ou|car|puis)$/iu.test(tokens[comma + 1]?.text ?? '');
	if (comma !== -1 && !coordinated) {
		contentStart = tokens[comma].end;
		// "Selon le président du conseil du CERN, Michel Spiro, …": the name in apposition speaks.
		const rest = tokens.slice(comma + 1);
		const apposition = readSubject(index, rest, 0);
		const nextComma = rest.findIndex((t) => t.text === ',');
		if (apposition?.kind === 'name' && speaker.kind === 'role' && nextComma !== -1 && rest[nextComma - 1]?.end === apposition.end) {
			speaker = apposition;
			contentStart = rest[nextComma].end;
		}
	}
	return { speaker, contentStart };
}

function wordCount(index: OffsetIndex, start: number, end: number): number {
	// Elided clitics (l’, d’, s’) do not count as words.
	return tokenizeWords(index.slice(start, end)).filter((t) => /[\p{L}\p{N}]{2,}|\p{N}/u.test(t.text) && !/^\p{L}['’]$/u.test(t.text)).length;
}

const CONNECTOR = /^(?:mais|et|or|donc|cependant|pourtant|toutefois|néanmoins|ainsi|en effet)\s*,?\s*/iu;

function findIndirectQuotes(index: OffsetIndex, regions: readonly QuotedRegion[], sentences: readonly Range[], cues: readonly Cue[]): Quote[] {
	const quotes: Quote[] = [];
	const text = index.text;
	const trimContent = (start: number, end: number): Range | null => {
		let s = start;
		let e = end;
		while (s < e && /[\s\u00a0\u202f,:]/u.test(index.slice(s, s + 1))) s++;
		while (e > s && /[\s\u00a0\u202f,.;:!?…—–-]/u.test(index.slice(e - 1, e))) e--;
		return e > s ? { start: s, end: e } : null;
	};
	const contentUntil = (from: number, sentence: Range): number => {
		const nextRegion = regions.find((r) => r.outerStart >= from && r.outerStart < sentence.end);
		let end = nextRegion ? nextRegion.outerStart : sentence.end;
		const semicolon = index.slice(from, end).search(/;/u);
		if (semicolon !== -1) end = from + Array.from(index.slice(from, end).slice(0, semicolon)).length;
		return end;
	};
	for (const cue of cues) {
		const sentence = sentenceAt(sentences, cue.start);
		if (cue.source) {
			const source = sourceOf(index, cue, sentence);
			if (!source?.speaker) continue;
			let content: Range | null = null;
			if (source.contentStart !== null) {
				content = trimContent(source.contentStart, contentUntil(source.contentStart, sentence));
				if (content && inside(regions, content.start)) content = null;
				// An incise ("…, ce qui a pu permettre, d'après l'opposition, à des députés …"): the
				// clause around it, from the comma before the clause.
				const lead = index.slice(sentence.start, cue.start);
				if (content && /,[\s\u00a0]*$/u.test(lead) && /^(?:de|d['’]|du|à|au|aux|par)(?![\p{L}])/iu.test(index.slice(content.start, content.end))) {
					const before = lead.replace(/,[\s\u00a0]*$/u, '');
					const clauseStart = sentence.start + Array.from(before.slice(0, before.lastIndexOf(',') + 1)).length;
					content = trimContent(clauseStart, content.end);
				}
			} else if (cue.lemma !== 'pour' && !regions.some((r) => r.outerEnd <= cue.start && SPACE_OR_COMMA.test(index.slice(r.outerEnd, cue.start)))) {
				// "…, selon un collectif": the content is the clause before (a quote right before
				// takes the source itself: « … » selon M. Houdré).
				const lead = index.slice(sentence.start, cue.start);
				const connector = CONNECTOR.exec(lead);
				content = trimContent(sentence.start + (connector ? Array.from(connector[0]).length : 0), cue.start);
			}
			if (!content || !isClause(index, content, regions)) continue;
			if (regions.some((r) => r.outerStart <= content!.start && content!.end <= r.outerEnd)) continue;
			quotes.push({ ...content, kind: 'indirect', cue, speaker: source.speaker, outerStart: content.start, outerEnd: content.end });
			continue;
		}
		// A verb cue followed (within a short complement) by que / qu'.
		const from = index.toUtf16(cue.end);
		const tail = text.slice(from, from + 60);
		const que = /^(?:[^.!?;:«»“”"\n]{0,40}?)(?<![\p{L}])(?:que(?![\p{L}])|qu['’])/u.exec(tail);
		if (!que) {
			const inverted = invertedReport(index, cue, sentence, regions);
			// One report per sentence: "X, indique une analyse …, a annoncé Y" is one content.
			if (inverted && !quotes.some((q) => q.start < inverted.end && inverted.start < q.end)) quotes.push(inverted);
			continue;
		}
		// "alors qu'", "bien que", "parce que": a conjunction, not the verb's complement.
		if (/(?:^|\s)(?:alors|bien|parce|tandis|ainsi|avant|après|pendant|dès|sans|pour|afin|sorte|tant|lors|puis|quoi)\s*$/iu.test(que[0].replace(/(?:que|qu['’])$/u, ''))) continue;
		// "ne … que" is restrictive ("ne rapporteront que 3 milliards").
		if (/(?:^|\s)(?:ne|n['’])\s*(?:\S+\s+)?$/iu.test(text.slice(Math.max(0, index.toUtf16(cue.start) - 20), index.toUtf16(cue.start)))) continue;
		const contentStart = index.toCodePoint(from + que[0].length);
		const content = trimContent(contentStart, contentUntil(contentStart, sentence));
		if (!content || inside(regions, content.start) || !isClause(index, content, regions)) continue;
		const clauseStart = Math.max(sentence.start, ...regions.filter((r) => r.outerEnd <= cue.start && r.outerEnd > sentence.start).map((r) => r.outerEnd));
		quotes.push({ ...content, kind: 'indirect', cue, speaker: speakerOfCue(index, cue, clauseStart, sentence), outerStart: content.start, outerEnd: content.end });
	}
	return quotes;
}

/**
 * Reported content worth a span: three words or more, not starting with a preposition ("de
 * l'emprisonnement à vie" after "selon les juridictions"), and not just a noun phrase in
 * apposition before a colon ("Pour X, son secrétaire général : « … »").
 */
function isClause(index: OffsetIndex, content: Range, regions: readonly QuotedRegion[]): boolean {
	if (wordCount(index, content.start, content.end) < 3) return false;
	if (/^(?:de|d['’]|du|à|au|aux|par)(?![\p{L}])/iu.test(index.slice(content.start, content.end))) return false;
	const quoteAfter = regions.find((r) => r.outerStart >= content.end && /^[\s\u00a0\u202f,:;.]*$/u.test(index.slice(content.end, r.outerStart)));
	if (quoteAfter && /:/u.test(index.slice(content.end, quoteAfter.outerStart))) {
		const tokens = tokensIn(index, content.start, content.end);
		const subject = readSubject(index, tokens, 0);
		if (subject && subject.end === content.end) return false;
	}
	return true;
}

/**
 * Reported content before an inverted cue, without "que": "Les journalistes sont en sécurité,
 * a indiqué leur direction." (content = the clause before the comma), or an incise: "Contrairement
 * aux discours, appuie-t-il, le français est …" (content = the whole sentence).
 */
function invertedReport(index: OffsetIndex, cue: Cue, sentence: Range, regions: readonly QuotedRegion[]): Quote | null {
	const cueText = index.slice(cue.start, cue.end);
	if (QUE_ONLY_LEMMAS.has(cue.lemma) || /^(?:se\s|s['’]|en\s)|ant$/iu.test(cueText)) return null;
	const lead = index.slice(sentence.start, cue.start);
	if (!/,[\s\u00a0]*$/u.test(lead)) return null;
	// A quote in the sentence: only a partial quote closing the content, whose attribution this
	// cue also is ("X est mort « des suites d'une longue maladie », a révélé son avocate").
	const inSentence = regions.filter((r) => r.outerStart >= sentence.start && r.outerStart < sentence.end);
	const partial =
		inSentence.length === 1 &&
		/^[\s\u00a0]*,[\s\u00a0]*$/u.test(index.slice(inSentence[0].outerEnd, cue.start)) &&
		!/:[\s\u00a0]*$/u.test(index.slice(sentence.start, inSentence[0].outerStart))
			? inSentence[0]
			: null;
	if (inSentence.length && !partial) return null;
	if (!partial && /[»”"][\s\u00a0]*,[\s\u00a0]*$/u.test(lead)) return null;
	const speaker = cue.pronoun ?? findSubjectAfter(index, cue.end, sentence.end);
	if (!speaker) return null;
	const afterSubject = index.slice(Math.max(cue.end, speaker.end), sentence.end);
	// The inverted subject closes the clause, with at most a short complement: "…, a indiqué leur
	// direction.", "…, a révélé son avocate à l'AFP," — not "…, a confirmé ces incidents à
	// Ajdabiya et un autre à Jalo …" (an object).
	if (!cue.pronoun && !/^[\s\u00a0]*(?:(?:à|au|aux|sur|dans|devant|lors|en|par|depuis|chez)\s[^,.;]{0,25})?(?:[,.;!?…]|$)/u.test(afterSubject)) return null;
	const incise = /^[^,.]{0,40},/u.test(afterSubject) && cue.pronoun !== null && !partial;
	const contentEnd = partial ? partial.outerStart : incise ? sentence.end : cue.start;
	let end = contentEnd;
	while (end > sentence.start && /[\s\u00a0,.;:!?…]/u.test(index.slice(end - 1, end))) end--;
	// Wikinews leads open with a dateline: "31 octobre 2012. - ".
	const dateline = /^\d{1,2}(?:er)?\s+\p{L}+\s+\d{4}[^-–—]{0,20}[-–—]\s*/u.exec(index.slice(sentence.start, end));
	const content = { start: sentence.start + (dateline ? Array.from(dateline[0]).length : 0), end };
	if (!isClause(index, content, regions)) return null;
	// "Un haut responsable de Tripoli, a confirmé …": a subject with a stray comma, not content.
	const bare = readSubject(index, tokensIn(index, content.start, content.end), 0);
	if (bare && bare.end === content.end) return null;
	return { ...content, kind: 'indirect', cue, speaker, outerStart: content.start, outerEnd: content.end };
}

/** `personLabel`: the project's person label (PER unless renamed), preferred as the speaker entity. */
function buildDrafts(index: OffsetIndex, quotes: readonly Quote[], entities: readonly EntityInput[], sentences: readonly Range[], personLabel: string): QuoteSuggestions {
	const spans: SpanDraft[] = [];
	const links: LinkDraft[] = [];
	const byKey = new Map<string, number>();
	const add = (draft: Omit<SpanDraft, 'origin' | 'provenance'>): number => {
		const key = `${draft.layer}:${draft.start}:${draft.end}:${draft.label}`;
		const known = byKey.get(key);
		if (known !== undefined) return known;
		byKey.set(key, spans.length);
		spans.push({ ...draft, origin: 'rules', provenance: QUOTE_RULES_PROVENANCE, score: null });
		return spans.length - 1;
	};
	const entityAt = (mention: Range): EntityInput | undefined =>
		entities
			.filter((e) => e.start < mention.end && mention.start < e.end)
			.sort((a, b) => Number(b.label === personLabel) - Number(a.label === personLabel) || (b.end - b.start) - (a.end - a.start))[0];
	const speakerSpan = (mention: Mention, quoteStart: number): number => {
		let target: Range = mention;
		if (mention.kind === 'role') target = resolveRole(index, mention, quoteStart) ?? mention;
		const entity = entityAt(target);
		if (entity) return add({ layer: 'entity', start: entity.start, end: entity.end, label: entity.label, attributes: { copiedFrom: 'entity-suggestions' } });
		return add({ layer: 'mention', start: target.start, end: target.end, label: 'MENTION', attributes: {} });
	};
	const quoteIndexes: { quote: Quote; span: number; speaker: number | null }[] = [];
	for (const quote of quotes) {
		const span = add({ layer: 'quote', start: quote.start, end: quote.end, label: 'QUOTE', attributes: { kind: quote.kind } });
		let speaker: number | null = null;
		if (quote.cue) {
			const cue = add({ layer: 'cue', start: quote.cue.start, end: quote.cue.end, label: 'CUE', attributes: {} });
			links.push({ kind: 'cue', from: span, to: cue });
		}
		if (quote.speaker) {
			speaker = speakerSpan(quote.speaker, quote.outerStart);
			links.push({ kind: 'speaker', from: span, to: speaker });
		}
		quoteIndexes.push({ quote, span, speaker });
	}
	suggestStances(index, quoteIndexes, entities, sentences, add, links);
	return { spans, links };
}

const STANCE_REGEX = new RegExp(
	STANCE_LEXICON.map((entry, i) => {
		const prefix = entry.kind === 'adjective' ? COPULA + INTENSIFIER : '';
		return `(?<e${i}>${prefix}(?:${entry.pattern}))`;
	}).join('|'),
	'giu'
);

function suggestStances(
	index: OffsetIndex,
	quotes: readonly { quote: Quote; span: number; speaker: number | null }[],
	entities: readonly EntityInput[],
	sentences: readonly Range[],
	add: (draft: Omit<SpanDraft, 'origin' | 'provenance'>) => number,
	links: LinkDraft[]
): void {
	const text = index.text;
	for (const match of text.matchAll(STANCE_REGEX)) {
		const before = text.slice(Math.max(0, match.index! - 1), match.index!);
		const afterChar = text.charAt(match.index! + match[0].length);
		if (/[\p{L}\p{N}]/u.test(before) || /[\p{L}\p{N}]/u.test(afterChar)) continue;
		const entryIndex = Number(Object.entries(match.groups!).find(([, value]) => value !== undefined)![0].slice(1));
		const entry = STANCE_LEXICON[entryIndex];
		let startUnit = match.index!;
		const endUnit = match.index! + match[0].length;
		let polarity: StancePolarity = entry.polarity;
		const window = text.slice(Math.max(0, startUnit - 50), startUnit);
		const negation = NEGATION_BEFORE.exec(window) ?? BARE_NEGATION_BEFORE.exec(window);
		if (negation) {
			polarity = flipPolarity(polarity);
			startUnit = startUnit - window.length + negation.index + (negation[0].length - negation[0].trimStart().length);
		}
		const start = index.toCodePoint(startUnit);
		const end = index.toCodePoint(endUnit, 'ceil');
		const stance = add({ layer: 'stance', start, end, label: 'STANCE', attributes: { polarity } });
		// Holder: the speaker of the quote it sits in (or whose sentence it shares), else the article.
		const sentence = sentenceAt(sentences, start);
		const holder =
			quotes.find(({ quote }) => quote.start <= start && end <= quote.end) ??
			quotes.find(({ quote }) => quote.cue && sentenceAt(sentences, quote.cue.start).start === sentence.start && quote.kind === 'direct' && quote.start <= start && start < quote.end + 200);
		if (holder?.speaker != null) links.push({ kind: 'holder', from: stance, to: holder.speaker });
		else links.push({ kind: 'holder', from: stance, to: null, toName: 'article' });
		if (entry.targetAfter) {
			const target = entities.find((e) => e.start >= end && e.start - end <= 25 && e.start < sentence.end && !/[,.;:]/u.test(index.slice(end, e.start)));
			if (target) {
				const targetSpan = add({ layer: 'entity', start: target.start, end: target.end, label: target.label, attributes: { copiedFrom: 'entity-suggestions' } });
				links.push({ kind: 'target', from: stance, to: targetSpan });
			}
		}
	}
}
