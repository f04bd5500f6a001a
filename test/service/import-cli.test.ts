// The import command as an ML engineer runs it: a folder, a summary line, problems with
// file:line, non-zero exit when something was refused, and clear argument errors; and the same
// script as the Importer page's background job (--job), with its summary in the jobs table.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/client';
import { jobs } from '../../src/lib/server/db/schema';
import type { ImportSummary } from '../../src/lib/server/import';
import { failAbandonedJobs, getJobProgress, JobAlreadyRunningError, startImportJob, uploadFolder, UploadNotStoredError, type JobProgress } from '../../src/lib/server/jobs';
import { runScriptAsync } from '../helpers/run-script';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

const prepared: TempDatabase[] = [];
afterAll(() => prepared.forEach((temp) => temp.close()));

/** A database of the case's own: the cases run side by side, each script mostly on one core. */
function prepare(): TempDatabase {
	const temp = createTempDatabase();
	prepared.push(temp);
	return temp;
}

function runImport(temp: TempDatabase, ...args: string[]) {
	return runScriptAsync('scripts/import-articles/index.ts', args, { DATABASE_PATH: temp.file });
}

describe.concurrent('npm run import', () => {
	it('imports a folder, reports bad lines with file and line, and re-running adds nothing', async () => {
		const temp = prepare();
		const first = await runImport(temp, 'test/fixtures/import', 'test/fixtures/articles');
		expect(first.status).toBe(1);
		expect(first.stdout).toMatch(/5 imported, 0 already present, 1 annotation set, 7 problems, from 5 files/);
		expect(first.stderr).toContain('test/fixtures/import/mixed.jsonl:5: text: is missing');
		expect(first.stderr).toContain('test/fixtures/import/latin1.txt:3: not valid UTF-8');
		const second = await runImport(temp, '--quiet', 'test/fixtures/articles');
		expect(second.status).toBe(0);
		expect(second.stdout).toMatch(/0 imported, 1 already present, 0 problems/);
		const db = openDatabase(temp.file);
		expect((db.$client.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n).toBe(5);
		db.$client.close();
	});

	it('names the files of other types it skips in a folder, the first few when there are many', async () => {
		const temp = prepare();
		const folder = path.join(temp.dir, 'scraped');
		fs.mkdirSync(folder);
		fs.writeFileSync(path.join(folder, 'page.txt'), 'Titre\nUn paragraphe.\n');
		fs.writeFileSync(path.join(folder, 'notes.md'), '# notes\n');
		const one = await runImport(temp, folder);
		expect(one.stdout).toContain(`[import] skipped 1 file of other types (only .txt, .jsonl, .jsonl.gz, .ndjson are imported): ${folder}/notes.md\n`);
		expect(one.status).toBe(0);
		for (const n of [1, 2, 3, 4, 5, 6]) fs.writeFileSync(path.join(folder, `records-${n}.json`), '{}\n');
		const many = await runImport(temp, '--quiet', folder);
		expect(many.stdout).toContain(`skipped 7 files of other types (only .txt, .jsonl, .jsonl.gz, .ndjson are imported): ${folder}/notes.md, ${folder}/records-1.json, ${folder}/records-2.json, ${folder}/records-3.json, ${folder}/records-4.json, and 2 more\n`);
	});

	it('lists every option in its usage', async () => {
		expect((await runImport(prepare(), '--help')).stdout).toMatch(/^usage: npm run import -- \[--project <slug>\] \[--quiet\] <file or folder>…\n/);
	});

	it('explains bad arguments', async () => {
		const temp = prepare();
		const [none, unknown, project] = await Promise.all([
			runImport(temp),
			runImport(temp, '--projet', 'x'),
			runImport(temp, '--project', 'absent', 'test/fixtures/articles')
		]);
		expect(none.status).toBe(2);
		expect(none.stderr).toMatch(/no file or folder given/);
		expect(unknown.status).toBe(2);
		expect(unknown.stderr).toMatch(/Unknown option '--projet'/);
		expect(project.stderr).toMatch(/project "absent" does not exist/);
		expect(project.status).toBe(2);
	});
});

async function waitForJob(temp: TempDatabase, id: number): Promise<JobProgress> {
	for (let i = 0; i < 300; i++) {
		const job = getJobProgress(temp.db, id)!;
		if (!job.active) return job;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`job ${id} did not finish`);
}

function countDocuments(temp: TempDatabase): number {
	return (temp.db.$client.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n;
}

describe('background import jobs (the Importer page)', () => {
	const uploads = [
		{ name: 'depeches.jsonl', bytes: fs.readFileSync('test/fixtures/import/mixed.jsonl') },
		{ name: 'brève.txt', bytes: Buffer.from('Brève de test\n\nLe Parlement européen a voté jeudi à Strasbourg.\n') }
	];

	it('imports the stored uploads in a child process, with the summary in the jobs table, then removes them', async () => {
		const temp = prepare();
		const job = startImportJob(temp.db, temp.project.id, uploads);
		expect(job.kind).toBe('import');
		expect(fs.readdirSync(uploadFolder(temp.db, job.id)).sort()).toEqual(['0.jsonl', '1.txt']);
		expect(path.dirname(path.dirname(uploadFolder(temp.db, job.id)))).toBe(temp.dir);
		// One import of a project at a time: the second is refused in French, naming the first.
		expect(() => startImportJob(temp.db, temp.project.id, uploads)).toThrow(JobAlreadyRunningError);
		expect(() => startImportJob(temp.db, temp.project.id, uploads)).toThrow(`L’import n° ${job.id} est déjà en cours`);

		const done = await waitForJob(temp, job.id);
		expect(done.status).toBe('done');
		const summary = done.result!.summary as ImportSummary;
		expect(summary.imported).toBe(countDocuments(temp));
		expect(summary.imported).toBeGreaterThan(1);
		// Problems name the files as they were sent, not where they were stored.
		expect(summary.problems).toContainEqual({ file: 'depeches.jsonl', line: 5, message: 'text: is missing' });
		expect(done.message).toMatch(/importés?, 0 déjà présent, \d+ problèmes?/);
		expect(fs.existsSync(uploadFolder(temp.db, job.id))).toBe(false);

		const again = await waitForJob(temp, startImportJob(temp.db, temp.project.id, uploads).id);
		expect((again.result!.summary as ImportSummary).imported).toBe(0);
		expect((again.result!.summary as ImportSummary).duplicates).toBe(summary.imported);
	});

	it('shows the progress of a large file while its one transaction is being written', async () => {
		const temp = prepare();
		const lines = Array.from({ length: 8000 }, (_, i) => JSON.stringify({ id: `d${i}`, title: `Dépêche ${i}`, text: `Le conseil municipal a voté la délibération n° ${i} jeudi soir.` }));
		const job = startImportJob(temp.db, temp.project.id, [{ name: 'grand.jsonl', bytes: Buffer.from(lines.join('\n')) }]);
		const seen: number[] = [];
		for (let i = 0; i < 600; i++) {
			const progress = getJobProgress(temp.db, job.id)!;
			if (!progress.active) break;
			if (progress.percent !== null) seen.push(progress.percent);
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		expect(seen.some((percent) => percent > 0 && percent < 100)).toBe(true);
		expect((await waitForJob(temp, job.id)).status).toBe('done');
		expect(countDocuments(temp)).toBe(8000);
	});

	it('fails a job whose worker is gone (server stopped) and removes its uploads, at start', () => {
		const temp = prepare();
		const folder = path.join(temp.dir, 'uploads', '7');
		fs.mkdirSync(folder, { recursive: true });
		fs.writeFileSync(path.join(folder, '0.jsonl'), '{}');
		// A pid no process has: the worker died with the server.
		temp.db.insert(jobs).values({ id: 7, projectId: temp.project.id, kind: 'import', status: 'running', params: { files: [], pid: 2 ** 22 + 1 } }).run();
		// After a reboot its pid may be another live process's (here, this test's): not its worker either.
		temp.db.insert(jobs).values({ id: 8, projectId: temp.project.id, kind: 'preannotate', status: 'running', params: { pid: process.pid } }).run();
		expect(failAbandonedJobs(temp.db)).toBe(2);
		const job = getJobProgress(temp.db, 7)!;
		expect(job.status).toBe('failed');
		expect(job.message).toContain('le processus d’import a disparu');
		expect(getJobProgress(temp.db, 8)!.status).toBe('failed');
		expect(fs.existsSync(folder)).toBe(false);
	});

	it('says in French when the uploads cannot be stored, and records the job as failed', () => {
		const temp = prepare();
		// A file where the uploads folder should be: mkdir fails as on a full or read-only disk.
		fs.writeFileSync(path.join(temp.dir, 'uploads'), '');
		expect(() => startImportJob(temp.db, temp.project.id, uploads)).toThrow(UploadNotStoredError);
		const [job] = temp.db.select().from(jobs).all();
		expect(job.status).toBe('failed');
		expect(countDocuments(temp)).toBe(0);
		expect(() => startImportJob(temp.db, temp.project.id, uploads)).toThrow(/Les fichiers envoyés n’ont pas pu être enregistrés sur le serveur \(.*\) : rien n’a été importé\./);
	});
});
