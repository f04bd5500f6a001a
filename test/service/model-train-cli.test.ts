// `npm run model:train -- --from-corpus --candidate …`: the promote/keep decision on tiny fixture
// models, judged through the app's evaluation path; a promotion changes the default model
// (models/DEFAULT) and keeps the old folder. Training itself needs PyTorch and is not run here.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/server/config';
import { runScriptAsync } from '../helpers/run-script';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

const root = path.resolve(import.meta.dirname, '..', '..');
const prepared: TempDatabase[] = [];
afterAll(() => prepared.forEach((temp) => temp.close()));

/** A database and a models folder (current, candidate) of the case's own: the cases run side by
 * side, each script mostly on one core. */
function prepare() {
	const temp = createTempDatabase();
	prepared.push(temp);
	const modelsDir = path.join(temp.dir, 'models');
	fs.cpSync(path.join(root, 'test/fixtures/models/bert-wordpiece-cased'), path.join(modelsDir, 'current'), { recursive: true });
	fs.cpSync(path.join(root, 'test/fixtures/models/bert-wordpiece-uncased'), path.join(modelsDir, 'candidate'), { recursive: true });
	return { temp, modelsDir };
}

function trainModel(args: string[], env: Record<string, string>) {
	return runScriptAsync('scripts/train-model/index.ts', args, env);
}

function train({ temp, modelsDir }: ReturnType<typeof prepare>, ...args: string[]) {
	return trainModel(
		['--from-corpus', '--candidate', 'candidate', '--eval', 'sample=test/fixtures/ner/sequoia-dev-sample.jsonl', '--no-preannotate', '--open-data', 'none', ...args],
		{ DATABASE_PATH: temp.file, MODELS_DIR: modelsDir, NER_MODEL: '' }
	);
}

describe.concurrent('npm run model:train', () => {
	it('promotes a candidate that passes the policy: models/DEFAULT names it, the old folder stays', async () => {
		const sandbox = prepare();
		const { modelsDir } = sandbox;
		fs.writeFileSync(path.join(modelsDir, 'DEFAULT'), 'current\n');
		const run = await train(sandbox, '--min-gain=-100', '--max-loss=100');
		expect(run.stderr).toBe('');
		expect(run.stdout).toMatch(/sample\s+\d+\.\d\s+\d+\.\d/);
		expect(run.stdout).toMatch(/promoted candidate \(was current\)/);
		expect(fs.readFileSync(path.join(modelsDir, 'DEFAULT'), 'utf8').trim()).toBe('candidate');
		expect(fs.existsSync(path.join(modelsDir, 'current', 'config.json'))).toBe(true);
		expect(loadConfig({ MODELS_DIR: modelsDir }).NER_MODEL).toBe('candidate');
	});

	it('keeps the current model when the candidate is not better', async () => {
		const sandbox = prepare();
		const { modelsDir } = sandbox;
		fs.writeFileSync(path.join(modelsDir, 'DEFAULT'), 'current\n');
		const run = await train(sandbox, '--min-gain', '100');
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(/kept current as the default: .*below the required gain/);
		expect(fs.readFileSync(path.join(modelsDir, 'DEFAULT'), 'utf8').trim()).toBe('current');
	});

	it('names a missing --candidate at once, in one line, and leaves no temporary folder', async () => {
		const { temp, modelsDir } = prepare();
		const tmp = path.join(temp.dir, 'tmp');
		fs.mkdirSync(tmp);
		const run = await trainModel(['--from-corpus', '--candidate', 'absent', '--open-data', 'none'], { DATABASE_PATH: temp.file, MODELS_DIR: modelsDir, NER_MODEL: 'current', TMPDIR: tmp });
		expect(run.stderr).toBe(`[model:train] error: --candidate absent: no model folder ${path.join(modelsDir, 'absent')} (expected its config.json)\n`);
		expect(run.status).toBe(2);
		expect(fs.readdirSync(tmp).filter((name) => name.startsWith('guillemet-'))).toEqual([]);
	});

	it.each([
		[['--eval', 'mine=absent.jsonl', '--open-data', 'none'], '--eval mine=absent.jsonl: no such file'],
		[['--open-data', 'no-such-folder'], `--open-data ${path.join(root, 'no-such-folder')}: no such folder`]
	])('names a missing %j before any work (the database is not even opened)', async (args, message) => {
		const { temp, modelsDir } = prepare();
		const run = await trainModel(['--from-corpus', ...args], { DATABASE_PATH: path.join(temp.dir, 'not-there.db'), MODELS_DIR: modelsDir, NER_MODEL: 'current' });
		expect(run.stderr).toBe(`[model:train] error: ${message}\n`);
		expect(run.status).toBe(2);
	});

	it('removes its temporary folder when it fails after creating it', async () => {
		const { temp, modelsDir } = prepare();
		const tmp = path.join(temp.dir, 'tmp');
		fs.mkdirSync(tmp);
		const run = await trainModel(['--from-corpus', '--open-data', 'none'], { DATABASE_PATH: temp.file, MODELS_DIR: modelsDir, NER_MODEL: 'current', TMPDIR: tmp });
		expect(run.stderr).toMatch(/nothing to evaluate on/);
		expect(run.status).toBe(1);
		expect(fs.readdirSync(tmp).filter((name) => name.startsWith('guillemet-'))).toEqual([]);
	});

	it('explains what it needs', async () => {
		const { temp } = prepare();
		const run = await trainModel([], { DATABASE_PATH: temp.file });
		expect(run.status).toBe(2);
		expect(run.stderr).toMatch(/--from-corpus is required/);
	});
});
