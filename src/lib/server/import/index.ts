// The import service behind `npm run import` and the upload form: reader -> parser -> store.
// Bad lines are reported as data ({file, line, message}) and the rest goes on; each file's good
// records are written in one transaction, so a file is never half-imported. JSONL is read line by
// line from the bytes, never as one string.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { articleFromJsonLine, articleFromTextPage, type ArticleInput, type ParsedInput } from '../../domain/articles';
import { annotationsToDrafts } from '../../domain/record-annotations';
import { entityLabelNames } from '../../domain/label-schema';
import type { LinkDraft, SpanDraft, SpanLayer } from '../../domain/spans';
import { spanKey } from '../../domain/editing/state';
import { loadAnnotatorSet } from '../annotation/load-annotations';
import { inTransaction, type Db } from '../db/client';
import { findSet, getOrCreateSet, ownerKindOf, replaceSetContent } from '../db/annotation-sets';
import type { Project } from '../db/projects';
import { documents } from '../db/schema';
import { ensureUser } from '../db/users';
import { and, eq } from 'drizzle-orm';

export interface ImportInput {
	/** Shown in reports: a path or an uploaded file name. */
	name: string;
	bytes: Uint8Array;
}

export interface ImportProblem {
	file: string;
	/** 1-based line; 0 when the problem is the whole file. */
	line: number;
	message: string;
}

export interface ImportSummary {
	files: number;
	imported: number;
	duplicates: number;
	setsImported: number;
	problems: ImportProblem[];
	/** Records not added because a document with another id has their text: where, and which id. */
	sameTextOtherId: (ImportProblem & { id: string; existingId: string })[];
}

export interface ImportProgress {
	filesDone: number;
	filesTotal: number;
	bytesDone: number;
	bytesTotal: number;
	imported: number;
}

export const SUPPORTED_EXTENSIONS = ['.txt', '.jsonl', '.jsonl.gz', '.ndjson'] as const;

export function isSupportedFile(name: string): boolean {
	return SUPPORTED_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));
}

/**
 * Expands files and folders (recursively, sorted) into importable file paths. Unsupported files
 * named explicitly are problems; inside folders they are skipped and listed in `skipped`.
 */
export function collectImportFiles(paths: readonly string[]): { files: string[]; problems: ImportProblem[]; skipped: string[] } {
	const files: string[] = [];
	const problems: ImportProblem[] = [];
	const skipped: string[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile() && isSupportedFile(entry.name)) files.push(full);
			else skipped.push(full);
		}
	};
	for (const input of paths) {
		let stat: fs.Stats;
		try {
			stat = fs.statSync(input);
		} catch {
			problems.push({ file: input, line: 0, message: 'no such file or folder' });
			continue;
		}
		if (stat.isDirectory()) walk(input);
		else if (isSupportedFile(input)) files.push(input);
		else problems.push({ file: input, line: 0, message: `unsupported file type (expected ${SUPPORTED_EXTENSIONS.join(', ')})` });
	}
	return { files, problems, skipped };
}

/** Reads files from disk and imports them. */
export function importFiles(db: Db, project: Project, filePaths: readonly string[], onProgress?: (p: ImportProgress) => void): ImportSummary {
	return importStoredFiles(
		db,
		project,
		filePaths.map((file) => ({ name: file, path: file })),
		onProgress
	);
}

/** Reads files from disk and imports them under other names: uploads stored by a background import job, named as they were sent. */
export function importStoredFiles(db: Db, project: Project, files: readonly { name: string; path: string }[], onProgress?: (p: ImportProgress) => void): ImportSummary {
	const sizes = files.map((file) => fs.statSync(file.path).size);
	return importInputs(
		db,
		project,
		files.map((file) => ({ name: file.name, read: () => new Uint8Array(fs.readFileSync(file.path)) })),
		sizes,
		onProgress
	);
}

