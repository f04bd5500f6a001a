// npm run import -- [--project slug] [--quiet] <files or folders…>
// Also the background worker of the Importer page: --job <id> imports the files that page stored
// for the job, reports progress and the summary in the jobs table (see src/lib/server/jobs), and
// removes the files when it ends.
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/client';
import { getProjectBySlug } from '../../src/lib/server/db/projects';
import { projects } from '../../src/lib/server/db/schema';
import { collectImportFiles, importFiles, importStoredFiles, SUPPORTED_EXTENSIONS, type ImportSummary } from '../../src/lib/server/import';
import { finishJob, markJobRunning, readJob, removeUploads, reportJobProgress, sendLiveProgress, type ImportJobParams } from '../../src/lib/server/jobs';
import { formatCount } from '../../src/lib/ui/numbers-fr';
import { createLogger, createProgressBar, fail, parseCommandLine, plural, positiveInteger } from '../lib/cli';

const NAME = 'import';
const log = createLogger(NAME);
const usage = `usage: npm run import -- [--project <slug>] [--quiet] <file or folder>…
  Imports .txt pages (first non-empty line = title; boilerplate removed) and JSONL records
  (${SUPPORTED_EXTENSIONS.filter((ext) => ext !== '.txt').join(', ')}), folders recursively; other files in
  folders are skipped and named. Articles already present are skipped.
  --project <slug>   target project (default: default)
  --quiet            no per-problem lines, summary only
  --job <id>         import the files the Importer page stored for this job (alone: no other
                     option, no file)`;

/** Files of folders that are not imported, named: a stray .md is fine, a .json meant as JSONL is not. */
function describeSkipped(skipped: readonly string[]): string {
	const SHOWN = 5;
	const names = skipped.slice(0, SHOWN).join(', ') + (skipped.length > SHOWN ? `, and ${(skipped.length - SHOWN).toLocaleString('en')} more` : '');
	return `skipped ${plural(skipped.length, 'file')} of other types (only ${SUPPORTED_EXTENSIONS.join(', ')} are imported): ${names}`;
}

const args = parseCommandLine(NAME, usage, {
	allowPositionals: true,
	strict: true,
	// No defaults: what was given is what --job refuses alongside it.
	options: { project: { type: 'string' }, quiet: { type: 'boolean' }, job: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
});
if (args.values.job !== undefined) {
	const others = Object.keys(args.values).filter((option) => option !== 'job');
	if (others.length || args.positionals.length) fail(NAME, `--job imports the files stored for that job: it takes no other option and no file`, 2);
	await runJob(positiveInteger(NAME, 'job', args.values.job)!);
}
if (args.positionals.length === 0) fail(NAME, `no file or folder given\n${usage}`, 2);

const config = loadConfig();
const db = openDatabase(config.databasePath);
let project;
try {
	project = getProjectBySlug(db, args.values.project ?? 'default');
} catch (error) {
	fail(NAME, (error as Error).message, 2);
}
const collected = collectImportFiles(args.positionals);
if (collected.skipped.length) log.info(describeSkipped(collected.skipped));
// By bytes, so that one large file shows its progress too.
const bar = createProgressBar('[import] {bar} {percentage}% | {files}/{filesTotal} files | {imported} documents | ETA {eta_formatted}');
bar.start(1, { files: 0, filesTotal: collected.files.length, imported: 0 });
const started = performance.now();
const summary = importFiles(db, project, collected.files, (progress) => {
	bar.setTotal(Math.max(1, progress.bytesTotal));
	bar.update(progress.bytesDone, { files: progress.filesDone, filesTotal: progress.filesTotal, imported: progress.imported });
});
bar.stop();
const problems = [...collected.problems, ...summary.problems];
if (!args.values.quiet) {
	for (const p of problems) log.error(`${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
	for (const note of summary.sameTextOtherId) log.warn(`${note.file}:${note.line}: ${note.message}`);
}
const seconds = (performance.now() - started) / 1000;
log.info(
	`${summary.imported.toLocaleString('en')} imported, ${summary.duplicates.toLocaleString('en')} already present${summary.setsImported ? `, ${plural(summary.setsImported, 'annotation set')}` : ''}, ${plural(problems.length, 'problem')}, from ${plural(summary.files, 'file')} in ${seconds.toFixed(1)} s (project ${project.slug}, ${config.databasePath})`
);
db.$client.close();
process.exit(problems.length ? 1 : 0);

/** The Importer page's background job: same service, summary and progress in the jobs table, uploads removed at the end. */
async function runJob(jobId: number): Promise<never> {
	const db = openDatabase(loadConfig().databasePath, { existing: true });
	const job = readJob(db, jobId);
	if (!job) fail(NAME, `job #${jobId} does not exist`, 2);
	if (job.status !== 'queued') {
		log.info(`job #${jobId} is ${job.status}; nothing to do`);
		process.exit(0);
	}
	let summary: ImportSummary;
	try {
		const project = db.select().from(projects).where(eq(projects.id, job.projectId)).get();
		if (!project) throw new Error(`project ${job.projectId} does not exist`);
		const { files } = job.params as unknown as ImportJobParams;
		let lastReport = 0;
		let running = false;
		// Progress in bytes, so that one large file moves too; the row is written at most 4 times a second.
		summary = importStoredFiles(db, project, files, (progress) => {
			if (!running) {
				markJobRunning(db, jobId, progress.bytesTotal);
				running = true;
			}
			if (performance.now() - lastReport < 250 && progress.filesDone < progress.filesTotal) return;
			lastReport = performance.now();
			// Inside a file's transaction the row's update is seen only when the file is written: the server is told directly too.
			sendLiveProgress(progress.bytesDone, progress.bytesTotal);
			reportJobProgress(db, jobId, progress.bytesDone, progress.bytesTotal, `${progress.imported} importés`);
		});
	} catch (error) {
		finishJob(db, jobId, 'failed', (error as Error).message);
		removeUploads(db, jobId);
		db.$client.close();
		fail(NAME, (error as Error).message);
	}
	// French: 0 and 1 take the singular.
	const s = (count: number) => (count > 1 ? 's' : '');
	const line = `${formatCount(summary.imported)} importé${s(summary.imported)}, ${formatCount(summary.duplicates)} déjà présent${s(summary.duplicates)}, ${formatCount(summary.problems.length)} problème${s(summary.problems.length)}`;
	finishJob(db, jobId, 'done', line, { result: { summary } as unknown as Record<string, unknown> });
	removeUploads(db, jobId);
	log.info(`job #${jobId}: ${summary.imported} imported, ${summary.duplicates} already present, ${plural(summary.problems.length, 'problem')}`);
	db.$client.close();
	process.exit(summary.problems.length ? 1 : 0);
}
