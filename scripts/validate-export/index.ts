// npm run export:validate -- <file|folder>...: checks every record of exported files (JSONL
// records, token records, CoNLL) and prints `file:line: problem`; exits 1 on any problem.
import fs from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { createConllChecker, validateExportLine } from '../../src/lib/domain/export/validate-record';
import { parseCommandLine, plural } from '../lib/cli';

const log = (message: string) => console.error(`[export:validate] ${message}`);
const USAGE = `usage: npm run export:validate -- <file.jsonl[.gz] | file.conll | folder>...
  Checks every record of exported files (folders: their .jsonl, .ndjson and .conll files), and
  each file's record count against the manifest that names it; prints file:line: problem (or
  file: problem for a file that is missing or cannot be read, after checking the others) and
  exits 1 on any problem.`;
const EXPORT_FILE = /\.(jsonl|ndjson|conll)(\.gz)?$/i;

/** The files to check; a missing input stays in the list, to be reported with the others. */
function collect(inputs: string[]): { files: string[]; emptyFolders: string[] } {
	const files: string[] = [];
	const emptyFolders: string[] = [];
	for (const input of inputs) {
		if (fs.existsSync(input) && fs.statSync(input).isDirectory()) {
			const found = fs.readdirSync(input).sort().filter((name) => EXPORT_FILE.test(name));
			if (found.length === 0) emptyFolders.push(input);
			for (const name of found) files.push(path.join(input, name));
		} else {
			files.push(input);
		}
	}
	return { files, emptyFolders };
}

/** Why a file could not be read at all, in words. */
function describeReadError(error: NodeJS.ErrnoException): string {
	if (error.code === 'ENOENT') return 'no such file or folder';
	// zlib's codes: a file that is not gzip, or a gzip file cut short.
	if (error.code?.startsWith('Z_')) return `not a valid gzip file (${error.message})`;
	return `cannot be read (${error.message})`;
}

/**
 * The manifest of the export a file belongs to and the file's entry in it: `manifest.json` beside
 * a split file, `<name>.manifest.json` beside a single-file export; only a manifest that names the
 * file counts (a stale manifest from another export is not trusted).
 */
function manifestOf(file: string): { path: string; manifest: Manifest; part: ManifestPart } | undefined {
	const name = path.basename(file);
	const stem = name.replace(EXPORT_FILE, '');
	for (const candidate of [path.join(path.dirname(file), 'manifest.json'), path.join(path.dirname(file), `${stem}.manifest.json`)]) {
		const manifest = readManifest(candidate);
		const part = Object.values(manifest?.splits ?? {}).find((entry) => entry.file === name);
		if (manifest && part) return { path: candidate, manifest, part };
	}
	return undefined;
}

/** The tag list of the export a file belongs to: its manifest's `ner_labels`. */
function manifestLabels(file: string): string[] | undefined {
	const labels = manifestOf(file)?.manifest.ner_labels;
	return Array.isArray(labels) && labels.every((label) => typeof label === 'string') ? labels : undefined;
}

type ManifestPart = { file?: string; records?: unknown };
type Manifest = { ner_labels?: unknown; splits?: Record<string, ManifestPart> };
const manifests = new Map<string, Manifest | null>();

/** A folder's manifest, read once for all its files; null when absent or unreadable. */
function readManifest(manifestFile: string): Manifest | null {
	if (!manifests.has(manifestFile)) {
		let manifest: Manifest | null = null;
		try {
			manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
		} catch {
			manifest = null;
		}
		manifests.set(manifestFile, manifest);
	}
	return manifests.get(manifestFile) ?? null;
}

/**
 * The lines of a byte stream, each decoded on its own as strict UTF-8; a line that is not UTF-8
 * comes back as null. (readline would turn invalid bytes into U+FFFD, and a re-encoded file whose
 * spans still match the replaced text would pass.) A `\r` before the `\n` is dropped.
 */
