// A consistent copy of the database while the app keeps running: SQLite's online backup (the WAL
// file included, page by page, restarting if a writer changes a page it already copied), never a
// file copy, which can catch the database and its WAL out of step. The copy is written beside its
// final name, checked, and only then renamed: a backup that exists is a whole, sound database.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './client';

export interface BackupResult {
	file: string;
	bytes: number;
	/** Tables and their row counts in the copy, for the summary line and the tests. */
	documents: number;
	annotationSets: number;
	users: number;
}

/** Why `target` cannot receive a backup, or null: a backup never replaces a file. */
export function describeBackupTargetProblem(target: string): string | null {
	if (fs.existsSync(target)) return `${target} already exists: a backup never replaces a file, choose another name`;
	const folder = path.dirname(target);
	const blocking = fs.statSync(folder, { throwIfNoEntry: false });
	if (blocking && !blocking.isDirectory()) return `${folder} is a file, not a folder`;
	return null;
}

/** Copies `db` to `target` (which must not exist), checks the copy, and says what it holds. */
export async function backupDatabase(db: Db, target: string, onProgress?: (fraction: number) => void): Promise<BackupResult> {
	const problem = describeBackupTargetProblem(target);
	if (problem) throw new Error(problem);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	const partial = `${target}.partial`;
	fs.rmSync(partial, { force: true });
	try {
		await db.$client.backup(partial, {
			progress: ({ totalPages, remainingPages }) => {
				onProgress?.(totalPages ? 1 - remainingPages / totalPages : 1);
				// Pages per step: small enough that the app's writers are never held up for long.
				return 256;
			}
		});
		const copy = new Database(partial);
		try {
			// One self-contained file: the copy inherits WAL mode, whose -wal and -shm files would
			// stay behind under the temporary name. The app turns WAL back on when it opens it.
			copy.pragma('journal_mode = DELETE');
			const check = copy.pragma('integrity_check', { simple: true });
			if (check !== 'ok') throw new Error(`the copy failed SQLite's integrity check: ${String(check)}`);
			const count = (table: string) => (copy.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
			const result = { documents: count('documents'), annotationSets: count('annotation_sets'), users: count('users') };
			copy.close();
			fs.renameSync(partial, target);
			return { file: target, bytes: fs.statSync(target).size, ...result };
		} finally {
			if (copy.open) copy.close();
		}
	} catch (error) {
		fs.rmSync(partial, { force: true });
		throw error;
	}
}

/** `guillemet-2026-11-30T17-20-05.db`: a name that sorts by time and is valid on every file system. */
export function defaultBackupName(now = new Date()): string {
	return `guillemet-${now.toISOString().slice(0, 19).replace(/:/g, '-')}.db`;
}
