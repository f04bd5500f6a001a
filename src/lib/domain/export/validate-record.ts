// Checks exported records line by line, independently of the code that wrote them: offsets
// inside the text, each span's text equal to its code-point slice, links to existing spans,
// well-formed BIO, tokens covering the text. Used by `npm run export:validate` and the tests.
import { CORPUS_SCHEMA_VERSION, OFFSET_UNIT } from '../corpus-record';
import { OffsetIndex } from '../offsets';
import { DOUBT_NOTE_MAX_LENGTH } from '../spans';
import { CONLL_DOCSTART, findBioProblem, tagTokens } from './bio';

export interface RecordProblem {
	/** 1-based line in the file. */
	line: number;
	message: string;
}

/** At most this many problems are reported per record: one broken offset often breaks many. */
const MAX_PROBLEMS_PER_RECORD = 20;

type Json = Record<string, unknown>;

export interface ValidationContext {
	/** The export's tag list (manifest `ner_labels`): tag ids index it, tag strings must be in it. */
	nerLabels?: readonly string[];
}

/** Problems of one JSONL line: a `guillemet.corpus/1` record, or a `{id, tokens, ner_tags}` one. */
export function validateExportLine(line: string, context: ValidationContext = {}): string[] {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch (error) {
		return [`not valid JSON (${(error as Error).message})`];
	}
	if (!isObject(value)) return ['a record must be a JSON object'];
	const problems = 'ner_tags' in value && !('schema' in value) ? validateBioRecord(value, context) : validateCorpusRecord(value);
	return problems.length > MAX_PROBLEMS_PER_RECORD
		? [...problems.slice(0, MAX_PROBLEMS_PER_RECORD), `… and ${problems.length - MAX_PROBLEMS_PER_RECORD} more problems in this record`]
		: problems;
}

const SPAN_GROUPS = ['entities', 'mentions', 'cues', 'quotes', 'stances'] as const;

export function validateCorpusRecord(record: Json): string[] {
	const problems: string[] = [];
	if (record.schema !== CORPUS_SCHEMA_VERSION) problems.push(`schema is ${show(record.schema)}, expected "${CORPUS_SCHEMA_VERSION}"`);
	if (record.offset_unit !== OFFSET_UNIT) problems.push(`offset_unit is ${show(record.offset_unit)}, expected "${OFFSET_UNIT}"`);
	if (typeof record.id !== 'string' || record.id === '') problems.push('id must be a non-empty string');
	if (typeof record.text !== 'string') return [...problems, 'text must be a string'];
	const index = new OffsetIndex(record.text);

	const ids = new Map<string, string>();
	const groups: Partial<Record<(typeof SPAN_GROUPS)[number], Json[]>> = {};
	for (const group of SPAN_GROUPS) {
		const list = record[group];
		if (!Array.isArray(list)) {
			problems.push(`${group} must be an array`);
			continue;
		}
		groups[group] = [];
		list.forEach((span, i) => {
			const where = `${group}[${i}]`;
			if (!isObject(span)) return problems.push(`${where} must be an object`);
			groups[group]!.push(span);
			const label = typeof span.id === 'string' && span.id !== '' ? `${where} "${span.id}"` : where;
			if (typeof span.id !== 'string' || span.id === '') problems.push(`${where}: id must be a non-empty string`);
			else if (ids.has(span.id)) problems.push(`${label}: id is also used by ${ids.get(span.id)}`);
			else ids.set(span.id, group);
			const offsetProblem = checkOffsets(span, index);
			if (offsetProblem) problems.push(`${label}: ${offsetProblem}`);
			if (group === 'entities' && (typeof span.label !== 'string' || span.label === '')) problems.push(`${label}: label must be a non-empty string`);
			if (span.doubt !== undefined) {
				const note = isObject(span.doubt) ? span.doubt.note : undefined;
				if (!isObject(span.doubt) || !(note === null || typeof note === 'string')) problems.push(`${label}: doubt must be {"note": text or null} (got ${show(span.doubt)})`);
				else if (typeof note === 'string' && [...note].length > DOUBT_NOTE_MAX_LENGTH) problems.push(`${label}: doubt.note is longer than ${DOUBT_NOTE_MAX_LENGTH} characters`);
			}
		});
	}

	const refTo = (where: string, field: string, ref: unknown, allowed: readonly string[] | null) => {
		if (ref === null || ref === undefined) return;
		if (typeof ref !== 'string') return problems.push(`${where}: ${field} must be a span id or null (got ${show(ref)})`);
		const group = ids.get(ref);
		if (!group) problems.push(`${where}: ${field} "${ref}" is not a span of this record`);
		else if (allowed && !allowed.includes(group)) problems.push(`${where}: ${field} "${ref}" is one of ${group}, expected ${allowed.join(' or ')}`);
	};
	groups.quotes?.forEach((quote, i) => {
		const where = `quotes[${i}] "${String(quote.id)}"`;
		refTo(where, 'cue', quote.cue, ['cues']);
		refTo(where, 'speaker', quote.speaker, ['entities', 'mentions']);
	});
	groups.stances?.forEach((stance, i) => {
		const where = `stances[${i}] "${String(stance.id)}"`;
		if (stance.holder !== 'article') refTo(where, 'holder', stance.holder, null);
		const target = stance.target;
		if (target === null || target === undefined) return;
		if (isObject(target) && typeof target.span === 'string') refTo(where, 'target.span', target.span, null);
		else if (!(isObject(target) && typeof target.name === 'string')) problems.push(`${where}: target must be {"span": id}, {"name": text} or null`);
	});

	if (!Array.isArray(record.tokens)) problems.push('tokens must be an array');
	else problems.push(...checkTokens(record.tokens, index, groups.entities ?? []));
	return problems;
}

