// The export service behind `npm run export` and the download page: query -> formatter ->
// writer, streamed. The query stage pages through the database; the formatter turns each
// (document, set) into lines of the chosen flavour and routes them to a part (a split, or
// `corpus`); writers honour backpressure. Statistics for the manifest are gathered on the way.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { CORPUS_SCHEMA_VERSION, OFFSET_UNIT } from '../../domain/corpus-record';
import { bioLabelList, formatBioRecords, formatConllDocument } from '../../domain/export/bio';
import { formatCorpusRecord } from '../../domain/export/format-record';
import { splitForBucket, type ExportOptions } from '../../domain/export/options';
import { entityLabelNames } from '../../domain/label-schema';
import { getGuidelines } from '../annotation/guidelines';
import { openDatabase, type Db } from '../db/client';
import type { Project } from '../db/projects';
import { dataRevision, iterateExportUnits, listExportableOwners, selectedDocumentIds } from './query';

export { listExportableOwners, type ExportableOwner } from './query';

export const MANIFEST_SCHEMA = 'guillemet.corpus-manifest/1';
/** The part name of an export without splits. */
export const WHOLE_CORPUS = 'corpus';

export interface PartStats {
	documents: number;
	records: number;
	sentences: number;
	tokens: number;
	entities: Record<string, number>;
	quotes: Record<string, number>;
	stances: Record<string, number>;
	cues: number;
	mentions: number;
}

export interface ExportStats {
	documents: number;
	records: number;
	/** Documents of the project without a set matching --set/--status. */
	skippedDocuments: number;
	/** Entities whose edges fall inside a token (their BIO tags cover whole tokens). */
	entitiesOffTokenBoundaries: number;
	parts: Record<string, PartStats>;
	/** Per machine origin (model, rules, gazetteer, memory): every producer in the exported provenance. */
	models: Map<string, Set<string>>;
}

export interface ExportChunk {
	part: string;
	text: string;
}

export function partNames(options: ExportOptions): string[] {
	return options.split ? options.split.map((part) => part.name) : [WHOLE_CORPUS];
}

export function emptyStats(options: ExportOptions): ExportStats {
	return {
		documents: 0,
		records: 0,
		skippedDocuments: 0,
		entitiesOffTokenBoundaries: 0,
		parts: Object.fromEntries(partNames(options).map((name) => [name, emptyPartStats()])),
		models: new Map()
	};
}

function emptyPartStats(): PartStats {
	return { documents: 0, records: 0, sentences: 0, tokens: 0, entities: {}, quotes: {}, stances: {}, cues: 0, mentions: 0 };
}

/**
 * The bucket in [0, 1) of a document for splits: the first 52 bits of
 * sha256("<seed>:<external id>"), so Python reproduces it with hashlib (docs/corpus-format.md).
 */
export function splitBucket(seed: number, externalId: string): number {
	const hex = createHash('sha256').update(`${seed}:${externalId}`, 'utf8').digest('hex').slice(0, 13);
	return parseInt(hex, 16) / 2 ** 52;
}

