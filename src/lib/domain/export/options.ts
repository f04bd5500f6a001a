// Export options: what the CLI flags and the download form both mean, validated in one place.
// Pure, so the form, the script and the tests read the same rules and the same messages.

export const EXPORT_FORMATS = ['spans', 'bio', 'conll'] as const;
export const EXPORT_LAYERS = ['entity', 'quote', 'stance'] as const;
export const EXPORT_STATUSES = ['done', 'any'] as const;
export const BIO_UNITS = ['sentence', 'document'] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportLayer = (typeof EXPORT_LAYERS)[number];
export type ExportStatus = (typeof EXPORT_STATUSES)[number];
export type BioUnit = (typeof BIO_UNITS)[number];

/**
 * Which annotation set of each document is exported:
 * `latest` (default) the gold set where a reviewer made one, otherwise the most recently
 * finished annotator set, `gold`,
 * `all-annotators` (one record per annotator set), or one owner by name (a username).
 */
export const SET_SELECTORS = ['latest', 'gold', 'all-annotators'] as const;

export interface SplitPart {
	name: string;
	ratio: number;
}

export interface ExportOptions {
	set: string;
	status: ExportStatus;
	layers: ExportLayer[];
	format: ExportFormat;
	unit: BioUnit;
	tagIds: boolean;
	split: SplitPart[] | null;
	seed: number;
	gzip: boolean;
}

export const DEFAULT_EXPORT_OPTIONS: ExportOptions = {
	set: 'latest',
	status: 'done',
	layers: [...EXPORT_LAYERS],
	format: 'spans',
	unit: 'sentence',
	tagIds: false,
	split: null,
	seed: 13,
	gzip: false
};

/** Raw values as a CLI or a form gives them; absent means the default. */
export interface RawExportOptions {
	set?: string;
	status?: string;
	layers?: string;
	format?: string;
	unit?: string;
	tagIds?: boolean;
	split?: string;
	seed?: string;
	gzip?: boolean;
}

export type ParsedExportOptions = { ok: true; options: ExportOptions } | { ok: false; errors: string[] };

export function parseExportOptions(raw: RawExportOptions): ParsedExportOptions {
	const errors: string[] = [];
	const options: ExportOptions = { ...DEFAULT_EXPORT_OPTIONS, layers: [...DEFAULT_EXPORT_OPTIONS.layers] };
	const given = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

	if (given(raw.format)) {
		const format = raw.format.trim();
		if (isOneOf(EXPORT_FORMATS, format)) options.format = format;
		else errors.push(`--format "${format}" is invalid: expected ${EXPORT_FORMATS.join(', ')}`);
	}
	if (given(raw.set)) {
		const set = raw.set.trim();
		if (/\s/.test(set)) errors.push(`--set "${set}" is invalid: expected ${SET_SELECTORS.join(', ')} or a username`);
		else options.set = set;
	}
	if (given(raw.status)) {
		const status = raw.status.trim();
		if (isOneOf(EXPORT_STATUSES, status)) options.status = status;
		else errors.push(`--status "${status}" is invalid: expected ${EXPORT_STATUSES.join(' or ')}`);
	}
	if (given(raw.layers)) {
		const layers = raw.layers.split(',').map((layer) => layer.trim()).filter(Boolean);
		const unknown = layers.filter((layer) => !isOneOf(EXPORT_LAYERS, layer));
		if (unknown.length) errors.push(`--layers: unknown layer ${unknown.map((l) => `"${l}"`).join(', ')} (known: ${EXPORT_LAYERS.join(', ')})`);
		else if (layers.length === 0) errors.push(`--layers is empty: give one or more of ${EXPORT_LAYERS.join(', ')}`);
		else options.layers = EXPORT_LAYERS.filter((layer) => layers.includes(layer));
	}
	if (given(raw.unit)) {
		const unit = raw.unit.trim();
		if (!isOneOf(BIO_UNITS, unit)) errors.push(`--unit "${unit}" is invalid: expected ${BIO_UNITS.join(' or ')}`);
		else if (options.format !== 'bio') errors.push('--unit applies to --format bio only (conll is always per sentence)');
		else options.unit = unit;
	}
	if (raw.tagIds) {
		if (options.format !== 'bio') errors.push('--tag-ids applies to --format bio only');
		else options.tagIds = true;
	}
	if (options.format !== 'spans' && !options.layers.includes('entity')) {
		errors.push(`--format ${options.format} writes entity tags: --layers must include entity`);
	}
	if (given(raw.split)) {
		const split = parseSplitSpec(raw.split);
		if (typeof split === 'string') errors.push(split);
		else options.split = split;
	}
	if (given(raw.seed)) {
		const seed = raw.seed.trim();
		if (/^\d{1,15}$/.test(seed)) options.seed = Number(seed);
		else errors.push(`--seed "${seed}" is invalid: expected a non-negative integer`);
	}
	if (raw.gzip) options.gzip = true;
	return errors.length ? { ok: false, errors } : { ok: true, options };
}

