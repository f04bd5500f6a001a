// Every script answers --help with its usage (exit 0) and an unknown option with one error line
// and the usage (exit 2), before doing anything: no database created, no temporary folder left.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { runScriptAsync as runScript, startScript, STACK_LINE } from '../helpers/run-script';

let dir: string;
let env: Record<string, string>;
const database = () => path.join(dir, 'db', 'guillemet.db');
/** What the scripts left in their temporary folder (tsx keeps its cache there too). */
const leftovers = () => fs.readdirSync(path.join(dir, 'tmp')).filter((name) => name.startsWith('guillemet-'));

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-cli-'));
	fs.mkdirSync(path.join(dir, 'tmp'));
	env = { DATABASE_PATH: database(), TMPDIR: path.join(dir, 'tmp') };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A database as `npm run db:migrate` leaves it (tested below), made here: one script start fewer. */
function migratedDatabase(name: string): string {
	const file = path.join(dir, name);
	const db = openDatabase(file);
	ensureDefaultProject(db);
	db.$client.close();
	return file;
}

// Cases marked concurrent run side by side (each script start is mostly one core's work): they
// only read, and each checks that nothing was created, which no case beside it may do either.

describe('--help and unknown options', () => {
	it.concurrent.each([
		['scripts/evaluate-quotes/index.ts', 'quotes:eval'],
		['scripts/bench/import.ts', 'bench:import'],
		['scripts/bench/export.ts', 'bench:export'],
		['scripts/bench/workspace.ts', 'bench:workspace'],
		['scripts/migrate-database/index.ts', 'db:migrate'],
		['scripts/validate-export/index.ts', 'export:validate']
	])('%s', async (script, name) => {
		const [help, bogus] = await Promise.all([runScript(script, ['--help'], env), runScript(script, ['--bogus'], env)]);
		expect(help.stdout).toMatch(new RegExp(`^usage: npm run ${name}\\b`));
		expect(help.stderr).not.toMatch(STACK_LINE);
		expect(help.status).toBe(0);

		expect(bogus.stderr).toMatch(new RegExp(`^\\[${name}\\] error: Unknown option '--bogus'.*\\nusage: npm run ${name}\\b`));
		expect(bogus.stderr).not.toMatch(STACK_LINE);
		expect(bogus.status).toBe(2);

		expect(fs.existsSync(database())).toBe(false);
		expect(leftovers()).toEqual([]);
	});
});

describe('commands that read the corpus', () => {
	it.concurrent.each([
		['scripts/compute-agreement/index.ts', 'agreement', []],
		['scripts/backup-database/index.ts', 'db:backup', []],
		['scripts/preannotate/index.ts', 'preannotate', []],
		['scripts/train-model/index.ts', 'model:train', ['--from-corpus']]
	])('%s refuses a DATABASE_PATH that does not exist instead of creating an empty one', async (script, name, args) => {
		const missing = path.join(dir, 'typo', 'guillemet.db');
		const result = await runScript(script, args, { ...env, DATABASE_PATH: missing });
		expect(result.stderr).toContain(`[${name}] error: cannot open the database ${missing}: it does not exist`);
		expect(result.stderr).not.toMatch(STACK_LINE);
		expect(result.status).toBe(1);
		expect(fs.existsSync(path.dirname(missing))).toBe(false);
		expect(leftovers()).toEqual([]);
	});
});

describe('an unknown --project', () => {
	let existing: Record<string, string>;
	beforeAll(() => {
		existing = { ...env, DATABASE_PATH: migratedDatabase('projects.db') };
	});

	it.concurrent.each([
		['scripts/import-articles/index.ts', 'import', ['test/fixtures/articles']],
		['scripts/preannotate/index.ts', 'preannotate', []],
		['scripts/compute-agreement/index.ts', 'agreement', []],
		['scripts/export-corpus/index.ts', 'export', ['--out', 'unused.jsonl']]
	])('%s refuses it in one line, as a usage error (exit 2)', async (script, name, args) => {
		const result = await runScript(script, ['--project', 'nope', ...args], existing);
		expect(result.stderr).toBe(`[${name}] error: project "nope" does not exist (known: default)\n`);
		expect(result.status).toBe(2);
	});
});

