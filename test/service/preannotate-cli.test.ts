// `npm run preannotate` on a temporary database with a fixture model, and the background job
// runner the web app uses (same script, as a child process, progress in the jobs table).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotationSets, documents } from '../../src/lib/server/db/schema';
import { hashText } from '../../src/lib/server/import';
import { cancelJob, getJobProgress, listJobs, startPreannotationJob, type JobProgress } from '../../src/lib/server/jobs';
import { runScriptAsync } from '../helpers/run-script';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

const MODEL_ENV = { MODELS_DIR: path.resolve('test/fixtures/models'), NER_MODEL: 'bert-wordpiece-cased', NER_THREADS: '1' };
let temp: TempDatabase;

function addDocuments(count: number): void {
	for (let i = 0; i < count; i++) {
		const text = `Document ${i} : selon l’Otan, Sergueï Lavrov est arrivé à Moscou.`;
		temp.db
			.insert(documents)
			.values({
				projectId: temp.project.id,
				externalId: `doc-${i}`,
				title: `Document ${i}`,
				rawText: text,
				text,
				contentHash: hashText(text),
				cleaning: { rules: [] } as never,
				wordCount: 10,
				charCount: text.length
			})
			.run();
	}
}

async function runCli(args: string[], env: Record<string, string> = {}) {
	const result = await runScriptAsync('scripts/preannotate/index.ts', args, { ...MODEL_ENV, DATABASE_PATH: temp.file, ...env });
	return { code: result.status, out: result.stdout + result.stderr, stderr: result.stderr };
}

function modelSets(): number {
	return temp.db.select().from(annotationSets).all().filter((s) => s.ownerKind === 'model').length;
}

async function waitForJob(id: number): Promise<JobProgress> {
	for (let i = 0; i < 600; i++) {
		const job = getJobProgress(temp.db, id)!;
		if (!job.active) return job;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`job ${id} did not finish`);
}

beforeEach(() => {
	temp = createTempDatabase();
});
afterEach(() => temp.close());

describe('npm run preannotate', () => {
	it('pre-annotates new documents, continues where it stopped, and redoes all with --all', async () => {
		addDocuments(3);
		const first = await runCli(['--limit', '2']);
		expect(first.code, first.out).toBe(0);
		expect(first.out).toMatch(/\[preannotate\] 2 of 2 documents, \d+ suggestions/);
		expect(first.out).toMatch(/model:bert-wordpiece-cased@[0-9a-f]{12}, rules:quotes@/);
		expect(modelSets()).toBe(2);
		const second = await runCli(['--only-new']);
		expect(second.code, second.out).toBe(0);
		expect(second.out).toMatch(/1 of 1 documents/);
		const third = await runCli(['--all', '--dtype', 'fp32', '--batch-size', '2', '--threads', '2']);
		expect(third.code, third.out).toBe(0);
		expect(third.out).toMatch(/3 of 3 documents/);
		// fp32 is another file, hence another revision: it replaced the q8 revision's sets.
		expect(modelSets()).toBe(3);
	}, 120_000);

	it('refuses bad arguments with exit code 2 and says why', async () => {
		// Each is refused before any work: they run side by side.
		const [both, dtype, unknown, withJob] = await Promise.all([
			runCli(['--all', '--only-new']),
			runCli(['--dtype', 'int4']),
			runCli(['--bogus']),
			// A job runs with the options it was queued with: one given beside it would be ignored.
			runCli(['--job', '1', '--limit', '5', '--project', 'default'])
		]);
		expect(both.code).toBe(2);
		expect(both.out).toMatch(/exclude each other/);
		expect(dtype.code).toBe(2);
		expect(unknown.code).toBe(2);
		expect(unknown.out).toMatch(/usage/);
		expect(withJob.code).toBe(2);
		expect(withJob.out).toBe('[preannotate] error: --job runs a queued job with the options it was queued with: it takes no other option (got --limit, --project)\n');
	}, 60_000);

	it('names every step it runs in its usage', async () => {
		expect((await runCli(['--help'])).out).toMatch(/with the local NER model, the quote rules, the gazetteer and the\n\s+entity memory/);
	}, 60_000);

	it('fails with a clear message, as a usage error, when the model is missing', async () => {
		addDocuments(1);
		const result = await runCli([], { NER_MODEL: 'missing-model' });
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^\[preannotate\] error: NER_MODEL "missing-model" is not a model folder in .*; the models there: bert-wordpiece-cased, /);
	}, 60_000);
});

describe('background pre-annotation jobs', () => {
	it('runs off the request path and records progress until done', async () => {
		addDocuments(5);
		const started = startPreannotationJob(temp.db, temp.project.id, { mode: 'only-new' }, { env: MODEL_ENV });
		expect(started.active).toBe(true);
		expect(() => startPreannotationJob(temp.db, temp.project.id, { mode: 'all' }, { env: MODEL_ENV })).toThrow(`La pré-annotation n° ${started.id} est déjà en cours pour ce projet`);
		const finished = await waitForJob(started.id);
		expect(finished, finished.message ?? '').toMatchObject({ status: 'done', done: 5, total: 5, percent: 100 });
		expect(finished.message).toMatch(/^5 documents sur 5, \d+ suggestions?, 0 en échec, /);
		expect(modelSets()).toBe(5);
		expect(listJobs(temp.db, temp.project.id)[0].id).toBe(started.id);
	}, 60_000);

	it('can be cancelled; what was finished stays stored', async () => {
		addDocuments(400);
		const job = startPreannotationJob(temp.db, temp.project.id, { mode: 'only-new' }, { env: MODEL_ENV });
		// Wait until it has started working, then cancel.
		for (let i = 0; i < 600 && (getJobProgress(temp.db, job.id)!.done ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 50));
		const cancelled = cancelJob(temp.db, job.id)!;
		expect(cancelled.status).toBe('cancelled');
		// The worker stops; give it time to exit, then nothing changes any more.
		await new Promise((r) => setTimeout(r, 1500));
		const after = getJobProgress(temp.db, job.id)!;
		expect(after.status).toBe('cancelled');
		const stored = modelSets();
		await new Promise((r) => setTimeout(r, 500));
		expect(modelSets()).toBe(stored);
		expect(stored).toBeLessThan(400);
		// Its counter says what was finished, the document it was on when cancelled included.
		expect(getJobProgress(temp.db, job.id)!.done).toBe(stored);
	}, 60_000);

	it('a worker that fails marks the job failed with the reason', async () => {
		addDocuments(1);
		const job = startPreannotationJob(temp.db, temp.project.id, { mode: 'all', model: 'missing-model' }, { env: MODEL_ENV });
		const finished = await waitForJob(job.id);
		expect(finished.status).toBe('failed');
		expect(finished.message).toMatch(/missing-model/);
	}, 60_000);
});