function checkOffsets(span: Json, index: OffsetIndex): string | null {
	const { start, end, text } = span;
	if (!Number.isInteger(start) || !Number.isInteger(end)) return `start and end must be integers (got ${show(start)}, ${show(end)})`;
	const s = start as number;
	const e = end as number;
	if (s < 0 || e > index.length || s >= e) return `offsets ${s}–${e} are outside the text (0–${index.length} code points) or empty`;
	if (typeof text !== 'string') return 'text must be a string (every span carries its text)';
	const actual = index.slice(s, e);
	if (actual !== text) return `text ${show(text)} differs from the text at ${s}–${e} (${show(actual)})`;
	return null;
}

function checkTokens(tokens: unknown[], index: OffsetIndex, entities: Json[]): string[] {
	const problems: string[] = [];
	let previousEnd = 0;
	let ordered = true;
	const tags: string[] = [];
	let tagged = 0;
	tokens.forEach((token, i) => {
		const where = `tokens[${i}]`;
		if (!isObject(token)) {
			ordered = false;
			return problems.push(`${where} must be an object`);
		}
		if (token.ner !== undefined) tagged++;
		const offsetProblem = checkOffsets(token, index);
		if (offsetProblem) {
			ordered = false;
			// Keep reading the next tokens from this one's end (when it has one), so one wrong token
			// is reported once, not again as a gap before the next one.
			if (Number.isInteger(token.end)) previousEnd = Math.max(previousEnd, token.end as number);
			tags.push(typeof token.ner === 'string' ? token.ner : 'O');
			return problems.push(`${where}: ${offsetProblem}`);
		}
		const start = token.start as number;
		if (start < previousEnd) {
			ordered = false;
			problems.push(`${where}: starts at ${start}, before the previous token ends (${previousEnd}): tokens must increase without overlapping`);
		} else {
			const gap = index.slice(previousEnd, start);
			if (/\S/u.test(gap)) problems.push(`${where}: ${show(gap)} at ${previousEnd}–${start} is not whitespace and is in no token`);
		}
		previousEnd = Math.max(previousEnd, token.end as number);
		tags.push(typeof token.ner === 'string' ? token.ner : 'O');
	});
	if (ordered && previousEnd < index.length) {
		const rest = index.slice(previousEnd, index.length);
		if (/\S/u.test(rest)) problems.push(`text after the last token (${previousEnd}–${index.length}) is not whitespace and is in no token`);
	}
	if (tagged === 0) return problems;
	if (tagged !== tokens.length) return [...problems, `${tagged} of ${tokens.length} tokens have a ner tag: all or none must`];
	const bio = findBioProblem(tags);
	if (bio) problems.push(`tokens[${bio.index}].ner: ${bio.message}`);
	if (ordered) {
		const spans = entities.filter((e) => Number.isInteger(e.start) && Number.isInteger(e.end) && typeof e.label === 'string');
		const expected = tagTokens(tokens as { start: number; end: number }[], spans as { start: number; end: number; label: string }[]).tags;
		const k = expected.findIndex((tag, i) => tag !== tags[i]);
		if (k >= 0) problems.push(`tokens[${k}].ner is "${tags[k]}" but the entities give "${expected[k]}"`);
	}
	return problems;
}