describe('a variable of the environment that cannot be used', () => {
	it.concurrent.each([
		['scripts/import-articles/index.ts', 'import', ['test/fixtures/articles']],
		['scripts/compute-agreement/index.ts', 'agreement', []],
		['scripts/export-corpus/index.ts', 'export', ['--out', 'unused.jsonl']],
		['scripts/migrate-database/index.ts', 'db:migrate', []]
	])('%s names it in one line, as a usage error (exit 2)', async (script, name, args) => {
		const result = await runScript(script, args, { ...env, UPLOAD_MAX_BYTES: 'lots' });
		expect(result.stderr).toMatch(new RegExp(`^\\[${name}\\] error: UPLOAD_MAX_BYTES is invalid: .*\\n$`));
		expect(result.stderr).not.toMatch(STACK_LINE);
		expect(result.status).toBe(2);
		expect(fs.existsSync(database())).toBe(false);
	});
});

describe('npm run agreement', () => {
	it('says why there is nothing to compare instead of printing an empty table', async () => {
		const existing = { ...env, DATABASE_PATH: migratedDatabase('agreement.db') };
		const [result, unfinished] = await Promise.all([
			runScript('scripts/compute-agreement/index.ts', [], existing),
			runScript('scripts/compute-agreement/index.ts', ['--include-unfinished'], existing)
		]);
		expect(result.stdout).toBe('[agreement] nothing to compare in project default: no document has finished sets by two or more annotators; --include-unfinished also compares sets not marked done\n');
		expect(result.status).toBe(0);
		expect(unfinished.stdout).toBe('[agreement] nothing to compare in project default: no document has sets by two or more annotators\n');
	});
});

describe('a reader that has gone', () => {
	it('a command stops quietly (exit 0) when the reader of its output has gone (| head)', async () => {
		// quotes:eval: several lines, written while it still has work to do.
		const child = startScript('scripts/evaluate-quotes/index.ts', [], env);
		// The reading end closes before the script writes: its first line meets EPIPE.
		child.stdout.destroy();
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
		const status = await new Promise((resolve) => child.on('close', resolve));
		expect(stderr).toBe('');
		expect(status).toBe(0);
	});
});

describe('npm run quotes:eval', () => {
	it('refuses bad options and a gold file with lines that are not JSON in one line each, as [quotes:eval] error: …', async () => {
		const broken = path.join(dir, 'broken-gold.jsonl');
		fs.writeFileSync(broken, `${fs.readFileSync('test/fixtures/quotes/gold.jsonl', 'utf8').split('\n')[0]}\n{"id": "cut short\n`);
		const [entities, folder, result] = await Promise.all([
			runScript('scripts/evaluate-quotes/index.ts', ['--entities', 'all'], env),
			runScript('scripts/evaluate-quotes/index.ts', ['--data', dir], env),
			runScript('scripts/evaluate-quotes/index.ts', ['--data', broken], env)
		]);
		expect(entities.stderr).toBe('[quotes:eval] error: --entities is "none" or "gold" (got "all")\n');
		expect(entities.status).toBe(2);
		expect(folder.stderr).toBe(`[quotes:eval] error: --data ${dir}: a folder, not a file of gold records\n`);
		expect(folder.status).toBe(2);

		expect(result.stderr).toMatch(new RegExp(`^\\[quotes:eval\\] error: ${broken}:2: not JSON: .*\\n1 line not JSON; nothing scored\\n$`));
		expect(result.stderr).not.toMatch(STACK_LINE);
		expect(result.stdout).toBe('');
		expect(result.status).toBe(1);
	});
});

