// npm run db:migrate — applies the committed migrations in drizzle/ to DATABASE_PATH.
import { loadConfig } from '../../src/lib/server/config';
import { MIGRATIONS_FOLDER, openDatabase } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { createLogger, fail } from '../lib/cli';

const log = createLogger('db:migrate');
try {
	const config = loadConfig();
	const db = openDatabase(config.databasePath);
	ensureDefaultProject(db);
	const applied = db.$client.prepare('SELECT COUNT(*) AS n FROM __drizzle_migrations').get() as { n: number };
	log.info(`${config.databasePath} is up to date (${applied.n} migrations from ${MIGRATIONS_FOLDER})`);
	db.$client.close();
} catch (error) {
	fail('db:migrate', (error as Error).message);
}
