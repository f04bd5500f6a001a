// A model's label inventory (its id2label) read as a tagging scheme, and mapped to the project's
// entity labels. Models name their labels as they like (B-PER, I-PERSON, U-ORG, LOC, …); the
// project has PER, LOC, ORG, MISC (or its own schema). One resolver per loaded model.

export type TaggingScheme = 'bio' | 'iob1' | 'bilou' | 'plain';
/** B begin, I inside, L last, U unit (single-word), O outside, null for a plain label. */
export type TagPrefix = 'B' | 'I' | 'L' | 'U' | 'O' | null;

export interface ParsedLabel {
	prefix: TagPrefix;
	/** The entity type as the model names it; null for O. */
	type: string | null;
}

const PREFIX_ALIASES: Record<string, TagPrefix> = { B: 'B', I: 'I', M: 'I', E: 'L', L: 'L', S: 'U', U: 'U' };

/** `B-PER` -> {B, PER}; `PER` -> {null, PER}; `O` -> {O, null}. Accepts `-` and `_` separators. */
export function parseModelLabel(label: string): ParsedLabel {
	const trimmed = label.trim();
	if (trimmed === 'O' || trimmed === '' || trimmed.toUpperCase() === 'OUTSIDE') return { prefix: 'O', type: null };
	const match = /^([BIMELSU])[-_](.+)$/.exec(trimmed);
	if (match) return { prefix: PREFIX_ALIASES[match[1]], type: match[2] };
	return { prefix: null, type: trimmed };
}

/**
 * The scheme a label inventory uses. L/U (or E/S) -> BILOU (BIOES); B/I -> BIO, or IOB1 when some
 * type has I- without B-; no prefixes -> plain. BIO and IOB1 decode alike (an I after O or after
 * another type starts an entity), so the distinction only matters for reports.
 */
export function detectTaggingScheme(labels: readonly string[]): TaggingScheme {
	const parsed = labels.map(parseModelLabel);
	if (parsed.some((p) => p.prefix === 'L' || p.prefix === 'U')) return 'bilou';
	if (parsed.some((p) => p.prefix === 'B' || p.prefix === 'I')) {
		const begins = new Set(parsed.filter((p) => p.prefix === 'B').map((p) => p.type));
		const insides = parsed.filter((p) => p.prefix === 'I').map((p) => p.type);
		return insides.some((type) => !begins.has(type)) ? 'iob1' : 'bio';
	}
	return 'plain';
}

/** Common long names -> the default project labels. Project maps are applied on top. */
export const DEFAULT_LABEL_MAP: Readonly<Record<string, string | null>> = {
	PERSON: 'PER',
	PERS: 'PER',
	PEOPLE: 'PER',
	LOCATION: 'LOC',
	LIEU: 'LOC',
	GPE: 'LOC',
	ORGANIZATION: 'ORG',
	ORGANISATION: 'ORG',
	MISCELLANEOUS: 'MISC',
	DIVERS: 'MISC'
};

/**
 * Parses `PERSON=PER,GPE=LOC,DATE=` (an empty target drops the label silently). Throws on a
 * malformed entry, for the configuration module to report.
 */
export function parseLabelMap(text: string): Record<string, string | null> {
	const map: Record<string, string | null> = {};
	for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
		const match = /^([^=\s]+)\s*=\s*(\S*)$/.exec(entry);
		if (!match) throw new Error(`label map entry "${entry}" is not FROM=TO`);
		map[match[1]] = match[2] === '' ? null : match[2];
	}
	return map;
}

export interface ResolvedLabel {
	prefix: TagPrefix;
	/** The project's entity label, or null (O, or a label the project does not have). */
	type: string | null;
}

export interface LabelResolver {
	scheme: TaggingScheme;
	/** Every model label as resolved, by id, without the unknown-label warning (for decoding constraints). */
	labels: readonly ResolvedLabel[];
	/** By label id; warns the first time an unmapped label is predicted. */
	resolve(labelId: number): ResolvedLabel;
}

/**
 * Maps each model label to a project label: an entry for the full label (`B-PERSON`) wins, then
 * one for its type (`PERSON`), then the type itself when the project has it (or had it before a
 * rename: `formerNames`), then the defaults.
 * A label that maps to nothing is dropped (read as O) with one warning per label, the first
 * time it is predicted; mapping it explicitly to an empty target drops it silently.
 */
export function createLabelResolver(
	id2label: readonly string[],
	options: {
		projectLabels: readonly string[];
		map?: Readonly<Record<string, string | null>>;
		/** Labels renamed on the settings page: former name → current one (`formerLabelNames`). */
		formerNames?: Readonly<Record<string, string>>;
		warn?: (message: string) => void;
	}
): LabelResolver {
	const projectLabels = new Set(options.projectLabels);
	// A name the project had before a rename still lands on the renamed label.
	const current = (name: string): string | undefined => (projectLabels.has(name) ? name : options.formerNames?.[name]);
	const map = { ...DEFAULT_LABEL_MAP, ...(options.map ?? {}) };
	const warned = new Set<string>();
	const resolved: (ResolvedLabel & { unknown: boolean })[] = id2label.map((label) => {
		const parsed = parseModelLabel(label);
		if (parsed.type === null) return { prefix: 'O', type: null, unknown: false };
		const explicit = options.map && (label in options.map ? options.map[label] : parsed.type in options.map ? options.map[parsed.type] : undefined);
		let target: string | null | undefined = explicit;
		if (target === undefined) target = current(parsed.type);
		if (target === undefined && parsed.type in map) target = map[parsed.type];
		if (target === undefined) target = current(parsed.type.toUpperCase());
		if (target === null) return { prefix: 'O', type: null, unknown: false };
		target = target === undefined ? undefined : current(target);
		if (target === undefined) return { prefix: 'O', type: null, unknown: true };
		return { prefix: parsed.prefix, type: target, unknown: false };
	});
	return {
		scheme: detectTaggingScheme(id2label),
		labels: resolved.map(({ prefix, type }) => ({ prefix, type })),
		resolve(labelId) {
			const entry = resolved[labelId];
			if (!entry) throw new RangeError(`label id ${labelId} is not in the model's id2label (0–${id2label.length - 1})`);
			if (entry.unknown && !warned.has(id2label[labelId])) {
				warned.add(id2label[labelId]);
				options.warn?.(
					`model label "${id2label[labelId]}" has no project label (known: ${[...projectLabels].join(', ')}); its predictions are dropped. Map it with NER_LABEL_MAP, e.g. ${parseModelLabel(id2label[labelId]).type}=MISC`
				);
			}
			return entry;
		}
	};
}
