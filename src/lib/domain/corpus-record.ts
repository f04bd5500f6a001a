// The JSONL records Guillemet reads and writes. Import accepts plain articles and records that
// already carry spans in the export format (`guillemet.corpus/1`), so an exported corpus
// re-imports as it was. The export formatter builds these same shapes.
import { z } from 'zod';
import { DOUBT_NOTE_MAX_LENGTH } from './spans';

export const CORPUS_SCHEMA_VERSION = 'guillemet.corpus/1';
export const OFFSET_UNIT = 'codepoint';

const offsets = {
	id: z.string().min(1),
	start: z.number().int().nonnegative(),
	end: z.number().int().nonnegative(),
	text: z.string().optional()
};
const provenance = {
	origin: z.enum(['human', 'model', 'rules', 'memory', 'gazetteer', 'import']).optional(),
	model: z.string().optional(),
	/** For origin `human`: who drew the span (the export writes it; absent means the set's owner). */
	annotator: z.string().optional(),
	score: z.number().nullable().optional(),
	decision: z.enum(['accepted', 'edited']).nullable().optional(),
	/** « Doute »: the set's owner found the span hard to decide, with their note or null. */
	doubt: z
		.object({ note: z.string().refine((note) => [...note].length <= DOUBT_NOTE_MAX_LENGTH, `longer than ${DOUBT_NOTE_MAX_LENGTH} characters`).nullable() })
		.optional()
};

export const entityRecordSchema = z.object({ ...offsets, label: z.string().min(1), ...provenance });
export const mentionRecordSchema = z.object({ ...offsets, ...provenance });
export const cueRecordSchema = z.object({ ...offsets, ...provenance });
export const quoteRecordSchema = z.object({
	...offsets,
	kind: z.string().default('direct'),
	cue: z.string().nullable().optional(),
	speaker: z.string().nullable().optional(),
	...provenance
});
export const stanceRecordSchema = z.object({
	...offsets,
	polarity: z.string(),
	/** A span id, or `article` when the article itself holds the stance. */
	holder: z.string().nullable().optional(),
	target: z
		.union([z.object({ span: z.string() }), z.object({ name: z.string() })])
		.nullable()
		.optional(),
	...provenance
});

// Zod's own wording ("expected record, received string") speaks its jargon, not JSON's.
const META_MESSAGE = 'must be an object of string keys, such as {"section": "Monde"}';
const metaSchema = z.record(z.string(), z.unknown(), { error: META_MESSAGE });

/** ISO 8601 date or date-time (`2024-05-17`, `2024-05-17T09:30:00+02:00`): sortable and exported as is. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const publishedAtSchema = z
	.string()
	.refine((value) => ISO_DATE.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T'))), {
		message: 'not an ISO 8601 date (e.g. 2024-05-17 or 2024-05-17T09:30:00+02:00)'
	});

/**
 * A list of spans where `id` may be left out: ids only serve links (a quote's speaker), and data
 * from elsewhere often has plain `{start, end, label}` entities. A missing id becomes
 * `entities#3` (the third entity), which no written id can clash with.
 */
function spansWithIds<T extends z.ZodTypeAny>(group: string, schema: T) {
	return z
		.preprocess(
			(value) =>
				Array.isArray(value)
					? value.map((span, i) => (span && typeof span === 'object' && !Array.isArray(span) && (span as { id?: unknown }).id === undefined ? { ...span, id: `${group}#${i + 1}` } : span))
					: value,
			z.array(schema)
		)
		.optional();
}

/** One input line of a JSONL import. Unknown top-level keys are kept in `meta`. */
export const importRecordSchema = z
	.object({
		schema: z.string().optional(),
		id: z.union([z.string().min(1), z.number()]).transform(String).optional(),
		title: z.string().optional(),
		text: z.string(),
		source: z.string().nullable().optional(),
		url: z.string().nullable().optional(),
		published_at: publishedAtSchema.nullable().optional(),
		meta: metaSchema.optional(),
		offset_unit: z.literal(OFFSET_UNIT).optional(),
		set: z.string().optional(),
		status: z.enum(['todo', 'in_progress', 'done', 'skipped']).optional(),
		annotators: z.array(z.string()).optional(),
		entities: spansWithIds('entities', entityRecordSchema),
		mentions: spansWithIds('mentions', mentionRecordSchema),
		cues: spansWithIds('cues', cueRecordSchema),
		quotes: spansWithIds('quotes', quoteRecordSchema),
		stances: spansWithIds('stances', stanceRecordSchema)
	})
	.passthrough()
	.transform(liftMetaFields);

export type ImportRecord = z.infer<typeof importRecordSchema>;
export type EntityRecord = z.infer<typeof entityRecordSchema>;
export type QuoteRecord = z.infer<typeof quoteRecordSchema>;
export type StanceRecord = z.infer<typeof stanceRecordSchema>;

/**
 * True when the record carries annotations to import along with its text. An exported record
 * (it declares the schema) with a set counts even without spans: "finished, nothing to mark" is
 * an annotation too, and must survive export -> import -> export.
 */
export function hasAnnotations(record: ImportRecord): boolean {
	return Boolean(
		record.entities?.length ||
			record.mentions?.length ||
			record.cues?.length ||
			record.quotes?.length ||
			record.stances?.length ||
			(record.schema === CORPUS_SCHEMA_VERSION && record.set !== undefined)
	);
}

const LIFTED_META_KEYS = ['source', 'url', 'published_at'] as const;

/**
 * The export writes source, url and published_at inside `meta`; plain imports may have them at
 * the top level. Both read the same: a meta value (string or null) fills an absent top-level one
 * and leaves `meta`, so re-imported documents store them where imported ones do.
 */
function liftMetaFields<T extends { meta?: Record<string, unknown>; source?: string | null; url?: string | null; published_at?: string | null }>(
	record: T
): T {
	if (!record.meta) return record;
	const meta = { ...record.meta };
	const lifted: Partial<Record<(typeof LIFTED_META_KEYS)[number], string | null>> = {};
	for (const key of LIFTED_META_KEYS) {
		const value = meta[key];
		if (!(key in meta) || (typeof value !== 'string' && value !== null)) continue;
		if (record[key] === undefined || record[key] === value) {
			lifted[key] = value;
			delete meta[key];
		}
	}
	return { ...record, ...lifted, meta };
}

/** Turns a zod error into one readable line: `entities.2.start: expected a number`. */
export function describeValidationError(error: z.ZodError): string {
	return error.issues
		.slice(0, 3)
		.map((issue) => {
			const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
			const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
			return `${where}${missing ? 'is missing' : issue.message}`;
		})
		.join('; ');
}