/** Imports files already in memory (uploads). */
export function importUploads(db: Db, project: Project, inputs: readonly ImportInput[]): ImportSummary {
	return importInputs(
		db,
		project,
		inputs.map((input) => ({ name: input.name, read: () => input.bytes })),
		inputs.map((input) => input.bytes.byteLength)
	);
}

function importInputs(
	db: Db,
	project: Project,
	inputs: readonly { name: string; read: () => Uint8Array }[],
	sizes: readonly number[],
	onProgress?: (p: ImportProgress) => void
): ImportSummary {
	const summary: ImportSummary = { files: 0, imported: 0, duplicates: 0, setsImported: 0, problems: [], sameTextOtherId: [] };
	const bytesTotal = sizes.reduce((a, b) => a + b, 0);
	let bytesDone = 0;
	const labels = entityLabelNames(project.labelSchema);
	inputs.forEach((input, i) => {
		summary.files++;
		const counts = { imported: summary.imported, duplicates: summary.duplicates, setsImported: summary.setsImported };
		const notesBefore = summary.sameTextOtherId.length;
		const progress = (fileFraction: number) =>
			onProgress?.({ filesDone: i, filesTotal: inputs.length, bytesDone: bytesDone + Math.round(sizes[i] * fileFraction), bytesTotal, imported: summary.imported });
		// Each record is stored as soon as it is parsed, inside the file's one transaction: a large
		// file is never held as parsed articles, and a failure anywhere leaves nothing of it.
		try {
			inTransaction(db, () =>
				readRecords(input.name, input.read(), labels, summary.problems, (line, article) => storeArticle(db, project, input.name, line, article, summary), progress)
			);
		} catch (error) {
			Object.assign(summary, counts);
			summary.sameTextOtherId.length = notesBefore;
			summary.problems.push(
				error instanceof UnreadableFile
					? { file: input.name, line: error.line, message: error.message }
					: { file: input.name, line: 0, message: `nothing imported from this file: ${(error as Error).message}` }
			);
		}
		bytesDone += sizes[i];
		onProgress?.({ filesDone: i + 1, filesTotal: inputs.length, bytesDone, bytesTotal, imported: summary.imported });
	});
	return summary;
}

/** A file that cannot be read as a whole (not gzip, not UTF-8): nothing of it is imported. */
class UnreadableFile extends Error {
	constructor(
		readonly line: number,
		message: string
	) {
		super(message);
	}
}

const NEWLINE = 0x0a;
const PROGRESS_EVERY_LINES = 2000;

/**
 * Parses a file's records and hands each good one to `store`; bad records become problems. JSONL is
 * decoded line by line from the bytes, so a file larger than the longest JavaScript string (about
 * 512 MiB) imports like any other. Throws UnreadableFile for a file that is not gzip, not text or not UTF-8.
 */