describe('npm run export:validate', () => {
	it('says that no file was given as an error, with the usage (exit 2)', async () => {
		const result = await runScript('scripts/validate-export/index.ts', [], env);
		expect(result.stderr).toMatch(/^\[export:validate\] error: no file or folder given\nusage: npm run export:validate /);
		expect(result.status).toBe(2);
	});
});

describe('npm run db:migrate', () => {
	it('creates and migrates the database only when called without arguments, and runs again on it', async () => {
		expect((await runScript('scripts/migrate-database/index.ts', ['stray'], env)).status).toBe(2);
		expect(fs.existsSync(database())).toBe(false);
		const migrated = await runScript('scripts/migrate-database/index.ts', [], env);
		expect(migrated.stdout).toMatch(/^\[db:migrate\] created .*guillemet\.db: applied \d+ migrations from /);
		expect(migrated.status).toBe(0);
		expect(fs.existsSync(database())).toBe(true);
		const again = await runScript('scripts/migrate-database/index.ts', [], env);
		expect(again.stdout).toMatch(/\[db:migrate\] .*guillemet\.db is up to date/);
		expect(again.status).toBe(0);
	});
});

describe('npm run db:backup', () => {
	it('writes a checked copy, and never replaces a file (a usage error)', async () => {
		const source = { ...env, DATABASE_PATH: migratedDatabase('to-back-up.db') };
		const folder = path.join(dir, 'backups');
		const made = await runScript('scripts/backup-database/index.ts', ['--out', `${folder}/`], source);
		expect(made.stdout).toMatch(/^\[db:backup\] wrote .*guillemet-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.db \(.* MiB, checked: 0 documents, 0 annotation sets, 0 accounts\)/);
		expect(made.status).toBe(0);
		const [copy] = fs.readdirSync(folder);
		const again = await runScript('scripts/backup-database/index.ts', ['--out', path.join(folder, copy)], source);
		expect(again.stderr).toBe(`[db:backup] error: --out: ${path.join(folder, copy)} already exists: a backup never replaces a file, choose another name\n`);
		expect(again.status).toBe(2);
		expect(fs.readdirSync(folder)).toEqual([copy]);
	});
});

