// Turns one input (a text page, or a JSONL line) into an article ready to store, or a problem
// to report with its line. Pure: the import service does the reading and the writing.
import { cleanTextPage, normaliseRecordText, type CleaningReport } from './cleaning';
import {
	describeValidationError,
	hasAnnotations,
	importRecordSchema,
	type ImportRecord
} from './corpus-record';
import { describeNormalisation } from './normalise';
import { OffsetIndex } from './offsets';
import { findSpanProblems } from './spans';
import { countWords } from './tokens';

export interface ArticleInput {
	externalId: string | null;
	title: string;
	rawText: string;
	text: string;
	source: string | null;
	url: string | null;
	publishedAt: string | null;
	meta: Record<string, unknown>;
	cleaning: CleaningReport;
	wordCount: number;
	charCount: number;
	/** Present when the record carried spans in the export format. */
	annotations: ImportRecord | null;
}

export type ParsedInput = { ok: true; article: ArticleInput } | { ok: false; message: string };

const NO_CLEANING: CleaningReport = { rules: [], dropped: [] };

/**
 * The site a scraped page came from, when its file name says so: scrapers name pages
 * `<site>-<hash of the URL>` (`sputnik-fr-3255db79b009ce73` → `sputnik-fr`). Only a long hexadecimal
 * tail with a letter in it counts as a hash, so `article-20240101` or `index` name no source.
 */
export function sourceFromFileStem(fileStem: string): string | null {
	const match = /^(.*[a-z].*?)-([0-9a-f]{12,})$/i.exec(fileStem);
	return match && /[a-f]/i.test(match[2]) ? match[1] : null;
}

/** A `.txt` page: first non-empty line is the title, boilerplate lines are dropped. */
export function articleFromTextPage(fileStem: string, raw: string): ParsedInput {
	const page = cleanTextPage(raw);
	if (page.title === '') return { ok: false, message: raw === '' ? 'the file is empty' : 'the file holds only blank lines' };
	if (page.text === '') return { ok: false, message: 'the page has no text after its title' };
	const index = new OffsetIndex(page.text);
	return {
		ok: true,
		article: {
			externalId: fileStem,
			title: page.title,
			rawText: raw,
			text: page.text,
			source: sourceFromFileStem(fileStem),
			url: null,
			publishedAt: null,
			meta: {},
			cleaning: page.report,
			wordCount: countWords(page.text),
			charCount: index.length,
			annotations: null
		}
	};
}

const KNOWN_KEYS = new Set([
	'schema', 'id', 'title', 'text', 'source', 'url', 'published_at', 'meta', 'offset_unit', 'set', 'status',
	'annotators', 'entities', 'mentions', 'cues', 'quotes', 'stances', 'tokens', 'split'
]);

/**
 * One JSONL line. Plain records are normalised (NFC, line endings, blank-line runs). Records
 * carrying spans are taken verbatim: their offsets refer to that exact text, so a text that
 * normalisation would change is refused rather than silently shifted.
 */
export function articleFromJsonLine(line: string, entityLabels: readonly string[]): ParsedInput {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch (error) {
		return { ok: false, message: `not valid JSON (${(error as Error).message})` };
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return { ok: false, message: 'a record must be a JSON object with a "text" field' };
	}
	const parsed = importRecordSchema.safeParse(value);
	if (!parsed.success) return { ok: false, message: describeValidationError(parsed.error) };
	const record = parsed.data;
	const annotated = hasAnnotations(record);
	const text = annotated ? record.text : normaliseRecordText(record.text);
	if (text.trim() === '') return { ok: false, message: 'the text is empty' };
	// Stored texts are normalised (normaliseText); normalising this one would shift its spans.
	const change = annotated ? describeNormalisation(record.text) : null;
	if (change) {
		return { ok: false, message: `the text carries spans but ${change}; texts are stored in NFC with \\n line endings and no space or tab at line ends, so its offsets would shift: fix the text and its offsets` };
	}
	const index = new OffsetIndex(text);
	if (annotated) {
		const problem = findRecordSpanProblem(record, index, entityLabels);
		if (problem) return { ok: false, message: problem };
	}
	const extra = Object.fromEntries(Object.entries(record).filter(([key]) => !KNOWN_KEYS.has(key)));
	return {
		ok: true,
		article: {
			externalId: record.id ?? null,
			title: record.title?.trim() || firstWords(text),
			rawText: record.text,
			text,
			source: record.source ?? null,
			url: record.url ?? null,
			publishedAt: record.published_at ?? null,
			meta: { ...extra, ...record.meta },
			cleaning: NO_CLEANING,
			wordCount: countWords(text),
			charCount: index.length,
			annotations: annotated ? record : null
		}
	};
}

function firstWords(text: string): string {
	const line = text.split('\n', 1)[0];
	return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function findRecordSpanProblem(record: ImportRecord, index: OffsetIndex, entityLabels: readonly string[]): string | null {
	const all = [
		...(record.entities ?? []).map((s) => ({ ...s, layer: 'entity' as const, group: 'entities' })),
		...(record.mentions ?? []).map((s) => ({ ...s, layer: 'mention' as const, label: 'MENTION', group: 'mentions' })),
		...(record.cues ?? []).map((s) => ({ ...s, layer: 'cue' as const, label: 'CUE', group: 'cues' })),
		...(record.quotes ?? []).map((s) => ({ ...s, layer: 'quote' as const, label: 'QUOTE', group: 'quotes' })),
		...(record.stances ?? []).map((s) => ({ ...s, layer: 'stance' as const, label: 'STANCE', group: 'stances' }))
	];
	const problems = findSpanProblems(all, index.length, entityLabels);
	if (problems.length) {
		const span = all[problems[0].index];
		return `${span.group} "${span.id}": ${problems[0].message}`;
	}
	const ids = new Set<string>();
	for (const span of all) {
		if (ids.has(span.id)) return `span id "${span.id}" is used twice`;
		ids.add(span.id);
		if (span.text !== undefined && index.slice(span.start, span.end) !== span.text) {
			return `${span.group} "${span.id}": text "${span.text}" does not match the text at ${span.start}–${span.end} ("${index.slice(span.start, span.end)}")`;
		}
	}
	for (const quote of record.quotes ?? []) {
		for (const [field, ref] of [['speaker', quote.speaker], ['cue', quote.cue]] as const) {
			if (ref && !ids.has(ref)) return `quotes "${quote.id}": ${field} "${ref}" is not a span of this record`;
		}
	}
	for (const stance of record.stances ?? []) {
		if (stance.holder && stance.holder !== 'article' && !ids.has(stance.holder)) {
			return `stances "${stance.id}": holder "${stance.holder}" is not a span of this record`;
		}
		if (stance.target && 'span' in stance.target && !ids.has(stance.target.span)) {
			return `stances "${stance.id}": target "${stance.target.span}" is not a span of this record`;
		}
	}
	return null;
}
