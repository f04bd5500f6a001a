// `npm run model:train -- --from-corpus --candidate …`: the promote/keep decision on tiny fixture
// models, judged through the app's evaluation path; a promotion changes the default model
// (models/DEFAULT) and keeps the old folder. Training itself needs PyTorch and is not run here:
// what it is given (the corpus split, train.py's arguments) is checked on the services the script calls.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/server/config';
import { getOrCreateSet, replaceSetContent } from '../../src/lib/server/db/annotation-sets';
import { exportToFiles } from '../../src/lib/server/export';
import { DEFAULT_EXPORT_OPTIONS } from '../../src/lib/domain/export/options';
import { exportTrainingCorpus, trainerArguments, type TrainerRun } from '../../src/lib/server/ner/training-corpus';
import { runScriptAsync } from '../helpers/run-script';
import { createTempDatabase, insertTestDocument, type TempDatabase } from '../helpers/temp-db';

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

describe('what model:train trains on', () => {
	/** `count` documents an annotator finished, each with one entity. */
	function prepareDoneDocuments(count: number): TempDatabase {
		const temp = createTempDatabase();
		prepared.push(temp);
		for (let i = 0; i < count; i++) {
			const id = insertTestDocument(temp, `article-${i}`, `Le ministre est arrivé à Paris le ${i + 1} mai. Il repart demain.`);
			const set = getOrCreateSet(temp.db, id, 'ana', { status: 'done' });
			replaceSetContent(temp.db, set.id, [{ layer: 'entity', start: 25, end: 30, label: 'LOC', origin: 'human', provenance: 'human:ana' }]);
		}
		return temp;
	}
	const documentsOf = (file: string) =>
		new Set(
			(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '')
				.split('\n')
				.filter(Boolean)
				.map((line) => (JSON.parse(line).id as string).split('#')[0])
		);

	it('splits the done documents into train, checkpoint-choice dev and held-out: disjoint, all of them, the same every time', async () => {
		const temp = prepareDoneDocuments(60);
		const first = await exportTrainingCorpus(temp.db, temp.project, path.join(temp.dir, 'first'), 'test');
		const again = await exportTrainingCorpus(temp.db, temp.project, path.join(temp.dir, 'again'), 'test');
		const parts = (['train', 'dev', 'heldout'] as const).map((part) => documentsOf(first.files[part]));
		for (const part of parts) expect(part.size).toBeGreaterThan(0);
		expect(parts.reduce((sum, part) => sum + part.size, 0)).toBe(60);
		expect(new Set(parts.flatMap((part) => [...part])).size).toBe(60);
		for (const part of ['train', 'dev', 'heldout'] as const) {
			expect(fs.readFileSync(again.files[part], 'utf8')).toBe(fs.readFileSync(first.files[part], 'utf8'));
			expect(first.sentences[part]).toBe(2 * documentsOf(first.files[part]).size);
		}
		// As README says: the held-out documents are the `test` part of an 80/10/10 export with seed 13.
		await exportToFiles(temp.db, {
			project: temp.project,
			options: { ...DEFAULT_EXPORT_OPTIONS, format: 'bio', split: [{ name: 'train', ratio: 0.8 }, { name: 'dev', ratio: 0.1 }, { name: 'test', ratio: 0.1 }], seed: 13 },
			out: path.join(temp.dir, 'export') + '/',
			command: 'test'
		});
		expect(documentsOf(path.join(temp.dir, 'export', 'test.jsonl'))).toEqual(parts[2]);
		expect(documentsOf(path.join(temp.dir, 'export', 'dev.jsonl'))).toEqual(parts[1]);
	});

	const run = (overrides: Partial<TrainerRun>): string[] =>
		trainerArguments({
			trainScript: 'train.py',
			initFrom: 'models/current',
			openTrain: [],
			projectTrain: '/tmp/corpus/train.jsonl',
			checkpointSets: [{ name: 'default-dev', file: '/tmp/corpus/dev.jsonl' }],
			minutes: 60,
			checkpointDir: '/tmp/ckpt',
			out: 'models/candidate',
			...overrides
		});
	/** The values following `flag` up to the next flag. */
	const valuesOf = (args: string[], flag: string) => {
		const from = args.indexOf(flag) + 1;
		const to = args.findIndex((arg, i) => i >= from && arg.startsWith('--'));
		return args.slice(from, to === -1 ? undefined : to);
	};

	it('gives train.py the project corpus once, and chooses the checkpoint on the dev slice, never the held-out one', () => {
		const alone = run({});
		expect(alone.filter((arg) => arg.includes('/tmp/corpus/train.jsonl'))).toEqual(['/tmp/corpus/train.jsonl:1:3']);
		expect(valuesOf(alone, '--train')).toEqual(['/tmp/corpus/train.jsonl:1:3']);
		expect(alone).not.toContain('--extra-train');
		expect(valuesOf(alone, '--dev')).toEqual(['default-dev=/tmp/corpus/dev.jsonl']);
		expect(alone.some((arg) => arg.includes('heldout'))).toBe(false);

		const withOpenData = run({
			openTrain: ['/data/ner-fr-sequoia/train.jsonl.gz@mentions:1:2', '/data/ner-fr-sequoia/test.jsonl.gz@mentions:1:2'],
			checkpointSets: [
				{ name: 'sequoia', file: '/data/ner-fr-sequoia/dev.jsonl.gz' },
				{ name: 'default-dev', file: '/tmp/corpus/dev.jsonl' }
			]
		});
		expect(valuesOf(withOpenData, '--train')).toEqual([
			'/data/ner-fr-sequoia/train.jsonl.gz@mentions:1:2',
			'/data/ner-fr-sequoia/test.jsonl.gz@mentions:1:2',
			'/tmp/corpus/train.jsonl:1:3'
		]);
		expect(withOpenData).toContain('--allow-test-split');
		expect(valuesOf(withOpenData, '--dev')).toEqual(['sequoia=/data/ner-fr-sequoia/dev.jsonl.gz', 'default-dev=/tmp/corpus/dev.jsonl']);
		expect(() => run({ checkpointSets: [] })).toThrow(/at least one set to choose its checkpoint on/);
	});
});