/** The formatted export as chunks of text tagged with their part, gathering `stats` as it goes. */
export function* generateExport(db: Db, project: Project, options: ExportOptions, stats: ExportStats): Generator<ExportChunk> {
	const labelList = options.tagIds ? bioLabelList(entityLabelNames(project.labelSchema)) : null;
	let lastDocument = -1;
	for (const unit of iterateExportUnits(db, project.id, options, (n) => (stats.skippedDocuments += n))) {
		const part = options.split ? splitForBucket(options.split, splitBucket(options.seed, unit.document.externalId)) : WHOLE_CORPUS;
		const formatted = formatCorpusRecord(unit.document, unit.set, unit.spans, unit.links, options.layers, options.split ? part : undefined);
		const { record } = formatted;
		const partStats = stats.parts[part];
		if (unit.documentId !== lastDocument) {
			stats.documents++;
			partStats.documents++;
			lastDocument = unit.documentId;
		}
		stats.entitiesOffTokenBoundaries += formatted.offBoundaryEntities;
		partStats.sentences += formatted.sentences.length;
		partStats.tokens += record.tokens.length;
		for (const entity of record.entities) increment(partStats.entities, entity.label);
		for (const quote of record.quotes) increment(partStats.quotes, quote.kind);
		for (const stance of record.stances) increment(partStats.stances, stance.polarity);
		partStats.cues += record.cues.length;
		partStats.mentions += record.mentions.length;
		for (const list of [record.entities, record.mentions, record.cues, record.quotes, record.stances]) {
			for (const span of list) {
				if (!span.model) continue;
				const producers = stats.models.get(span.origin) ?? new Set<string>();
				stats.models.set(span.origin, producers.add(span.model));
			}
		}

		let text: string;
		let records = 1;
		if (options.format === 'spans') {
			text = JSON.stringify(record) + '\n';
		} else if (options.format === 'bio') {
			const id = options.set === 'all-annotators' ? `${record.id}@${record.set}` : record.id;
			const bio = formatBioRecords(id, formatted.sentences, formatted.tags, options.unit, labelList);
			records = bio.length;
			text = bio.map((r) => JSON.stringify(r) + '\n').join('');
		} else {
			text = formatConllDocument(formatted.sentences, formatted.tags);
		}
		stats.records += records;
		partStats.records += records;
		yield { part, text };
	}
}

function increment(counts: Record<string, number>, key: string): void {
	counts[key] = (counts[key] ?? 0) + 1;
}

export interface ManifestContext {
	project: Project;
	options: ExportOptions;
	/** How the export was asked for: the command line, or the download's query. */
	command: string;
	databaseFile: string;
	dataRevision: string;
	files: Record<string, string>;
	startedAt: Date;
	guidelines: GuidelinesInForce;
}

/** The project's annotation guidelines when the corpus was read: which text annotators had to go by. */
interface GuidelinesInForce {
	/** Saves of the project's guidelines so far; 0 (and `custom: false`) is Guillemet's own. */
	revision: number;
	custom: boolean;
	/** SHA-256 of the Markdown text, to tell which version of Guillemet's own, or compare projects. */
	sha256: string;
}

function guidelinesInForce(db: Db, projectId: number): GuidelinesInForce {
	const guidelines = getGuidelines(db, projectId);
	return { revision: guidelines.revision, custom: guidelines.custom, sha256: createHash('sha256').update(guidelines.text).digest('hex') };
}

export function buildManifest(stats: ExportStats, context: ManifestContext): Record<string, unknown> {
	const { options } = context;
	const labelTotals = (key: 'entities' | 'quotes' | 'stances') => {
		const totals: Record<string, number> = {};
		for (const part of Object.values(stats.parts)) for (const [label, n] of Object.entries(part[key])) totals[label] = (totals[label] ?? 0) + n;
		return sortKeys(totals);
	};
	return {
		schema: MANIFEST_SCHEMA,
		record_schema: options.format === 'spans' ? CORPUS_SCHEMA_VERSION : `guillemet.${options.format}/1`,
		format: options.format,
		...(options.format === 'bio' ? { unit: options.unit, tag_ids: options.tagIds } : {}),
		offset_unit: OFFSET_UNIT,
		created_at: new Date().toISOString(),
		duration_ms: Date.now() - context.startedAt.getTime(),
		command: context.command,
		options: {
			set: options.set,
			status: options.status,
			layers: options.layers,
			format: options.format,
			unit: options.unit,
			tag_ids: options.tagIds,
			split: options.split,
			seed: options.seed,
			gzip: options.gzip
		},
		split_rule: options.split
			? `bucket = int(sha256(f"{seed}:{id}").hexdigest()[:13], 16) / 2**52; parts take consecutive intervals of [0, 1) in order`
			: null,
		project: context.project.slug,
		database: { file: context.databaseFile, data_revision: context.dataRevision },
		guidelines: context.guidelines,
		models: Object.fromEntries([...stats.models].sort(([a], [b]) => (a < b ? -1 : 1)).map(([origin, producers]) => [origin, [...producers].sort()])),
		ner_labels: bioLabelList(entityLabelNames(context.project.labelSchema)),
		totals: {
			documents: stats.documents,
			records: stats.records,
			skipped_documents: stats.skippedDocuments,
			entities_off_token_boundaries: stats.entitiesOffTokenBoundaries,
			entities: labelTotals('entities'),
			quotes: labelTotals('quotes'),
			stances: labelTotals('stances')
		},
		splits: Object.fromEntries(
			Object.entries(stats.parts).map(([name, part]) => [
				name,
				{
					file: context.files[name],
					ratio: options.split?.find((p) => p.name === name)?.ratio ?? 1,
					...part,
					entities: sortKeys(part.entities),
					quotes: sortKeys(part.quotes),
					stances: sortKeys(part.stances)
				}
			])
		)
	};
}

