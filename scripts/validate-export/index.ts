// npm run export:validate -- <file|folder>...: checks every record of exported files (JSONL
// records, token records, CoNLL) and prints `file:line: problem`; exits 1 on any problem.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createGunzip } from 'node:zlib';
import { createConllChecker, validateExportLine } from '../../src/lib/domain/export/validate-record';
import { parseCommandLine, plural } from '../lib/cli';

const log = (message: string) => console.error(`[export:validate] ${message}`);
const USAGE = `usage: npm run export:validate -- <file.jsonl[.gz] | file.conll | folder>...
  Checks every record of exported files (folders: their .jsonl, .ndjson and .conll files) and
  prints file:line: problem; exits 1 on any problem.`;
const EXPORT_FILE = /\.(jsonl|ndjson|conll)(\.gz)?$/i;

function collect(inputs: string[]): string[] {
	const files: string[] = [];
	for (const input of inputs) {
		if (!fs.existsSync(input)) throw new Error(`${input}: no such file or folder`);
		if (fs.statSync(input).isDirectory()) {
			for (const name of fs.readdirSync(input).sort()) if (EXPORT_FILE.test(name)) files.push(path.join(input, name));
		} else {
			files.push(input);
		}
	}
	return files;
}

/**
 * The tag list of the export a file belongs to: `ner_labels` of the manifest.json beside it, when
 * that manifest names the file (a stale manifest from another export is not trusted).
 */
function manifestLabels(file: string): string[] | undefined {
	const manifest = readManifest(path.join(path.dirname(file), 'manifest.json'));
	const named = Object.values(manifest?.splits ?? {}).some((part) => part.file === path.basename(file));
	const labels = manifest?.ner_labels;
	return named && Array.isArray(labels) && labels.every((label) => typeof label === 'string') ? labels : undefined;
}

type Manifest = { ner_labels?: unknown; splits?: Record<string, { file?: string }> };
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

async function validateFile(file: string): Promise<{ records: number; problems: number }> {
	const nerLabels = manifestLabels(file);
	const raw = fs.createReadStream(file);
	const input = file.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
	const lines = readline.createInterface({ input, crlfDelay: Infinity });
	const conll = /\.conll(\.gz)?$/i.test(file) ? createConllChecker() : null;
	let lineNumber = 0;
	let records = 0;
	let problems = 0;
	for await (const line of lines) {
		lineNumber++;
		if (conll) {
			if (line !== '' && !line.startsWith('-DOCSTART-')) records++;
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
	return { records, problems };
}

async function main(): Promise<void> {
	const inputs = parseCommandLine('export:validate', USAGE, { strict: true, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } }).positionals;
	if (inputs.length === 0) {
		log('no file or folder given');
		console.error(USAGE);
		process.exit(2);
	}
	let files: string[];
	try {
		files = collect(inputs);
	} catch (error) {
		log((error as Error).message);
		process.exit(2);
	}
	let total = 0;
	let failed = 0;
	for (const file of files) {
		try {
			const { records, problems } = await validateFile(file);
			total += problems;
			if (problems) failed++;
			log(`${file}: ${plural(records, file.includes('.conll') ? 'token' : 'record')}, ${plural(problems, 'problem')}`);
		} catch (error) {
			total++;
			failed++;
			console.log(`${file}:0: cannot be read (${(error as Error).message})`);
		}
	}
	console.log(`[export:validate] ${plural(files.length, 'file')}, ${plural(total, 'problem')}${failed ? ` in ${plural(failed, 'file')}` : ''}`);
	if (total > 0) process.exitCode = 1;
}

await main();
