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

/** The database file cannot be opened (a folder, an unwritable place, not SQLite): an operator's error, not a bug. */
export class DatabaseOpenError extends Error {
	constructor(
		readonly file: string,
		reason: string
	) {
		super(`cannot open the database ${file}: ${reason}`);
		this.name = 'DatabaseOpenError';
	}
}

/**
 * Opens (creating if needed) the database at `file` and brings its schema up to date. `existing`:
 * refuse a file that is not there, for commands that only read or refresh the corpus, where a
 * mistyped DATABASE_PATH would otherwise answer with an empty report from a new, empty database.
 */
export function openDatabase(file: string, options: { migrate?: boolean; existing?: boolean; busyTimeoutMs?: number } = {}): Db {
	if (options.existing && file !== ':memory:' && !fs.existsSync(file)) {
		throw new DatabaseOpenError(file, 'it does not exist (check DATABASE_PATH, or import articles first)');
	}
	const sqlite = openSqlite(file, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
	const db = drizzle(sqlite, { schema }) as Db;
	if (options.migrate !== false) applyMigrations(db);
	return db;
}

/** Applies the committed migrations that `db` has not had yet. */
export function applyMigrations(db: Db): void {
	migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

/** How many committed migrations `db` has had (0 for a new file). */
export function countAppliedMigrations(db: Db): number {
	const table = db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
	return table ? (db.$client.prepare('SELECT COUNT(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0;
}

/**
 * How long a write waits for another connection's write (an import, a job) to finish before it
 * fails with SQLITE_BUSY. better-sqlite3 waits on the calling thread: the web server sets less.
 */
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** A write that gave up waiting for another connection's write (SQLITE_BUSY): retrying later will do. */
export function isDatabaseBusy(error: unknown): boolean {
	return (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
}

/** The connection with its settings; every way it can fail becomes one DatabaseOpenError naming the file. */
function openSqlite(file: string, busyTimeoutMs: number): Database.Database {
	if (file !== ':memory:') {
		const folder = path.dirname(file);
		try {
			fs.mkdirSync(folder, { recursive: true });
		} catch (error) {
			throw new DatabaseOpenError(file, `cannot create the folder ${folder} (${(error as Error).message})`);
		}
	}
	let sqlite: Database.Database | undefined;
	try {
		sqlite = new Database(file);
		sqlite.pragma('journal_mode = WAL');
		sqlite.pragma('foreign_keys = ON');
		sqlite.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
		sqlite.pragma('synchronous = NORMAL');
		return sqlite;
	} catch (error) {
		sqlite?.close();
		throw new DatabaseOpenError(file, describeOpenFailure(file, error as Error));
	}
}

function describeOpenFailure(file: string, error: Error): string {
	const code = (error as { code?: string }).code;
	const stat = fs.statSync(file, { throwIfNoEntry: false });
	if (stat?.isDirectory()) return 'it is a folder, not a file';
	if (code === 'SQLITE_NOTADB') return 'the file is not a SQLite database';
	if (code === 'SQLITE_CANTOPEN') {
		try {
			fs.accessSync(path.dirname(file), fs.constants.W_OK);
		} catch {
			return `the folder ${path.dirname(file)} is not writable`;
		}
	}
	return error.message;
}

/** Runs `work` in one write transaction (IMMEDIATE, so concurrent writers queue instead of failing). */
export function inTransaction<T>(db: Db, work: () => T): T {
	return db.$client.transaction(work).immediate();
}
