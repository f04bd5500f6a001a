// npm run db:backup -- [--out <file.db | folder/>]
// A consistent copy of DATABASE_PATH, safe while the app runs (SQLite's online backup), checked
// before it is given its name. Restoring is copying it back while the app is stopped (README).
import path from 'node:path';
import { loadConfig } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/client';
import { backupDatabase, defaultBackupName, describeBackupTargetProblem } from '../../src/lib/server/db/backup';
import { createLogger, createProgressBar, fail, parseCommandLine, plural } from '../lib/cli';

const NAME = 'db:backup';
const log = createLogger(NAME);
const usage = `usage: npm run db:backup -- [--out <file.db | folder/>]
  Copies the database at DATABASE_PATH while the app may be running (SQLite's online backup),
  checks the copy (integrity_check) and only then gives it its name; never replaces a file.
  --out <path>   the copy's file, or a folder (ending in /) to put it in
                 (default: backups/ beside the database, named guillemet-<date>T<time>.db)`;

const args = parseCommandLine(NAME, usage, { strict: true, allowPositionals: false, options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } });
const config = loadConfig();
const out = args.values.out;
const target =
	out === undefined
		? path.join(path.dirname(config.databasePath), 'backups', defaultBackupName())
		: out.endsWith('/') || out.endsWith(path.sep)
			? path.join(out, defaultBackupName())
			: out;
// Before the database is opened: a name already taken is the caller's to change.
const problem = describeBackupTargetProblem(target);
if (problem) fail(NAME, `--out: ${problem}`, 2);
if (path.resolve(target) === path.resolve(config.databasePath)) fail(NAME, '--out names the database itself', 2);

const db = openDatabase(config.databasePath, { existing: true, migrate: false });
const bar = createProgressBar(`[${NAME}] {bar} {percentage}%`);
try {
	const started = performance.now();
	bar.start(100);
	const result = await backupDatabase(db, target, (fraction) => bar.update(Math.round(fraction * 100)));
	bar.stop();
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	log.info(
		`wrote ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB, checked: ${plural(result.documents, 'document')}, ${plural(result.annotationSets, 'annotation set')}, ${plural(result.users, 'account')}) in ${seconds} s`
	);
} catch (error) {
	bar.stop();
	fail(NAME, (error as Error).message);
} finally {
	db.$client.close();
}
