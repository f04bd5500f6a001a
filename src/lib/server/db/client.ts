// Opens the SQLite file (WAL, foreign keys on) and applies the committed migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { PROJECT_ROOT } from '../config';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, 'drizzle');

/** Opens (creating if needed) the database at `file` and brings its schema up to date. */
export function openDatabase(file: string, options: { migrate?: boolean } = {}): Db {
	if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
	const sqlite = new Database(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma('synchronous = NORMAL');
	const db = drizzle(sqlite, { schema }) as Db;
	if (options.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
	return db;
}

/** Runs `work` in one write transaction (IMMEDIATE, so concurrent writers queue instead of failing). */
export function inTransaction<T>(db: Db, work: () => T): T {
	return db.$client.transaction(work).immediate();
}
