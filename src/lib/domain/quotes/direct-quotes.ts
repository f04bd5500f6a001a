// Direct quotes: text between quotation marks, in code points of the cleaned text.
//
// Marks: « … » (with a space, NBSP U+00A0, narrow NBSP U+202F or nothing inside), “ … ”, „ … ”,
// " … " (straight) and ‹ … › (only ever nested), each pair within a paragraph. A quote over several
// paragraphs re-opens each following paragraph with its opening mark (« " “ „) and closes only at
// the end: one span.
// A straight " that never closes opens no quote, and is left out of any span it starts or ends.
// A « that never closes lost its »: closed at the end of its paragraph if near, else of its sentence.
// On a page-long paragraph (OCR pages have no line breaks) a « after a determiner that never
// closes is a title, and a « right after a full stop inside an open quote re-opens a paragraph.
// Nested quotes stay inside the outer one; only the outermost region is a quote.
//
// Not every quoted stretch is a quote: single words, terms, nicknames and titles of works
// (« Tsar », « Le Monde », « Join », l’« abominable homme des neiges »), and titles announced as
// such (`conférence sur : « … »`, `10 h. « … », par M. X`) are skipped by `isQuoteLike` (see
// docs/quote-annotation-guidelines.md, "What is a direct quote").
import type { OffsetIndex } from '../offsets';
import { splitSentences, tokenizeWords, type Sentence } from '../tokens';

export interface QuotedRegion {
	/** Content, marks and the spaces inside them excluded (code points). */
	start: number;
	end: number;
	/** From the opening mark to the closing mark, inclusive of both (code points). */
	outerStart: number;
	outerEnd: number;
	/** Paragraphs the quote runs over (1 for most). */
	paragraphs: number;
}

/** Spaces that may sit inside the marks: space, NBSP, narrow NBSP, thin space, tab. */
export const INNER_SPACE = /[ \u00a0\u202f\u2009\t]/u;

const CLOSING: Record<string, string> = { '«': '»', '“': '”', '„': '”', '‹': '›' };

interface Candidate {
	open: number;
	close: number;
	paragraphs: number;
}

/** Finds every outermost quoted region of `text` (quote-like or not), in code points. */
export function findQuotedRegions(index: OffsetIndex): QuotedRegion[] {
	const chars = Array.from(index.text);
	let sentences: Sentence[] | null = null;
	const sentenceEndAfter = (at: number) => (sentences ??= splitSentences(index.text, index)).find((s) => s.end > at)?.end ?? chars.length;
	const candidates: Candidate[] = [...pairGuillemets(chars, sentenceEndAfter), ...pairCurly(chars), ...pairStraight(chars)];
	candidates.sort((a, b) => a.open - b.open || b.close - a.close);
	const outermost: Candidate[] = [];
	for (const candidate of candidates) {
		const last = outermost.at(-1);
		if (last && candidate.open < last.close) continue; // nested in (or tangled with) the previous one
		outermost.push(candidate);
	}
	const regions: QuotedRegion[] = [];
	for (const { open, close, paragraphs } of outermost) {
		let start = open + 1;
		let end = close;
		while (start < end && INNER_SPACE.test(chars[start])) start++;
		while (end > start && /\s/u.test(chars[end - 1])) end--;
		({ start, end } = withoutStrayStraightMark(index, start, end));
		if (end > start) regions.push({ start, end, outerStart: open, outerEnd: close + 1, paragraphs });
	}
	return regions;
}

/**
 * A quote's content without a straight " at its edge that nothing in it pairs with: a mark, like
 * the « before it, not a word of the quote (a doubled opening mark, or a nested quote whose
 * closing mark the scrape lost: « "ce n'est que … courrier », or a reported clause opening on a
 * " that never closes). A stray mark further in stays: a span cannot skip it.
 */
