// openDatabase on a DATABASE_PATH that cannot work: one DatabaseOpenError naming the file and
// the reason, whatever SQLite or the file system said; scripts print it as one line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DatabaseOpenError, isDatabaseBusy, openDatabase } from '../../src/lib/server/db/client';
import { runScript, STACK_LINE } from '../helpers/run-script';

let dir: string;
beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-open-'));
	fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a database, but long enough to have a header of sorts\n'.repeat(20));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function openError(file: string): DatabaseOpenError {
	try {
		openDatabase(file).$client.close();
	} catch (error) {
		expect(error).toBeInstanceOf(DatabaseOpenError);
		return error as DatabaseOpenError;
	}
	throw new Error(`${file} opened`);
}

describe('openDatabase', () => {
	it('names the file and the reason', () => {
		expect(openError(dir).message).toBe(`cannot open the database ${dir}: it is a folder, not a file`);
		const underFile = path.join(dir, 'notes.txt', 'data', 'guillemet.db');
		expect(openError(underFile).message).toMatch(
			new RegExp(`^cannot open the database ${underFile}: cannot create the folder ${path.dirname(underFile)} \\(ENOTDIR: not a directory`)
		);
		expect(openError(path.join(dir, 'notes.txt')).message).toMatch(/notes\.txt: the file is not a SQLite database$/);
	});

	it('still creates a database and its folder', () => {
		const file = path.join(dir, 'new', 'guillemet.db');
		openDatabase(file).$client.close();
		expect(fs.existsSync(file)).toBe(true);
	});
});

describe('a script on a bad DATABASE_PATH', () => {
	it.each([
		['scripts/import-articles/index.ts', ['test/fixtures/articles'], 'import'],
		['scripts/compute-agreement/index.ts', [], 'agreement']
	])('%s prints one line and exits 1', (script, args, prefix) => {
		const result = runScript(script, args, { DATABASE_PATH: dir });
		expect(result.stderr).toBe(`[${prefix}] error: cannot open the database ${dir}: it is a folder, not a file\n`);
		expect(result.stderr).not.toMatch(STACK_LINE);
		expect(result.status).toBe(1);
	});
});

describe('a write that meets another connection’s long write', () => {
	it('gives up after its own wait, as SQLITE_BUSY, and the web server says so in French without a stack', async () => {
		const file = path.join(dir, 'busy.db');
		const importer = openDatabase(file);
		const web = openDatabase(file, { busyTimeoutMs: 50 });
		expect(importer.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
		expect(web.$client.pragma('busy_timeout', { simple: true })).toBe(50);
		// An import holds the write lock for a whole file.
		importer.$client.prepare('BEGIN IMMEDIATE').run();
		let refused: unknown;
		try {
			web.$client.prepare("INSERT INTO projects (slug, name, label_schema) VALUES ('x', 'x', '{}')").run();
		} catch (error) {
			refused = error;
		} finally {
			importer.$client.prepare('ROLLBACK').run();
		}
		expect(isDatabaseBusy(refused)).toBe(true);
		expect(isDatabaseBusy(new Error('other'))).toBe(false);
		const { handleError } = await import('../../src/hooks.server');
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
		try {
			const shown = await handleError({ error: refused, status: 500, message: 'Internal Error', event: {} as never });
			expect(shown).toEqual({ message: 'La base est occupée par une autre écriture (un import en cours, sans doute) : rien n’a été enregistré, réessayez dans quelques secondes.' });
			expect(logged).not.toHaveBeenCalled();
			expect(warned).toHaveBeenCalledTimes(1);
		} finally {
			logged.mockRestore();
			warned.mockRestore();
		}
		importer.$client.close();
		web.$client.close();
	});
});
