// npm run db:migrate — applies the committed migrations in drizzle/ to DATABASE_PATH.
import { loadConfig } from '../../src/lib/server/config';
import { applyMigrations, countAppliedMigrations, MIGRATIONS_FOLDER, openDatabase } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { createLogger, fail, parseCommandLine, plural } from '../lib/cli';

const NAME = 'db:migrate';
const log = createLogger(NAME);
const usage = `usage: npm run db:migrate
  Creates the database at DATABASE_PATH (default data/guillemet.db) if needed and applies the
  committed migrations in drizzle/. Takes no options.`;

// Before anything touches the database: a mistyped option must not create one.
parseCommandLine(NAME, usage, { strict: true, allowPositionals: false, options: { help: { type: 'boolean', short: 'h' } } });

// Outside the try: a variable of the environment that cannot be used is a usage error (exit 2, scripts/lib/cli.ts), not a failed migration.
const config = loadConfig();
try {
	const db = openDatabase(config.databasePath, { migrate: false });
	const before = countAppliedMigrations(db);
	applyMigrations(db);
	ensureDefaultProject(db);
	const after = countAppliedMigrations(db);
	// Say what happened: a new database, one brought up to date, or one that already was.
	if (before === 0) log.info(`created ${config.databasePath}: applied ${plural(after, 'migration')} from ${MIGRATIONS_FOLDER}`);
	else if (after > before) log.info(`${config.databasePath}: applied ${plural(after - before, 'new migration')} (${after} in all) from ${MIGRATIONS_FOLDER}`);
	else log.info(`${config.databasePath} is up to date (${plural(after, 'migration')} from ${MIGRATIONS_FOLDER})`);
	db.$client.close();
} catch (error) {
	fail(NAME, (error as Error).message);
}