export function withoutStrayStraightMark(index: OffsetIndex, start: number, end: number): { start: number; end: number } {
	const content = index.slice(start, end);
	if ((content.match(/"/gu)?.length ?? 0) % 2 === 0) return { start, end };
	if (content.startsWith('"')) {
		const skipped = /^"[\s\u00a0\u202f\u2009]*/u.exec(content)![0];
		return { start: start + Array.from(skipped).length, end };
	}
	if (content.endsWith('"')) {
		const skipped = /[\s\u00a0\u202f\u2009]*"$/u.exec(content)![0];
		return { start, end: end - Array.from(skipped).length };
	}
	return { start, end };
}

/**
 * How far from its « a quote whose » was lost may run to the end of its paragraph, in code points:
 * about the longest quotes in news paragraphs (the longest closed ones in the articles we have are
 * 400 to 600). Further than that the paragraph is likely a whole OCR page, where running to its end
 * would make one quote of the rest of the page.
 */
const LONGEST_UNCLOSED_QUOTE = 600;

/**
 * « … » pairs, and the French multi-paragraph convention (« re-opens each paragraph). A « left open
 * at the end of its paragraph (or of the text) lost its »: it is closed at the end of the
 * paragraph when that is near (`LONGEST_UNCLOSED_QUOTE`), else at the end of the sentence it
 * opens; when that sentence too runs further (glued OCR text makes one sentence of many), or,
 * in a page-long paragraph, the « follows a determiner (a title that lost its »), nothing
 * delimits a quote and it opens none. In a page-long paragraph a « right after a full stop while
 * a quote is open is a paragraph break the page lost: the open quote is closed there as at a
 * paragraph's end. `sentenceEndAfter(at)` is where the sentence holding `at` ends.
 */
function pairGuillemets(chars: string[], sentenceEndAfter: (at: number) => number): Candidate[] {
	const found: Candidate[] = [];
	// `reopened`: the « that opens the quote's last paragraph so far (`at` for the first).
	const stack: { mark: string; at: number; reopened: number; paragraphs: number }[] = [];
	// The paragraph being read: whether it is page-long decides how a lost » is read.
	const paragraphEndFrom = (start: number) => {
		const end = chars.indexOf('\n', start);
		return end === -1 ? chars.length : end;
	};
	let pageLong = paragraphEndFrom(0) > LONGEST_UNCLOSED_QUOTE;
	const startParagraph = (start: number) => {
		pageLong = paragraphEndFrom(start) - start > LONGEST_UNCLOSED_QUOTE;
	};
	/** Closes the open « that lost its »: at `paragraphEnd` when near (the paragraph's end, or a lost paragraph break). */
	const closeUnclosed = (paragraphEnd: number) => {
		if (!stack.length || stack[0].mark !== '«') return;
		const { at, reopened, paragraphs } = stack[0];
		const trimmedBefore = (end: number) => {
			while (end > reopened && /\s/u.test(chars[end - 1])) end--;
			return end;
		};
		// A name or title after a determiner (`le « Daily Herald`) lost its », not a quote: so in
		// a page-long paragraph, where that is likelier than a partial quote that lost its », and
		// where the « may sit near the page's end (`par le « DroitTous nos amis…` would otherwise
		// run on through the next notices).
		if (pageLong && at === reopened && DETERMINERS.test(chars.slice(Math.max(0, at - 24), at).join('').replace(/[\u00a0\u202f]/gu, ' '))) return;
		let end = trimmedBefore(paragraphEnd);
		if (end - reopened > LONGEST_UNCLOSED_QUOTE) {
			let content = reopened + 1;
			while (content < end && /\s/u.test(chars[content])) content++;
			end = Math.min(sentenceEndAfter(content), paragraphEnd);
			// The sentence segmenter leaves the « that opens the next sentence at the end of this one.
			while (end > content && /[\s«“„‹]/u.test(chars[end - 1])) end--;
			if (end - reopened > LONGEST_UNCLOSED_QUOTE) return;
		}
		found.push({ open: at, close: end, paragraphs });
	};
	for (let i = 0; i < chars.length; i++) {
		const c = chars[i];
		if (c === '\n') {
			// A paragraph ends: an open quote survives only if the next paragraph re-opens with «.
			let j = i;
			while (j < chars.length && /\s/u.test(chars[j])) j++;
			const reopens = chars[j] === '«';
			if (stack.length && reopens && stack[0].mark === '«') {
				stack.splice(1);
				stack[0].paragraphs++;
				stack[0].reopened = j;
				startParagraph(j);
				i = j; // skip the re-opening mark: it belongs to the same quote
				continue;
			}
			closeUnclosed(i);
			stack.length = 0;
			startParagraph(i + 1);
			continue;
		}
		if (c === '«' && pageLong && stack.length && stack[0].mark === '«' && followsSentenceEnd(chars, i)) {
			// A page that lost its line breaks (OCR) still re-opens each paragraph of a quote with «:
			// `…aux mains des Allemands.« Aujourd'hui que…`. A « right after a full stop inside an
			// open quote marks a lost paragraph break, not a nested quote: the open quote ends there
			// (as at a paragraph's end), and this « opens the next one.
			closeUnclosed(i);
			stack.length = 0;
		}
		if (c === '«' || c === '‹') stack.push({ mark: c, at: i, reopened: i, paragraphs: 1 });
		else if (c === '»' || c === '›') {
			const wanted = c === '»' ? '«' : '‹';
			const at = stack.map((entry) => entry.mark).lastIndexOf(wanted);
			if (at !== -1) {
				const opened = stack[at];
				stack.splice(at);
				if (opened.mark === '«') found.push({ open: opened.at, close: i, paragraphs: opened.paragraphs });
			}
		}
	}
	closeUnclosed(chars.length);
	return found;
}

/** Whether the mark at `i` comes right after a sentence's final punctuation (spaces between). */
function followsSentenceEnd(chars: string[], i: number): boolean {
	let j = i - 1;
	while (j >= 0 && INNER_SPACE.test(chars[j])) j--;
	return j >= 0 && /[.!?…]/u.test(chars[j]);
}

/**
 * Where the paragraph after the line break at `i` starts, when it starts with an opening mark
 * (`isOpening(j)`): the convention of quotes over several paragraphs, « ", “ or „ re-opening each
 * one. -1 when it does not.
 */
function reopeningMarkAfter(chars: string[], i: number, isOpening: (j: number) => boolean): number {
	let j = i;
	while (j < chars.length && /\s/u.test(chars[j])) j++;
	return j < chars.length && isOpening(j) ? j : -1;
}

/** “ … ” and „ … ” pairs within a paragraph, or over several that each re-open with “ or „. */
function pairCurly(chars: string[]): Candidate[] {
	const found: Candidate[] = [];
	let open: { at: number; paragraphs: number } | null = null;
	for (let i = 0; i < chars.length; i++) {
		const c = chars[i];
		if (c === '\n') {
			const reopening = open === null ? -1 : reopeningMarkAfter(chars, i, (j) => chars[j] === '“' || chars[j] === '„');
			if (open !== null && reopening !== -1) {
				open.paragraphs++;
				i = reopening; // skip the re-opening mark: it belongs to the same quote
			} else open = null;
		} else if ((c === '“' || c === '„') && open === null) open = { at: i, paragraphs: 1 };
		else if (c === CLOSING['“'] && open !== null) {
			found.push({ open: open.at, close: i, paragraphs: open.paragraphs });
			open = null;
		}
	}
	return found;
}

/**
 * Straight " pairs: an opener is followed by a letter, a closer preceded by one. A pair lies within
 * a paragraph, except in the convention « follows (French and English alike): a quote over several
 * paragraphs re-opens each following one with " and closes only at the end, one span. An open "
 * that the next paragraph does not re-open is dropped: it opens no quote.
 */
function pairStraight(chars: string[]): Candidate[] {
	const found: Candidate[] = [];
	let open: { at: number; paragraphs: number } | null = null;
	for (let i = 0; i < chars.length; i++) {
		const c = chars[i];
		if (c === '\n') {
			const reopening = open === null ? -1 : reopeningMarkAfter(chars, i, (j) => chars[j] === '"' && j + 1 < chars.length && !/\s/u.test(chars[j + 1]));
			if (open !== null && reopening !== -1) {
				open.paragraphs++;
				i = reopening; // skip the re-opening mark: it belongs to the same quote
			} else open = null;
			continue;
		}
		if (c !== '"') continue;
		const before = chars[i - 1] ?? ' ';
		const after = chars[i + 1] ?? ' ';
		const canOpen = !/\s/u.test(after) && (/[\s(«\[—–-]/u.test(before) || i === 0);
		const canClose = !/\s/u.test(before);
		if (open !== null && canClose) {
			found.push({ open: open.at, close: i, paragraphs: open.paragraphs });
			open = null;
		} else if (canOpen) open = { at: i, paragraphs: 1 };
	}
	return found;
}

const DETERMINERS = /(?:^|[\s(])(?:le|la|les|l['’]|un|une|des|du|au|aux|ce|cet|cette|son|sa|ses|leur|leurs|dite?s?|intitulée?s?|surnommée?s?|baptisée?s?|appelée?s?|nommée?s?|titre|titré|roman|livre|film|journal|quotidien|hebdomadaire|magazine|opération|plan|loi|programme|émission|chanson|album|thème|thèmes|rapport|étude|ouvrage|exposition|campagne|colloque|slogan|devise|vidéo|documentaire|série|pièce|spectacle)\s*$/iu;

/**
 * What announces the title of a talk, a report or a programme item rather than words said: its
 * subject (`sur « … »`, `sur : « … »`, `le sujet suivant : « … »`), or a time in a listing
 * (`10 h. « … »`, `à 21 heures : « … »`).
 */
const TITLE_BEFORE = /(?:(?:^|[\s(,;])(?:sur|sujet\s+suivant|thème\s+suivant)|\d\s*h(?:eures?)?\.?(?:\s*\d{1,2})?)\s*:?\s*$/iu;
/** The speaker of a talk or the author of a work after its title: `« … », par M. Lorsy`, `» par Serge MOATTI`. */
const AUTHOR_AFTER = /^\s*,?\s*par\s*(?:M\.|MM\.|Mmes?\b|Mlles?\b|Me\b|Mgr\b|Dr\b|\p{Lu}\p{Ll})/u;

/**
 * A title in a listing or a talk's subject: it opens on a capital, is not a sentence ended by a
 * full stop (speech after `sur :` would be), and is announced as a subject or a time before it
 * or followed by its author (see TITLE_BEFORE, AUTHOR_AFTER). A partial quote after `sur`
 * (`insisté sur « la nécessité … »`) opens in lower case and stays a quote.
 */
function isAnnouncedTitle(index: OffsetIndex, region: QuotedRegion, content: string): boolean {
	if (!/^\p{Lu}/u.test(content) || /[.…]$/u.test(content) || /[.!?…]\s+\p{Lu}/u.test(content)) return false;
	const spaced = (text: string) => text.replace(/[\u00a0\u202f\u2009]/gu, ' ');
	const before = spaced(index.slice(Math.max(0, region.outerStart - 32), region.outerStart));
	const after = spaced(index.slice(region.outerEnd, Math.min(index.length, region.outerEnd + 16)));
	return TITLE_BEFORE.test(before) || AUTHOR_AFTER.test(after);
}

/**
 * A quoted region is a quote, rather than a term, a nickname or a title, when it has four words
 * or more, or is a short sentence (two words or more ending with . ! ? …) — unless it is a short
 * noun phrase right after a determiner or a naming word ("la loi dite « … »", "l’« … »"), a
 * short run of capitalised words (a title: « Le Monde », « Stop Online Piracy Act »), or a
 * title announced as such, whatever its length (`conférence sur : « Face à Mussolini et Hitler ! »`,
 * `10 h. « Un artiste au temps de Louis XIV », par M. Lorsy`).
 */
export function isQuoteLike(index: OffsetIndex, region: QuotedRegion): boolean {
	const content = index.slice(region.start, region.end);
	const words = tokenizeWords(content).filter((token) => /[\p{L}\p{N}]/u.test(token.text) && !/^[\p{L}]['’]$/u.test(token.text));
	const sentenceLike = /[.!?…]["”»)\]]?$/u.test(content) && words.length >= 2;
	if (words.length < 4 && !sentenceLike) return false;
	if (region.paragraphs > 1) return true;
	if (isAnnouncedTitle(index, region, content)) return false;
	const short = words.length <= 6 && !sentenceLike;
	const before = index.slice(Math.max(0, region.outerStart - 24), region.outerStart);
	if (short && DETERMINERS.test(before.replace(/[\u00a0\u202f]/gu, ' '))) return false;
	const lexical = words.filter((token) => !/^(?:de|du|des|d|la|le|les|l|et|en|à|of|the|on|and|sur|pour)$/iu.test(token.text.replace(/['’]$/u, '')));
	if (short && lexical.length > 0 && lexical.every((token) => /^[\p{Lu}\p{N}]/u.test(token.text))) return false;
	return true;
}
