// Turns the hand-written gold (test/fixtures/quotes/gold-source.ts) into corpus records with
// code-point offsets, locating each written string in the article text. Any string that cannot
// be found is an error: the gold is fixed by hand, never guessed.
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { cleanTextPage } from '../../src/lib/domain/cleaning';
import { CORPUS_SCHEMA_VERSION, OFFSET_UNIT } from '../../src/lib/domain/corpus-record';
import { OffsetIndex } from '../../src/lib/domain/offsets';
import type { GoldRecord, GoldSpan } from '../../src/lib/domain/quotes/evaluate';
import type { GoldDocument, GoldQuote } from '../../test/fixtures/quotes/gold-source';

interface Article {
	id: string;
	title: string;
	text: string;
	source: string;
}

export function readArticles(articlesFile: string, samplePage: string): Map<string, Article> {
	const articles = new Map<string, Article>();
	const lines = gunzipSync(fs.readFileSync(articlesFile)).toString('utf8').split('\n');
	for (const line of lines) {
		if (!line.trim()) continue;
		const record = JSON.parse(line) as Article;
		articles.set(record.id, record);
	}
	const page = cleanTextPage(fs.readFileSync(samplePage, 'utf8'));
	articles.set('sputnik-fr-3255db79b009ce73', { id: 'sputnik-fr-3255db79b009ce73', title: page.title, text: page.text, source: 'sputnik-fr' });
	return articles;
}

interface Found {
	start: number;
	end: number;
}

/** All occurrences of `needle` as whole words, in code points. */
function occurrences(index: OffsetIndex, needle: string): Found[] {
	const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'gu');
	return [...index.text.matchAll(pattern)].map((m) => ({ start: index.toCodePoint(m.index!), end: index.toCodePoint(m.index! + m[0].length) }));
}

function locateQuote(index: OffsetIndex, doc: string, quote: GoldQuote): Found {
	const [head, tail] = quote.quote.split(' … ');
	const starts = occurrences(index, head);
	const first = starts[(quote.nth ?? 1) - 1];
	if (!first) throw new Error(`${doc}: quote "${head}" not found`);
	if (tail === undefined) return first;
	const end = occurrences(index, tail).find((o) => o.start >= first.end);
	if (!end) throw new Error(`${doc}: quote end "${tail}" not found after "${head}"`);
	return { start: first.start, end: end.end };
}

function distance(a: Found, b: Found): number {
	if (a.end <= b.start) return b.start - a.end;
	if (b.end <= a.start) return a.start - b.end;
	return Infinity; // inside the quote: never the speaker or cue
}

function locateNear(index: OffsetIndex, doc: string, written: string, near: Found): Found {
	const [context, target] = written.includes('|') ? written.split('|') : [written, written];
	const all = occurrences(index, context);
	const outside = all.filter((o) => distance(o, near) !== Infinity);
	// Outside the quote, nearest first; inside only for an incise ("…, d'après l'opposition, …").
	const best = outside.sort((a, b) => distance(a, near) - distance(b, near))[0] ?? all[0];
	if (!best) throw new Error(`${doc}: "${context}" not found near the quote`);
	if (context === target) return best;
	const inner = occurrences(index, target).find((o) => o.start >= best.start && o.end <= best.end);
	if (!inner) throw new Error(`${doc}: "${target}" not found inside "${context}"`);
	return inner;
}

function locateReferent(index: OffsetIndex, doc: string, written: string, speaker: Found): Found {
	const all = occurrences(index, written);
	const earlier = all.filter((o) => o.end <= speaker.start).at(-1);
	const found = earlier ?? all.sort((a, b) => distance(a, speaker) - distance(b, speaker))[0];
	if (!found) throw new Error(`${doc}: referent "${written}" not found`);
	return found;
}

export function buildGold(documents: readonly GoldDocument[], articles: Map<string, Article>): (GoldRecord & Record<string, unknown>)[] {
	return documents.map((doc) => {
		const article = articles.get(doc.id);
		if (!article) throw new Error(`gold document ${doc.id} is not in the articles file`);
		const index = new OffsetIndex(article.text);
		const entities: GoldSpan[] = [];
		const mentions: GoldSpan[] = [];
		const cues: GoldSpan[] = [];
		const spanId = (list: GoldSpan[], prefix: string, found: Found, extra: Partial<GoldSpan> = {}): string => {
			const known = list.find((s) => s.start === found.start && s.end === found.end);
			if (known) return known.id;
			const id = `${prefix}${list.length + 1}`;
			list.push({ id, start: found.start, end: found.end, text: index.slice(found.start, found.end), ...extra });
			return id;
		};
		const quotes = doc.quotes.map((quote, i) => {
			const at = locateQuote(index, doc.id, quote);
			const cue = quote.cue ? spanId(cues, 'c', locateNear(index, doc.id, quote.cue, at)) : null;
			let speaker: string | null = null;
			if (quote.speaker) {
				const found = locateNear(index, doc.id, quote.speaker, at);
				if (quote.label) speaker = spanId(entities, 'e', found, { label: quote.label });
				else {
					const entity = quote.refers ? spanId(entities, 'e', locateReferent(index, doc.id, quote.refers, found), { label: quote.refersLabel ?? 'PER' }) : undefined;
					speaker = spanId(mentions, 'm', found, entity ? { entity } : {});
				}
			}
			return { id: `q${i + 1}`, start: at.start, end: at.end, text: index.slice(at.start, at.end), kind: quote.kind, cue, speaker };
		});
		return {
			schema: CORPUS_SCHEMA_VERSION,
			id: doc.id,
			title: article.title,
			text: article.text,
			source: article.source,
			offset_unit: OFFSET_UNIT,
			set: 'gold',
			status: 'done',
			entities,
			mentions,
			cues,
			quotes
		};
	});
}
