// npm run export:validate -- <file|folder>...: checks every record of exported files (JSONL
// records, token records, CoNLL) and prints `file:line: problem`; exits 1 on any problem.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createGunzip } from 'node:zlib';
import { createConllChecker, validateExportLine } from '../../src/lib/domain/export/validate-record';

const log = (message: string) => console.error(`[export:validate] ${message}`);
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

async function validateFile(file: string): Promise<{ records: number; problems: number }> {
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
		for (const message of validateExportLine(line)) {
			problems++;
			console.log(`${file}:${lineNumber}: ${message}`);
		}
	}
	return { records, problems };
}

async function main(): Promise<void> {
	const inputs = process.argv.slice(2).filter((arg) => arg !== '--');
	if (inputs.length === 0 || inputs.includes('--help')) {
		console.error('usage: npm run export:validate -- <file.jsonl[.gz] | file.conll | folder>...');
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
			log(`${file}: ${records} ${file.includes('.conll') ? 'tokens' : 'records'}, ${problems} problems`);
		} catch (error) {
			total++;
			failed++;
			console.log(`${file}:0: cannot be read (${(error as Error).message})`);
		}
	}
	console.log(`[export:validate] ${files.length} files, ${total} problems${failed ? ` in ${failed} files` : ''}`);
	if (total > 0) process.exitCode = 1;
}

await main();