/** `train=0.8,dev=0.1,test=0.1` -> parts in the given order; a string is the problem. */
export function parseSplitSpec(spec: string): SplitPart[] | string {
	const parts: SplitPart[] = [];
	for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
		const match = /^([a-z][a-z0-9_-]{0,31})=(\d*\.?\d+)$/.exec(item);
		if (!match) return `--split: "${item}" is invalid: expected name=ratio, e.g. train=0.8,dev=0.1,test=0.1`;
		const ratio = Number(match[2]);
		if (!(ratio > 0 && ratio <= 1)) return `--split: the ratio of "${match[1]}" must be in (0, 1]`;
		if (parts.some((part) => part.name === match[1])) return `--split: "${match[1]}" is listed twice`;
		if (match[1] === 'manifest') return '--split: "manifest" is reserved for the manifest file';
		parts.push({ name: match[1], ratio });
	}
	if (parts.length === 0) return '--split is empty: expected name=ratio pairs, e.g. train=0.8,dev=0.1,test=0.1';
	const total = parts.reduce((sum, part) => sum + part.ratio, 0);
	if (Math.abs(total - 1) > 1e-6) return `--split: the ratios add up to ${Number(total.toFixed(6))}, not 1`;
	return parts;
}

/**
 * The split of a document from its bucket in [0, 1): parts take consecutive intervals in the
 * order given. The bucket depends only on the seed and the document's id, so adding documents
 * never moves one that was already assigned.
 */
export function splitForBucket(parts: readonly SplitPart[], bucket: number): string {
	let upper = 0;
	for (const part of parts) {
		upper += part.ratio;
		if (bucket < upper) return part.name;
	}
	return parts[parts.length - 1].name;
}

/** Which span layers a record carries: quotes bring their cues, quotes and stances their mentions. */
export function storedLayersFor(layers: readonly ExportLayer[]): Set<string> {
	const stored = new Set<string>(layers);
	if (layers.includes('quote')) stored.add('cue');
	if (layers.includes('quote') || layers.includes('stance')) stored.add('mention');
	return stored;
}

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
	return (list as readonly string[]).includes(value);
}

/** The `npm run export` command line that gives `options` (shown on the download page). */
export function formatExportCommand(options: ExportOptions, out: string): string {
	const args = ['npm run export --', '--out', out];
	const defaults = DEFAULT_EXPORT_OPTIONS;
	if (options.set !== defaults.set) args.push('--set', options.set);
	if (options.status !== defaults.status) args.push('--status', options.status);
	if (options.layers.join(',') !== defaults.layers.join(',')) args.push('--layers', options.layers.join(','));
	if (options.format !== defaults.format) args.push('--format', options.format);
	if (options.format === 'bio' && options.unit !== defaults.unit) args.push('--unit', options.unit);
	if (options.tagIds) args.push('--tag-ids');
	if (options.split) args.push('--split', options.split.map((part) => `${part.name}=${part.ratio}`).join(','));
	if (options.split && options.seed !== defaults.seed) args.push('--seed', String(options.seed));
	if (options.gzip && !out.endsWith('.gz')) args.push('--gzip');
	return args.join(' ');
}

/** Reads the download form's query (the same names as the CLI flags). */
export function rawOptionsFromQuery(query: URLSearchParams): RawExportOptions {
	const value = (name: string) => query.get(name) ?? undefined;
	const layers = query.getAll('layers');
	return {
		set: value('set'),
		status: value('status'),
		layers: layers.length ? layers.join(',') : query.has('layers-sent') ? ',' : undefined,
		format: value('format'),
		unit: query.get('format') === 'bio' ? value('unit') : undefined,
		tagIds: query.get('format') === 'bio' && query.has('tag-ids'),
		split: value('split'),
		seed: query.get('split') ? value('seed') : undefined,
		gzip: query.has('gzip')
	};
}