function readRecords(
	name: string,
	bytes: Uint8Array,
	labels: readonly string[],
	problems: ImportProblem[],
	store: (line: number, article: ArticleInput) => void,
	progress: (fileFraction: number) => void
): void {
	const lower = name.toLowerCase();
	let data = bytes;
	if (lower.endsWith('.gz')) {
		try {
			data = gunzipSync(bytes);
		} catch (error) {
			throw new UnreadableFile(0, `not a valid gzip file (${(error as Error).message}): nothing imported from this file`);
		}
	}
	// A Word document or a PDF saved under a text name would only be called "not UTF-8", and
	// re-encoding is not what fixes it: say what the file is.
	const format = describeNonTextFile(data);
	if (format) throw new UnreadableFile(0, `${format}, not a text file: nothing imported from this file; save it as plain text (UTF-8) or JSONL`);
	// Windows Notepad's "Unicode": the byte order mark says it, rather than the first byte UTF-8 refuses.
	if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
		throw new UnreadableFile(0, 'encoded in UTF-16, not UTF-8: nothing imported from this file; re-encode it as UTF-8');
	}
	const accept = (line: number, parsed: ParsedInput) => {
		if (parsed.ok) store(line, parsed.article);
		else problems.push({ file: name, line, message: parsed.message });
	};
	if (lower.endsWith('.txt')) {
		const decoded = decodeUtf8(data);
		if (!decoded.ok) throw new UnreadableFile(decoded.line, decoded.message);
		// An empty page has no line to point at.
		accept(decoded.text.trim() === '' ? 0 : 1, articleFromTextPage(path.basename(name).replace(/\.txt$/i, ''), decoded.text));
		return;
	}
	const decoder = new TextDecoder('utf-8', { fatal: true });
	let line = 0;
	let records = 0;
	for (let start = 0; start < data.length; ) {
		line++;
		const newline = data.indexOf(NEWLINE, start);
		const end = newline < 0 ? data.length : newline;
		const bytesOfLine = data.subarray(start, end);
		let text: string;
		try {
			text = decoder.decode(bytesOfLine);
		} catch {
			const offset = firstInvalidUtf8Byte(bytesOfLine);
			throw new UnreadableFile(line, invalidUtf8Message(bytesOfLine[offset], start + offset));
		}
		if (text.trim() !== '') {
			records++;
			accept(line, articleFromJsonLine(text, labels));
		}
		if (line % PROGRESS_EVERY_LINES === 0) progress(end / data.length);
		start = end + 1;
	}
	// An empty export or a truncated download should not pass for a successful import.
	if (records === 0) problems.push({ file: name, line: 0, message: 'the file holds no record (it is empty or blank)' });
}

/** Files people mistake for text, by their first bytes (what `file` would say), or null. */
const NON_TEXT_SIGNATURES: { bytes: number[]; name: string }[] = [
	{ bytes: [0x50, 0x4b, 0x03, 0x04], name: 'a ZIP archive (a Word .docx or OpenDocument .odt document is one)' },
	{ bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], name: 'a PDF document' },
	{ bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], name: 'an old Word (.doc) or Excel (.xls) document' },
	{ bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], name: 'an RTF document' },
	{ bytes: [0x1f, 0x8b], name: 'a gzip archive without the .gz extension' }
];

function describeNonTextFile(bytes: Uint8Array): string | null {
	const match = NON_TEXT_SIGNATURES.find((signature) => signature.bytes.every((byte, i) => bytes[i] === byte));
	return match?.name ?? null;
}

/** Strict UTF-8 decoding; on failure says on which line the first invalid byte sits. */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; line: number; message: string } {
	try {
		return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
	} catch {
		const offset = firstInvalidUtf8Byte(bytes);
		if (offset >= bytes.length) return { ok: false, line: 0, message: `too large to read as one text (${bytes.length} bytes)` };
		let line = 1;
		for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
		return { ok: false, line, message: invalidUtf8Message(bytes[offset], offset) };
	}
}

function invalidUtf8Message(byte: number | undefined, offset: number): string {
	// The whole file is refused (an encoding is the file's, not a line's): say so, or the good
	// lines around the bad one look lost.
	return `not valid UTF-8 (byte 0x${byte?.toString(16).padStart(2, '0')} at offset ${offset}): nothing imported from this file; re-encode it as UTF-8`;
}

function firstInvalidUtf8Byte(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i];
		const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
		if (length === 0) return i;
		for (let k = 1; k < length; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
		i += length;
	}
	return bytes.length;
}