describe('npm run bench:import', () => {
	it.concurrent.each([
		[['--count', 'abc'], /--count must be a positive integer \(got "abc"\)/],
		[['--per-file', '0'], /--per-file must be a positive integer \(got "0"\)/],
		[['--source', 'nowhere.jsonl.gz'], /--source nowhere\.jsonl\.gz: no such file/]
	])('refuses %j in one line, leaving no temporary folder', async (args, message) => {
		const result = await runScript('scripts/bench/import.ts', args, env);
		expect(result.stderr).toMatch(message);
		expect(result.stderr).not.toMatch(STACK_LINE);
		expect(result.status).toBe(2);
		expect(leftovers()).toEqual([]);
	});

	it('imports a few articles, prints its figures and removes its temporary folder', async () => {
		const result = await runScript('scripts/bench/import.ts', ['--count', '3', '--per-file', '5'], env);
		expect(result.stdout).toMatch(/\[bench:import\] 3 articles in 1 file \(/);
		expect(result.stdout).toMatch(/documents imported {3}3 \(0 duplicates\)/);
		expect(result.status).toBe(0);
		expect(leftovers()).toEqual([]);
	});
});

// Not side by side: bench:ner makes its temporary folder before it looks for the model.
describe('benchmarks given a model that is not there', () => {
	it.each([
		['scripts/bench/ner.ts', 'bench:ner', ['--threads', '1', '--runs', '1']],
		['scripts/bench/simulate-learning.ts', 'bench:learning', ['--data', 'test/fixtures/ner/sequoia-dev-sample.jsonl']]
	])('%s says so in one line, as a usage error (exit 2), leaving no temporary folder', async (script, name, args) => {
		const result = await runScript(script, ['--model', 'nope', ...args], env);
		expect(result.stderr).toMatch(new RegExp(`^\\[${name}\\] error: --model "nope" is not a model folder in .*; the models there: .*guillemet-ner-fr`));
		expect(result.stderr).not.toMatch(STACK_LINE);
		expect(result.status).toBe(2);
		expect(leftovers()).toEqual([]);
	});
});

describe('a model or a style that does not exist', () => {
	const MODELS_DIR = path.resolve('test/fixtures/models');
	const FOLDERS = 'bert-wordpiece-cased, bert-wordpiece-styles, bert-wordpiece-uncased, roberta-bytelevel, sentencepiece-unigram';
	it.each([
		['scripts/preannotate/index.ts', 'preannotate', []],
		['scripts/evaluate-ner/index.ts', 'ner:eval', ['--data', 'test/fixtures/ner/sequoia-dev-sample.jsonl']]
	])('%s names the option or variable, the value and the choices, as a usage error (exit 2)', async (script, name, args) => {
		const existing = { ...env, DATABASE_PATH: migratedDatabase('models.db'), MODELS_DIR, NER_MODEL: 'bert-wordpiece-styles' };

		const model = await runScript(script, [...args, '--model', 'bert-wordpiece'], existing);
		expect(model.stderr).toBe(
			`[${name}] error: --model "bert-wordpiece" is not a model folder in ${MODELS_DIR} (no ${path.join(MODELS_DIR, 'bert-wordpiece', 'config.json')}); the models there: ${FOLDERS} (NER_ALLOW_REMOTE=1 for a Hugging Face hub id)\n`
		);
		expect(model.status).toBe(2);

		const style = await runScript(script, [...args, '--style', 'sans-personnes'], existing);
		expect(style.stderr).toBe(`[${name}] error: --style "sans-personnes" is not a style of the model "bert-wordpiece-styles"; its styles: toutes, sans-lieux\n`);
		expect(style.status).toBe(2);

		const fromEnvironment = await runScript(script, args, { ...existing, NER_STYLE: 'sans-lieu' });
		expect(fromEnvironment.stderr).toBe(`[${name}] error: NER_STYLE "sans-lieu" is not a style of the model "bert-wordpiece-styles"; its styles: toutes, sans-lieux\n`);
		expect(fromEnvironment.status).toBe(2);

		const noStyles = await runScript(script, [...args, '--model', 'bert-wordpiece-cased', '--style', 'toutes'], existing);
		expect(noStyles.stderr).toBe(`[${name}] error: --style "toutes": the model "bert-wordpiece-cased" has no annotation styles; leave --style unset\n`);
		expect(noStyles.status).toBe(2);
	});
});

describe('npm run bench:export', () => {
	it('prints the size ratio rounded to one decimal', async () => {
		const result = await runScript('scripts/bench/export.ts', ['--documents', '30', '--small', '9', '--flavours', 'spans'], env);
		expect(result.stdout).toMatch(/peak RSS from 9 to 30 documents \(x3\.3\): spans \d+ -> \d+ MB/);
		expect(result.status).toBe(0);
	});
});

describe('npm start', () => {
	it.each([
		['PORT', 'notaport', 'a port number'],
		['SHUTDOWN_TIMEOUT', 'abc', 'a number of seconds'],
		['BODY_SIZE_LIMIT', 'lots', 'a size in bytes']
	])('refuses %s=%s in one line, before building or serving anything', (name, value, expected) => {
		const fresh = path.join(dir, `start-${name}.db`);
		const result = spawnSync(process.execPath, ['scripts/start.js'], { cwd: path.resolve(__dirname, '../..'), env: { ...process.env, ...env, DATABASE_PATH: fresh, [name]: value }, encoding: 'utf8' });
		expect(result.status).toBe(2);
		expect(result.stderr).toBe(`[guillemet] ${name} is invalid: "${value}" (expected ${expected}${name === 'PORT' ? ', 1–65535' : name === 'BODY_SIZE_LIMIT' ? ', e.g. 67108864 or 64M' : ''})\n`);
		expect(result.stdout).toBe('');
		expect(fs.existsSync(fresh)).toBe(false);
	});
});
