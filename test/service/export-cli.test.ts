// The export and validation scripts as a user runs them: clear messages and non-zero exits on
// bad arguments, a summary line and valid files on success.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../src/lib/server/import';
import { runScriptAsync as run, STACK_LINE, startScript } from '../helpers/run-script';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/export');

// Each case has its own files: they run side by side, each script process on a core of its own.
describe.concurrent('npm run export', () => {
	let temp: TempDatabase;
	let env: Record<string, string>;
	const exportCorpus = (...args: string[]) => run('scripts/export-corpus/index.ts', args, env);

	beforeAll(() => {
		temp = createTempDatabase();
		expect(importFiles(temp.db, temp.project, [path.join(FIXTURES, 'corpus.jsonl')]).problems).toEqual([]);
		env = { DATABASE_PATH: temp.file };
	});
	afterAll(() => temp.close());

	// One case per way the script refuses its arguments (the option parser, --out, the export
	// options, the --out layout): every message of the last two is tested where it is made
	// (test/unit/export-options.test.ts, test/service/export-corpus.test.ts), and an unknown
	// --project in test/service/cli-arguments.test.ts.
	it.each([
		[['--out', 'x.jsonl', '--fromat', 'bio'], 2, /Unknown option '--fromat'[\s\S]*usage: npm run export/],
		[['--format', 'bio'], 2, /--out is required/],
		[['--out', 'x.jsonl', '--split', 'train=0.9,test=0.2'], 2, /--split: the ratios add up to 1.1, not 1/],
		[['--out', 'OUT/a-file/x.jsonl'], 2, /--out ".*\/a-file\/x\.jsonl": .*\/a-file exists and is a file, not a folder\n$/]
	])('refuses %j with a clear message', async (args, code, message) => {
		fs.writeFileSync(path.join(temp.dir, 'a-file'), '');
		const resolved = args.map((arg) => arg.replace(/^OUT\//, `${temp.dir}/`));
		const result = await exportCorpus(...resolved);
		expect(result.stderr).toMatch(/^\[export\] error: /);
		expect(result.stderr).toMatch(message);
		expect(result.stderr).not.toMatch(STACK_LINE);
		expect(result.status).toBe(code);
	});

	it('fails when no document has a matching set, naming the owners that have one, and writes nothing', async () => {
		const file = path.join(temp.dir, 'nobody.jsonl');
		const result = await exportCorpus('--out', file, '--set', 'nobody');
		expect(result.stderr).toBe('[export] error: nothing to export: no document has a finished set matching --set nobody (finished sets exist for: gold, alice, bob); no file written\n');
		expect(result.stdout).toBe('');
		expect(result.status).toBe(1);
		expect(fs.readdirSync(temp.dir).filter((name) => name.startsWith('nobody'))).toEqual([]);
	});

	it('refuses a database that does not exist instead of creating one', async () => {
		const missing = path.join(temp.dir, 'missing.db');
		const result = await run('scripts/export-corpus/index.ts', ['--out', path.join(temp.dir, 'y.jsonl')], { DATABASE_PATH: missing });
		expect(result.status).toBe(1);
		expect(result.stderr).toBe(`[export] error: cannot open the database ${missing}: it does not exist (check DATABASE_PATH, or import articles first)\n`);
		expect(fs.existsSync(missing)).toBe(false);
	});

	it('exports splits, prints a summary, and the validator accepts the folder', async () => {
		const dir = path.join(temp.dir, 'cli-split');
		const result = await exportCorpus('--out', dir, '--split', 'train=0.6,test=0.4', '--seed', '3', '--gzip');
		expect(result.stderr).toBe(
			[`[export] wrote ${dir}/train.jsonl.gz`, `[export] wrote ${dir}/test.jsonl.gz`, `[export] wrote ${dir}/manifest.json`, '[export] 1 document has no finished set matching --set latest: not exported', ''].join('\n')
		);
		expect(result.stdout).toMatch(/^\[export\] 5 documents, 5 records \(documents: train \d, test \d\) in \d+\.\d s\n$/);
		expect(result.status).toBe(0);
		const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
		expect(manifest.command).toBe(`npm run export -- --out ${dir} --split train=0.6,test=0.4 --seed 3 --gzip`);
		const validated = await run('scripts/validate-export/index.ts', [dir], {});
		expect(validated.stdout).toBe('[export:validate] 2 files, 0 problems\n');
		expect(validated.status).toBe(0);
	});

	it('validator reads tag ids with the manifest of their export', async () => {
		const dir = path.join(temp.dir, 'cli-tag-ids');
		const result = await exportCorpus('--out', dir, '--format', 'bio', '--tag-ids', '--split', 'train=0.5,test=0.5', '--seed', '3');
		expect(result.status).toBe(0);
		expect((await run('scripts/validate-export/index.ts', [dir], {})).status).toBe(0);
		// An I- id right after O: only readable with the manifest's ner_labels.
		const labels: string[] = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).ner_labels;
		const file = path.join(dir, 'train.jsonl');
		const [first, ...rest] = fs.readFileSync(file, 'utf8').split('\n');
		const record = JSON.parse(first);
		record.ner_tags[0] = labels.indexOf('I-PER');
		fs.writeFileSync(file, [JSON.stringify(record), ...rest].join('\n'));
		const broken = await run('scripts/validate-export/index.ts', [dir], {});
		expect(broken.stdout).toContain(`${file}:1: ner_tags[0]: "I-PER" follows "O"`);
		expect(broken.status).toBe(1);
	});

	it('validator counts the records against the manifest, for a file cut short at a line boundary', async () => {
		const file = path.join(temp.dir, 'cut.jsonl');
		expect((await exportCorpus('--out', file)).status).toBe(0);
		expect((await run('scripts/validate-export/index.ts', [file], {})).status).toBe(0);
		const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
		fs.writeFileSync(file, lines.slice(0, -2).join('\n') + '\n');
		const cut = await run('scripts/validate-export/index.ts', [file], {});
		expect(cut.stdout).toContain(`${file}: ${lines.length - 2} records, but cut.manifest.json lists ${lines.length}: the file is incomplete, or the manifest is from another export`);
		expect(cut.status).toBe(1);
	});

	it('validator refuses a line that is not UTF-8, even when its offsets still match', async () => {
		const file = path.join(FIXTURES, 'invalid-latin1.jsonl');
		const result = await run('scripts/validate-export/index.ts', [file], {});
		expect(result.stdout).toContain(`${file}:2: not valid UTF-8`);
		expect(result.stdout).not.toContain(`${file}:1:`);
		expect(result.status).toBe(1);
	});

	it('validator reports an unreadable or missing file in words, without a line, and still checks the others', async () => {
		const notGzip = path.join(temp.dir, 'not-gzip.jsonl.gz');
		fs.writeFileSync(notGzip, 'plain text, not gzip\n');
		const missing = path.join(temp.dir, 'missing.jsonl.gz');
		const empty = path.join(temp.dir, 'empty-folder');
		fs.mkdirSync(empty);
		const valid = path.join(FIXTURES, 'valid-spans.jsonl');
		const result = await run('scripts/validate-export/index.ts', [notGzip, missing, empty, valid], {});
		expect(result.stdout).toContain(`${notGzip}: not a valid gzip file (incorrect header check)\n`);
		expect(result.stdout).toContain(`${missing}: no such file or folder\n`);
		expect(result.stdout).toContain(`${empty}: no .jsonl, .ndjson or .conll file in this folder\n`);
		expect(result.stdout).not.toMatch(/:0:/);
		expect(result.stderr).toMatch(new RegExp(`${valid}: \\d+ records, 0 problems`));
		expect(result.stderr).not.toMatch(STACK_LINE);
		expect(result.status).toBe(1);
	});

	it('validator prints file:line: problem and exits 1 on a broken file', async () => {
		const file = path.join(FIXTURES, 'invalid-dangling-link.jsonl');
		const result = await run('scripts/validate-export/index.ts', [file], {});
		expect(result.stdout).toContain(`${file}:2: quotes[0] "q1": speaker "e99" is not a span of this record`);
		expect(result.status).toBe(1);
	});
});

describe('npm run export, interrupted', () => {
	let temp: TempDatabase;

	beforeAll(() => {
		// Enough documents (2.5 MB of records a thousand) that the export is still writing after
		// its first progress line.
		temp = createTempDatabase();
		const sentence = (n: number) => `Dépêche n° ${n} : Mme Dupont a rencontré M. Martin à Lyon.`;
		const lines = Array.from({ length: 3000 }, (_, n) => {
			const text = Array.from({ length: 10 }, () => sentence(n)).join(' ');
			const start = [...text].length - 5;
			return JSON.stringify({ id: `doc-${n}`, text, set: 'gold', status: 'done', entities: [{ id: 'e1', start, end: start + 4, text: 'Lyon', label: 'LOC' }] });
		});
		const file = path.join(temp.dir, 'many.jsonl');
		fs.writeFileSync(file, lines.join('\n') + '\n');
		expect(importFiles(temp.db, temp.project, [file]).problems).toEqual([]);
	}, 60_000);
	afterAll(() => temp.close());

	it('counts in its summary as in its progress lines, and names what the records are', async () => {
		const file = path.join(temp.dir, 'all.jsonl');
		const result = await run('scripts/export-corpus/index.ts', ['--out', file, '--format', 'bio', '--unit', 'document'], { DATABASE_PATH: temp.file });
		expect(result.stderr).toContain('[export] 1,000 documents…');
		expect(result.stdout).toMatch(/^\[export\] 3,000 documents, 3,000 token records \(one per document\) in \d+\.\d s\n$/);
		expect(result.status).toBe(0);
	}, 60_000);

	it.each(['SIGINT', 'SIGTERM'] as const)('removes its partial files on %s and writes no file', async (signal) => {
		const dir = path.join(temp.dir, `split-${signal}`);
		const child = startScript('scripts/export-corpus/index.ts', ['--out', `${dir}/`, '--split', 'train=0.8,dev=0.1,test=0.1'], { DATABASE_PATH: temp.file });
		let stderr = '';
		let partialsWhenSignalled: string[] = [];
		child.stderr.on('data', (data) => {
			stderr += data;
			if (stderr.includes('1,000 documents') && partialsWhenSignalled.length === 0) {
				partialsWhenSignalled = fs.readdirSync(dir).sort();
				child.kill(signal);
			}
		});
		const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
		expect(partialsWhenSignalled).toEqual(['dev.jsonl.partial', 'test.jsonl.partial', 'train.jsonl.partial']);
		expect(stderr).toContain(`[export] interrupted by ${signal}: no file written`);
		expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
		expect(fs.readdirSync(dir)).toEqual([]);
	});

	it('removes its partial files on Ctrl-C in a terminal, run through npm', async () => {
		// A terminal's Ctrl-C signals the whole foreground process group (npm, its shell, the
		// script) while the export is busy formatting. A launcher process in between that relays
		// signals (the tsx CLI) kills a script that does not answer within 60 ms, .partial files
		// and all; package.json must start the scripts as a single node process. Token records per
		// document are small, so the export formats for long stretches between two writes.
		const dir = path.join(temp.dir, 'split-npm');
		const child = spawn('npm', ['run', '-s', 'export', '--', '--out', `${dir}/`, '--format', 'bio', '--unit', 'document', '--split', 'train=0.8,dev=0.1,test=0.1'], {
			cwd: ROOT,
			env: { ...process.env, DATABASE_PATH: temp.file },
			detached: true
		});
		let stderr = '';
		let signalled = false;
		child.stderr.on('data', (data) => {
			stderr += data;
			if (stderr.includes('1,000 documents') && !signalled) {
				signalled = true;
				process.kill(-child.pid!, 'SIGINT');
			}
		});
		// 'close' waits for every process holding the pipes, the script included.
		await new Promise((resolve) => child.on('close', resolve));
		expect(signalled).toBe(true);
		expect(stderr).toContain('[export] interrupted by SIGINT: no file written');
		expect(fs.readdirSync(dir)).toEqual([]);
	}, 60_000);
});