async function* readUtf8Lines(input: NodeJS.ReadableStream): AsyncGenerator<string | null> {
	const decoder = new TextDecoder('utf-8', { fatal: true });
	const decode = (pieces: Buffer[]): string | null => {
		const bytes = Buffer.concat(pieces);
		try {
			return decoder.decode(bytes.at(-1) === 0x0d ? bytes.subarray(0, -1) : bytes);
		} catch {
			return null;
		}
	};
	// A long line arrives in several chunks: its pieces are joined once, at its end.
	let pieces: Buffer[] = [];
	for await (const chunk of input as AsyncIterable<Buffer>) {
		let start = 0;
		for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
			pieces.push(chunk.subarray(start, newline));
			yield decode(pieces);
			pieces = [];
			start = newline + 1;
		}
		if (start < chunk.length) pieces.push(chunk.subarray(start));
	}
	if (pieces.length) yield decode(pieces);
}

/** `raw` through gunzip; pipe alone would leave an error of `raw` (a file that cannot be opened)
 * unhandled, ending the process instead of failing this file's loop. */
function gunzipped(raw: fs.ReadStream): NodeJS.ReadableStream {
	const gunzip = createGunzip();
	raw.on('error', (error) => gunzip.destroy(error));
	return raw.pipe(gunzip);
}

async function validateFile(file: string): Promise<{ records: number; problems: number }> {
	const nerLabels = manifestLabels(file);
	const raw = fs.createReadStream(file);
	const input = file.toLowerCase().endsWith('.gz') ? gunzipped(raw) : raw;
	const conll = /\.conll(\.gz)?$/i.test(file) ? createConllChecker() : null;
	let lineNumber = 0;
	let records = 0;
	let problems = 0;
	let documents = 0;
	for await (const line of readUtf8Lines(input)) {
		lineNumber++;
		if (line === null) {
			if (!conll) records++;
			problems++;
			console.log(`${file}:${lineNumber}: not valid UTF-8 (Python's json and HF datasets refuse the file); was it re-encoded after the export?`);
			continue;
		}
		if (conll) {
			if (line.startsWith('-DOCSTART-')) documents++;
			else if (line !== '') records++;
			for (const problem of conll.check(line, lineNumber)) {
				problems++;
				console.log(`${file}:${problem.line}: ${problem.message}`);
			}
			continue;
		}
		if (line.trim() === '') continue;
		records++;
		for (const message of validateExportLine(line, { nerLabels })) {
			problems++;
			console.log(`${file}:${lineNumber}: ${message}`);
		}
	}
	// Every line can be valid in a file cut short at a line boundary (an interrupted copy or
	// download): its manifest says how many records it should hold (CoNLL: one per document).
	const expected = manifestOf(file);
	const found = conll ? documents : records;
	if (typeof expected?.part.records === 'number' && expected.part.records !== found) {
		problems++;
		console.log(`${file}: ${plural(found, conll ? 'document' : 'record')}, but ${path.basename(expected.path)} lists ${expected.part.records}: the file is incomplete, or the manifest is from another export`);
	}
	return { records, problems };
}

async function main(): Promise<void> {
	const inputs = parseCommandLine('export:validate', USAGE, { strict: true, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } }).positionals;
	if (inputs.length === 0) {
		log('error: no file or folder given');
		console.error(USAGE);
		process.exit(2);
	}
	const { files, emptyFolders } = collect(inputs);
	let total = 0;
	let failed = 0;
	for (const folder of emptyFolders) {
		total++;
		console.log(`${folder}: no .jsonl, .ndjson or .conll file in this folder`);
	}
	for (const file of files) {
		try {
			const { records, problems } = await validateFile(file);
			total += problems;
			if (problems) failed++;
			log(`${file}: ${plural(records, file.includes('.conll') ? 'token' : 'record')}, ${plural(problems, 'problem')}`);
		} catch (error) {
			total++;
			failed++;
			console.log(`${file}: ${describeReadError(error as NodeJS.ErrnoException)}`);
		}
	}
	console.log(`[export:validate] ${plural(files.length, 'file')}, ${plural(total, 'problem')}${failed ? ` in ${plural(failed, 'file')}` : ''}`);
	if (total > 0) process.exitCode = 1;
}

await main();