function sortKeys(counts: Record<string, number>): Record<string, number> {
	return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A connection of its own on the same database file, inside a read transaction: the whole
 * export sees one snapshot (WAL) while annotators keep saving. In-memory databases cannot be
 * shared, so they are read directly.
 */
export function openExportSnapshot(db: Db): { db: Db; close: () => void } {
	const file = db.$client.name;
	if (!file || file === ':memory:' || db.$client.memory) return { db, close: () => {} };
	const reader = openDatabase(file, { migrate: false });
	reader.$client.exec('BEGIN');
	// The snapshot starts at the first read, not at BEGIN.
	reader.$client.prepare('SELECT COUNT(*) FROM documents').get();
	return {
		db: reader,
		close: () => {
			if (reader.$client.inTransaction) reader.$client.exec('COMMIT');
			reader.$client.close();
		}
	};
}

// ---- Files (the CLI) ---------------------------------------------------------------------

export interface ExportToFilesResult {
	files: string[];
	manifestPath: string;
	manifest: Record<string, unknown>;
	stats: ExportStats;
}

export interface ExportLayout {
	directory: string;
	/** Part name -> file name inside `directory`. */
	files: Record<string, string>;
	manifest: string;
}

const EXTENSIONS = /\.(jsonl|conll|ndjson)(\.gz)?$/i;

/**
 * Where each part goes. With splits, or when `out` is a folder (existing, or ending in `/`),
 * `out` is a folder holding `<part>.<ext>` and `manifest.json`; otherwise `out` is the file and
 * the manifest is `<stem>.manifest.json` next to it, so two exports can share a folder.
 */
export function planExportLayout(out: string, options: ExportOptions): ExportLayout | string {
	const extension = (options.format === 'conll' ? '.conll' : '.jsonl') + (options.gzip ? '.gz' : '');
	const isFolder = out.endsWith('/') || out.endsWith(path.sep) || (fs.existsSync(out) && fs.statSync(out).isDirectory());
	if (options.split || isFolder) {
		if (!isFolder && EXTENSIONS.test(out)) return `--out "${out}" names a file, but --split writes one file per split: give a folder`;
		const notFolder = fileInTheWay(path.resolve(out));
		if (notFolder) return `--out "${out}": ${notFolder} exists and is a file, not a folder`;
		return {
			directory: path.resolve(out),
			files: Object.fromEntries(partNames(options).map((name) => [name, `${name}${extension}`])),
			manifest: 'manifest.json'
		};
	}
	const base = path.basename(out);
	const match = EXTENSIONS.exec(base);
	if (!match) return `--out "${out}": expected a file ending in ${extension} (or .gz), or a folder ending in /`;
	const wantsConll = match[1].toLowerCase() === 'conll';
	if (wantsConll !== (options.format === 'conll')) return `--out "${out}": --format ${options.format} writes ${extension.replace('.gz', '')} files`;
	if (match[2] && !options.gzip) return `--out "${out}" ends in .gz: add --gzip (or drop .gz)`;
	if (!match[2] && options.gzip) return `--out "${out}": with --gzip the file name ends in .gz`;
	const notFolder = fileInTheWay(path.resolve(path.dirname(out)));
	if (notFolder) return `--out "${out}": ${notFolder} exists and is a file, not a folder`;
	return {
		directory: path.resolve(path.dirname(out)),
		files: { [WHOLE_CORPUS]: base },
		manifest: `${base.slice(0, match.index)}.manifest.json`
	};
}

/** The nearest existing ancestor of `directory` (itself included) when it is not a folder: the
 * export could not create its folder there (mkdir would only say EEXIST or ENOTDIR). */
function fileInTheWay(directory: string): string | undefined {
	for (let current = directory; ; current = path.dirname(current)) {
		if (fs.existsSync(current)) return fs.statSync(current).isDirectory() ? undefined : current;
		if (path.dirname(current) === current) return undefined;
	}
}

/** Text sink with backpressure: batches small writes, waits for `drain`, gzips when asked. */
class PartWriter {
	private readonly file: fs.WriteStream;
	private readonly head: Writable;
	private buffer = '';
	private published = false;

	constructor(readonly finalPath: string, readonly temporaryPath: string, gzip: boolean) {
		// Opened here, not by the stream: a place that takes no file (`/proc/x.jsonl`, a full or
		// read-only disk) is then refused at once, in words, instead of as a stream error later.
		let fd: number;
		try {
			fd = fs.openSync(temporaryPath, 'w');
		} catch (error) {
			const reason = (error as Error).message.replace(/^[A-Z]+: /, '').replace(/, open .*$/, '');
			throw new Error(`cannot create ${temporaryPath}: ${reason}`);
		}
		this.file = fs.createWriteStream(temporaryPath, { fd });
		if (gzip) {
			const zip = createGzip();
			zip.pipe(this.file);
			this.head = zip;
		} else {
			this.head = this.file;
		}
	}

	async write(text: string): Promise<void> {
		this.buffer += text;
		if (this.buffer.length >= 1 << 18) await this.flush();
	}

	private async flush(): Promise<void> {
		if (this.buffer === '') return;
		const chunk = this.buffer;
		this.buffer = '';
		if (!this.head.write(chunk)) await this.drained();
	}

	/** Resolves on `drain`, rejects on a write error; removes both listeners either way. */
	private drained(): Promise<void> {
		return new Promise((resolve, reject) => {
			const onDrain = () => {
				this.file.off('error', onError);
				resolve();
			};
			const onError = (error: Error) => {
				this.head.off('drain', onDrain);
				reject(error);
			};
			this.head.once('drain', onDrain);
			this.file.once('error', onError);
		});
	}

	/** Writes what is buffered and closes the file; it stays `.partial` until `publish`. */
	async close(): Promise<void> {
		await this.flush();
		const closed = once(this.file, 'close');
		this.head.end();
		await closed;
	}

	publish(): void {
		fs.renameSync(this.temporaryPath, this.finalPath);
		this.published = true;
	}

	/** Closes the file and removes it, published or not. Waits for the close: the file may still
	 * be opening, and an open that completes after the removal would leave it behind. */
	async abort(): Promise<void> {
		if (!this.file.closed) {
			const closed = new Promise<void>((resolve) => this.file.once('close', () => resolve()));
			this.head.destroy();
			this.file.destroy();
			await closed;
		}
		fs.rmSync(this.published ? this.finalPath : this.temporaryPath, { force: true });
	}
}

export interface ExportToFilesInput {
	project: Project;
	options: ExportOptions;
	out: string;
	command: string;
	onProgress?: (documents: number) => void;
	/** Stops the export (Ctrl-C): it then throws the signal's reason, leaving no file behind. */
	signal?: AbortSignal;
	/** Write empty files when nothing matches the options, instead of failing (default false). */
	allowEmpty?: boolean;
}

/**
 * Writes the export to files (`.partial` until complete, then renamed) and the manifest.
 * Throws with a precise message on a bad `out`, on a selection without any record (unless
 * `allowEmpty`), or when `signal` aborts; nothing is left behind on failure.
 */
export async function exportToFiles(db: Db, input: ExportToFilesInput): Promise<ExportToFilesResult> {
	const startedAt = new Date();
	const layout = planExportLayout(input.out, input.options);
	if (typeof layout === 'string') throw new Error(layout);
	fs.mkdirSync(layout.directory, { recursive: true });
	const snapshot = openExportSnapshot(db);
	const writers = new Map<string, PartWriter>();
	try {
		for (const [part, name] of Object.entries(layout.files)) {
			const target = path.join(layout.directory, name);
			writers.set(part, new PartWriter(target, `${target}.partial`, input.options.gzip));
		}
		const stats = emptyStats(input.options);
		const revision = dataRevision(snapshot.db, input.project.id);
		const guidelines = guidelinesInForce(snapshot.db, input.project.id);
		let lastReported = 0;
		for (const chunk of generateExport(snapshot.db, input.project, input.options, stats)) {
			input.signal?.throwIfAborted();
			await (writers.get(chunk.part) as PartWriter).write(chunk.text);
			if (input.onProgress && stats.documents - lastReported >= 1000) {
				lastReported = stats.documents;
				input.onProgress(stats.documents);
			}
		}
		if (stats.records === 0 && !input.allowEmpty) throw new Error(describeEmptySelection(snapshot.db, input.project, input.options));
		for (const writer of writers.values()) await writer.close();
		// No await from here on: an abort either comes before and removes everything, or the
		// files are all renamed together with their manifest.
		input.signal?.throwIfAborted();
		const manifestPath = path.join(layout.directory, layout.manifest);
		// Only a folder export owns its folder; next to a single file (`corpus.jsonl`) live other
		// exports that may share its manifest name (`corpus.conll.gz` → `corpus.manifest.json`).
		const superseded = layout.manifest === 'manifest.json' ? filesOfPreviousExport(manifestPath, Object.values(layout.files)) : [];
		for (const writer of writers.values()) writer.publish();
		// The manifest describes the folder: files a previous export there wrote and this one does
		// not (its `dev.jsonl` when this split has no dev part) would be read as part of this corpus.
		for (const name of superseded) fs.rmSync(path.join(layout.directory, name), { force: true });
		const manifest = buildManifest(stats, {
			project: input.project,
			options: input.options,
			command: input.command,
			databaseFile: db.$client.name,
			dataRevision: revision,
			files: layout.files,
			startedAt,
			guidelines
		});
		fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
		return { files: [...writers.values()].map((w) => w.finalPath), manifestPath, manifest, stats };
	} catch (error) {
		await Promise.all([...writers.values()].map((writer) => writer.abort()));
		throw error;
	} finally {
		snapshot.close();
	}
}

/**
 * Files listed by the manifest of an earlier export at `manifestPath` that the new export will not
 * overwrite. Only plain file names from a Guillemet manifest count: nothing else in the folder is touched.
 */
function filesOfPreviousExport(manifestPath: string, newNames: readonly string[]): string[] {
	let previous: { schema?: unknown; splits?: Record<string, { file?: unknown }> };
	try {
		previous = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
	} catch {
		return [];
	}
	if (typeof previous.schema !== 'string' || !previous.schema.startsWith('guillemet.')) return [];
	return Object.values(previous.splits ?? {})
		.map((part) => part.file)
		.filter((name): name is string => typeof name === 'string' && name === path.basename(name) && !newNames.includes(name));
}

/** Why an export has no record: the options, and the owners of sets that would match. */
function describeEmptySelection(db: Db, project: Project, options: ExportOptions): string {
	const finished = options.status === 'done';
	const owners = listExportableOwners(db, project.id)
		.filter((owner) => (finished ? owner.done : owner.total) > 0)
		.map((owner) => owner.owner);
	const which = finished ? 'finished set' : 'set';
	const existing = owners.length ? `${which}s exist for: ${owners.join(', ')}` : `project ${project.slug} has no ${which} at all`;
	return `nothing to export: no document has a ${which} matching --set ${options.set} (${existing}); no file written`;
}

// ---- Download (the web page) --------------------------------------------------------------

/** How many documents each part of an export with `options` would hold, before writing anything. */
export function previewExport(db: Db, project: Project, options: ExportOptions): { documents: number; parts: Record<string, number> } {
	const ids = selectedDocumentIds(db, project.id, options);
	const parts: Record<string, number> = Object.fromEntries(partNames(options).map((part) => [part, 0]));
	for (const id of ids) {
		const part = options.split ? splitForBucket(options.split, splitBucket(options.seed, id)) : WHOLE_CORPUS;
		parts[part]++;
	}
	return { documents: ids.length, parts };
}

/**
 * A download's file name: the project, the flavour, the set when it is not the default and
 * `split` for a split export, then the part (`default-spans-gold-split-train.jsonl`,
 * `default-bio-manifest.json`), so that two exports downloaded one after the other do not
 * overwrite each other in a Downloads folder.
 */
export function downloadFileName(project: Project, options: ExportOptions, part: string): string {
	const stem = [project.slug, options.format, options.set === 'latest' ? null : options.set, options.split ? 'split' : null].filter(Boolean).join('-');
	if (part === 'manifest') return `${stem}-manifest.json`;
	const extension = (options.format === 'conll' ? '.conll' : '.jsonl') + (options.gzip ? '.gz' : '');
	return `${stem}-${part}${extension}`;
}

/**
 * One part of the export as a byte stream pulled by the response: the database is read only as
 * fast as the client downloads. `part` is a split name, `corpus` without splits, or `manifest`.
 */
export function streamExportPart(db: Db, project: Project, options: ExportOptions, part: string, command: string): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	let snapshot: ReturnType<typeof openExportSnapshot> | null = null;
	let chunks: Generator<ExportChunk> | null = null;
	let stats: ExportStats;
	let revision = '';
	let guidelines: GuidelinesInForce | undefined;
	const startedAt = new Date();
	const release = () => {
		snapshot?.close();
		snapshot = null;
	};
	const text = new ReadableStream<Uint8Array>({
		pull(controller) {
			try {
				if (!snapshot) {
					snapshot = openExportSnapshot(db);
					stats = emptyStats(options);
					revision = dataRevision(snapshot.db, project.id);
					guidelines = guidelinesInForce(snapshot.db, project.id);
					chunks = generateExport(snapshot.db, project, options, stats);
				}
				let batch = '';
				while (batch.length < 1 << 16) {
					const next = (chunks as Generator<ExportChunk>).next();
					if (next.done) {
						if (part === 'manifest') {
							const files = Object.fromEntries(partNames(options).map((name) => [name, downloadFileName(project, options, name)]));
							batch += JSON.stringify(
								// A download leaves the server: its manifest names the database file, not where it lives.
								buildManifest(stats, { project, options, command, databaseFile: path.basename(db.$client.name), dataRevision: revision, files, startedAt, guidelines: guidelines! }),
								null,
								2
							);
						}
						if (batch) controller.enqueue(encoder.encode(batch));
						controller.close();
						release();
						return;
					}
					if (next.value.part === part) batch += next.value.text;
				}
				controller.enqueue(encoder.encode(batch));
			} catch (error) {
				release();
				controller.error(error);
			}
		},
		cancel() {
			chunks?.return(undefined);
			release();
		}
	});
	return options.gzip && part !== 'manifest' ? text.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>) : text;
}
