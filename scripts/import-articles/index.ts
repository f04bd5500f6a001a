// npm run import -- [--project slug] [--quiet] <files or folders…>
import { loadConfig } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/client';
import { getProjectBySlug } from '../../src/lib/server/db/projects';
import { collectImportFiles, importFiles, SUPPORTED_EXTENSIONS } from '../../src/lib/server/import';
import { createLogger, createProgressBar, fail, parseCommandLine, plural } from '../lib/cli';

const NAME = 'import';
const log = createLogger(NAME);
const usage = `usage: npm run import -- [--project <slug>] [--quiet] <file or folder>…
  Imports .txt pages (first non-empty line = title; boilerplate removed) and JSONL records
  (${SUPPORTED_EXTENSIONS.filter((ext) => ext !== '.txt').join(', ')}), folders recursively; other files in
  folders are skipped and named. Articles already present are skipped.
  --project <slug>   target project (default: default)
  --quiet            no per-problem lines, summary only`;

/** Files of folders that are not imported, named: a stray .md is fine, a .json meant as JSONL is not. */
function describeSkipped(skipped: readonly string[]): string {
	const SHOWN = 5;
	const names = skipped.slice(0, SHOWN).join(', ') + (skipped.length > SHOWN ? `, and ${(skipped.length - SHOWN).toLocaleString('en')} more` : '');
	return `skipped ${plural(skipped.length, 'file')} of other types (only ${SUPPORTED_EXTENSIONS.join(', ')} are imported): ${names}`;
}

const args = parseCommandLine(NAME, usage, {
	allowPositionals: true,
	strict: true,
	options: { project: { type: 'string', default: 'default' }, quiet: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } }
});
if (args.positionals.length === 0) fail(NAME, `no file or folder given\n${usage}`, 2);

const config = loadConfig();
const db = openDatabase(config.databasePath);
let project;
try {
	project = getProjectBySlug(db, args.values.project!);
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