export function validateBioRecord(record: Json, context: ValidationContext = {}): string[] {
	const problems: string[] = [];
	if (typeof record.id !== 'string' || record.id === '') problems.push('id must be a non-empty string');
	const { tokens, ner_tags: tags } = record;
	if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string' && t !== '' && !/[\t\n]/.test(t))) {
		problems.push('tokens must be an array of non-empty strings without tabs or newlines');
	}
	if (!Array.isArray(tags)) return [...problems, 'ner_tags must be an array'];
	if (Array.isArray(tokens) && tokens.length !== tags.length) problems.push(`${tokens.length} tokens but ${tags.length} ner_tags`);
	const labels = context.nerLabels;
	let names: string[];
	if (tags.every((tag) => Number.isInteger(tag) && (tag as number) >= 0)) {
		// Ids can only be read, and their IOB2 checked, with the export's label list.
		if (!labels) return problems;
		const outside = tags.findIndex((id) => (id as number) >= labels.length);
		if (outside >= 0) return [...problems, `ner_tags[${outside}]: id ${tags[outside]} is not in the manifest's ner_labels (${labels.length} labels)`];
		names = tags.map((id) => labels[id as number]);
	} else if (tags.every((tag) => typeof tag === 'string')) {
		names = tags as string[];
		const unknown = labels ? names.findIndex((tag) => !labels.includes(tag)) : -1;
		if (unknown >= 0) problems.push(`ner_tags[${unknown}]: "${names[unknown]}" is not in the manifest's ner_labels`);
	} else {
		return [...problems, 'ner_tags must be all strings (O, B-X, I-X) or all label ids (integers ≥ 0)'];
	}
	const bio = findBioProblem(names);
	if (bio) problems.push(`ner_tags[${bio.index}]: ${bio.message}`);
	return problems;
}

/** A line-by-line CoNLL checker: `token<TAB>tag` lines, blank lines between sentences, DOCSTART lines. */
export function createConllChecker(): { check: (line: string, lineNumber: number) => RecordProblem[] } {
	let sentence: string[] = [];
	let sentenceStart = 0;
	return {
		check(line, lineNumber) {
			if (line === '' || line === CONLL_DOCSTART) {
				sentence = [];
				return [];
			}
			if (sentence.length === 0) sentenceStart = lineNumber;
			const columns = line.split('\t');
			if (columns.length !== 2 || columns[0] === '' || columns[1] === '') {
				return [{ line: lineNumber, message: `expected "token<TAB>tag", a blank line or "${CONLL_DOCSTART}" (got ${show(line)})` }];
			}
			sentence.push(columns[1]);
			// Only the new tag and the one before it: an earlier problem was reported on its own line.
			const window = sentence.slice(-2);
			const bio = findBioProblem(window);
			if (bio && bio.index === window.length - 1) {
				return [{ line: lineNumber, message: `${bio.message} (sentence from line ${sentenceStart})` }];
			}
			return [];
		}
	};
}

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