export function hashText(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

function storeArticle(db: Db, project: Project, file: string, line: number, article: ArticleInput, summary: ImportSummary): void {
	const contentHash = hashText(article.text);
	let externalId = article.externalId ?? `sha256-${contentHash.slice(0, 16)}`;
	let document = db
		.select({ id: documents.id, externalId: documents.externalId })
		.from(documents)
		.where(and(eq(documents.projectId, project.id), eq(documents.contentHash, contentHash)))
		.get();
	if (document) {
		if (!article.annotations) summary.duplicates++;
		// Same text under another id: not an error (a syndicated article, a re-scrape), but say which.
		if (article.externalId && article.externalId !== document.externalId) {
			summary.sameTextOtherId.push({
				file,
				line,
				id: article.externalId,
				existingId: document.externalId,
				message: `same text as document "${document.externalId}", already imported: not added again as "${article.externalId}"`
			});
		}
	} else {
		const taken = (id: string) =>
			db
				.select({ id: documents.id })
				.from(documents)
				.where(and(eq(documents.projectId, project.id), eq(documents.externalId, id)))
				.get() !== undefined;
		// A page's id is its file name; scraped trees reuse names (`site/a/index.txt`, `site/b/index.txt`),
		// so a second page of the same name takes its path as id instead of being refused.
		const pathId = file.replace(/\.txt$/i, '').split(/[\\/]+/).filter((part) => part !== '' && part !== '.' && part !== '..').join('/');
		if (taken(externalId) && /\.txt$/i.test(file) && pathId !== externalId && !taken(pathId)) externalId = pathId;
		if (taken(externalId)) {
			summary.problems.push({ file, line, message: `id "${externalId}" is already used by another document with a different text` });
			return;
		}
		document = db
			.insert(documents)
			.values({
				projectId: project.id,
				externalId,
				title: article.title,
				rawText: article.rawText,
				text: article.text,
				source: article.source,
				url: article.url,
				publishedAt: article.publishedAt,
				meta: article.meta,
				contentHash,
				cleaning: article.cleaning,
				wordCount: article.wordCount,
				charCount: article.charCount,
				importedFrom: path.basename(file)
			})
			.returning({ id: documents.id, externalId: documents.externalId })
			.get();
		summary.imported++;
	}
	if (!article.annotations) return;
	const owner = article.annotations.set ?? 'gold';
	const { spans, links } = annotationsToDrafts(article.annotations, `import:${path.basename(file)}`);
	const existing = findSet(db, document.id, owner);
	if (existing) {
		// Never overwrite work silently: the same annotations are a duplicate, different ones a problem.
		if (sameAnnotations(db, document.id, owner, spans, links)) {
			summary.duplicates++;
		} else {
			summary.problems.push({
				file,
				line,
				message: `document "${document.externalId}" already has a set "${owner}" with different annotations: not replaced (it may hold work done in Guillemet; import these under another "set" name to compare them)`
			});
		}
		return;
	}
	const user = ownerKindOf(owner) === 'annotator' ? ensureUser(db, owner) : null;
	const set = getOrCreateSet(db, document.id, owner, { userId: user?.id, status: article.annotations.status ?? 'done' });
	replaceSetContent(db, set.id, spans, links);
	summary.setsImported++;
}

/** Spans and links of a set as one comparable string: offsets, labels, attributes, link ends by span key. */
function setSignature(
	spans: readonly { layer: SpanLayer; start: number; end: number; label: string; attributes?: Record<string, unknown> }[],
	links: readonly { kind: string; from: string; to: string | null; toName?: string | null }[]
): string {
	const spanKeys = spans.map((span) => {
		const attributes = Object.entries(span.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
		return `${spanKey(span)}:${span.label}:${JSON.stringify(attributes)}`;
	});
	const linkKeys = links.map((link) => `${link.kind}:${link.from}>${link.to ?? `name:${link.toName ?? ''}`}`);
	return JSON.stringify([spanKeys.sort(), linkKeys.sort()]);
}

/** Whether the stored set holds exactly the annotations of this record (read as the workspace reads it). */
function sameAnnotations(db: Db, documentId: number, owner: string, spans: readonly SpanDraft[], links: readonly LinkDraft[]): boolean {
	const stored = loadAnnotatorSet(db, documentId, owner).snapshot;
	const draftLinks = links.map((link) => ({ kind: link.kind, from: spanKey(spans[link.from]), to: link.to === null ? null : spanKey(spans[link.to]), toName: link.toName }));
	return setSignature(stored.spans, stored.links) === setSignature(spans, draftLinks);
}
