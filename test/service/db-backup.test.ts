// Backups on a temporary database with the real migrations: a consistent, checked, self-contained
// copy that opens as a Guillemet database, taken while another connection writes; never over a file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, defaultBackupName } from '../../src/lib/server/db/backup';
import { openDatabase } from '../../src/lib/server/db/client';
import { documents } from '../../src/lib/server/db/schema';
import { createTempDatabase, insertTestDocument, type TempDatabase } from '../helpers/temp-db';

let temp: TempDatabase;
beforeEach(() => (temp = createTempDatabase()));
afterEach(() => temp.close());

describe('database backups', () => {
	it('copy the database while another connection writes, into one file that opens with everything', async () => {
		for (let i = 0; i < 200; i++) insertTestDocument(temp, `doc-${i}`, `Texte ${i} : Lavrov et Stoltenberg à Munich. `.repeat(40));
		const writer = openDatabase(temp.file);
		const target = path.join(temp.dir, 'backups', defaultBackupName(new Date('2026-11-30T17:20:05Z')));
		expect(path.basename(target)).toBe('guillemet-2026-11-30T17-20-05.db');
		let steps = 0;
		const result = await backupDatabase(temp.db, target, () => {
			// A colleague saves while the copy runs.
			if (steps++ === 1) insertTestDocument({ ...temp, db: writer }, 'written-during', 'Écrit pendant la copie.');
		});
		writer.$client.close();
		expect(steps).toBeGreaterThan(1);
		expect(fs.readdirSync(path.dirname(target))).toEqual([path.basename(target)]);
		const copy = openDatabase(target);
		try {
			const ids = copy.select({ id: documents.externalId }).from(documents).all().map((row) => row.id);
			// Consistent: the copy has the document written during it (SQLite restarts the pages it changed).
			expect(ids).toHaveLength(201);
			expect(ids).toContain('written-during');
			expect(result).toMatchObject({ file: target, documents: 201, users: 0 });
			expect(result.bytes).toBe(fs.statSync(target).size);
		} finally {
			copy.$client.close();
		}
	});

	it('never replace a file, and leave nothing when they cannot be written', async () => {
		const taken = path.join(temp.dir, 'taken.db');
		fs.writeFileSync(taken, 'an earlier backup');
		await expect(backupDatabase(temp.db, taken)).rejects.toThrow(`${taken} already exists: a backup never replaces a file`);
		expect(fs.readFileSync(taken, 'utf8')).toBe('an earlier backup');
		await expect(backupDatabase(temp.db, path.join(taken, 'copy.db'))).rejects.toThrow(`${taken} is a file, not a folder`);
		await expect(backupDatabase(temp.db, '/proc/guillemet-backup.db')).rejects.toThrow();
		expect(fs.existsSync('/proc/guillemet-backup.db.partial')).toBe(false);
	});
});
