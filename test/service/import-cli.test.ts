// The import command as an ML engineer runs it: a folder, a summary line, problems with
// file:line, non-zero exit when something was refused, and clear argument errors.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/client';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

const root = path.resolve(import.meta.dirname, '..', '..');
let temp: TempDatabase;
beforeEach(() => (temp = createTempDatabase()));
afterEach(() => temp.close());

function runImport(...args: string[]) {
	return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import-articles/index.ts', ...args], {
		cwd: root,
		env: { ...process.env, DATABASE_PATH: temp.file },
		encoding: 'utf8'
	});
}

describe('npm run import', () => {
	it('imports a folder, reports bad lines with file and line, and re-running adds nothing', () => {
		const first = runImport('test/fixtures/import', 'test/fixtures/articles');
		expect(first.status).toBe(1);
		expect(first.stdout).toMatch(/5 imported, 0 already present, 1 annotation set, 7 problems, from 5 files/);
		expect(first.stderr).toContain('test/fixtures/import/mixed.jsonl:5: text: is missing');
		expect(first.stderr).toContain('test/fixtures/import/latin1.txt:3: not valid UTF-8');
		const second = runImport('--quiet', 'test/fixtures/articles');
		expect(second.status).toBe(0);
		expect(second.stdout).toMatch(/0 imported, 1 already present, 0 problems/);
		const db = openDatabase(temp.file);
		expect((db.$client.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n).toBe(5);
		db.$client.close();
	});

	it('names the files of other types it skips in a folder, the first few when there are many', () => {
		const folder = path.join(temp.dir, 'scraped');
		fs.mkdirSync(folder);
		fs.writeFileSync(path.join(folder, 'page.txt'), 'Titre\nUn paragraphe.\n');
		fs.writeFileSync(path.join(folder, 'notes.md'), '# notes\n');
		const one = runImport(folder);
		expect(one.stdout).toContain(`[import] skipped 1 file of other types (only .txt, .jsonl, .jsonl.gz, .ndjson are imported): ${folder}/notes.md\n`);
		expect(one.status).toBe(0);
		for (const n of [1, 2, 3, 4, 5, 6]) fs.writeFileSync(path.join(folder, `records-${n}.json`), '{}\n');
		const many = runImport('--quiet', folder);
		expect(many.stdout).toContain(`skipped 7 files of other types (only .txt, .jsonl, .jsonl.gz, .ndjson are imported): ${folder}/notes.md, ${folder}/records-1.json, ${folder}/records-2.json, ${folder}/records-3.json, ${folder}/records-4.json, and 2 more\n`);
	});

	it('lists every option in its usage', () => {
		expect(runImport('--help').stdout).toMatch(/^usage: npm run import -- \[--project <slug>\] \[--quiet\] <file or folder>…\n/);
	});

	it('explains bad arguments', () => {
		const none = runImport();
		expect(none.status).toBe(2);
		expect(none.stderr).toMatch(/no file or folder given/);
		const unknown = runImport('--projet', 'x');
		expect(unknown.status).toBe(2);
		expect(unknown.stderr).toMatch(/Unknown option '--projet'/);
		const project = runImport('--project', 'absent', 'test/fixtures/articles');
		expect(project.stderr).toMatch(/project "absent" does not exist/);
		expect(project.status).toBe(2);
	});
});
