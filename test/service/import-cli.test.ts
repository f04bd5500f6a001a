// The import command as an ML engineer runs it: a folder, a summary line, problems with
// file:line, non-zero exit when something was refused, and clear argument errors.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/client';
import { runScriptAsync } from '../helpers/run-script';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

const prepared: TempDatabase[] = [];
afterAll(() => prepared.forEach((temp) => temp.close()));

/** A database of the case's own: the cases run side by side, each script mostly on one core. */
function prepare(): TempDatabase {
	const temp = createTempDatabase();
	prepared.push(temp);
	return temp;
}

function runImport(temp: TempDatabase, ...args: string[]) {
	return runScriptAsync('scripts/import-articles/index.ts', args, { DATABASE_PATH: temp.file });
}

describe.concurrent('npm run import', () => {
	it('imports a folder, reports bad lines with file and line, and re-running adds nothing', async () => {
		const temp = prepare();
		const first = await runImport(temp, 'test/fixtures/import', 'test/fixtures/articles');
		expect(first.status).toBe(1);
		expect(first.stdout).toMatch(/5 imported, 0 already present, 1 annotation set, 7 problems, from 5 files/);
		expect(first.stderr).toContain('test/fixtures/import/mixed.jsonl:5: text: is missing');
		expect(first.stderr).toContain('test/fixtures/import/latin1.txt:3: not valid UTF-8');
		const second = await runImport(temp, '--quiet', 'test/fixtures/articles');
		expect(second.status).toBe(0);
		expect(second.stdout).toMatch(/0 imported, 1 already present, 0 problems/);
		const db = openDatabase(temp.file);
		expect((db.$client.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n).toBe(5);
		db.$client.close();
	});

	it('names the files of other types it skips in a folder, the first few when there are many', async () => {
		const temp = prepare();
		const folder = path.join(temp.dir, 'scraped');
		fs.mkdirSync(folder);
		fs.writeFileSync(path.join(folder, 'page.txt'), 'Titre\nUn paragraphe.\n');
		fs.writeFileSync(path.join(folder, 'notes.md'), '# notes\n');
		const one = await runImport(temp, folder);
		expect(one.stdout).toContain(`[import] skipped 1 file of other types (only .txt, .jsonl, .jsonl.gz, .ndjson are imported): ${folder}/notes.md\n`);
		expect(one.status).toBe(0);
		for (const n of [1, 2, 3, 4, 5, 6]) fs.writeFileSync(path.join(folder, `records-${n}.json`), '{}\n');
		const many = await runImport(temp, '--quiet', folder);
		expect(many.stdout).toContain(`skipped 7 files of other types (only .txt, .jsonl, .jsonl.gz, .ndjson are imported): ${folder}/notes.md, ${folder}/records-1.json, ${folder}/records-2.json, ${folder}/records-3.json, ${folder}/records-4.json, and 2 more\n`);
	});

	it('lists every option in its usage', async () => {
		expect((await runImport(prepare(), '--help')).stdout).toMatch(/^usage: npm run import -- \[--project <slug>\] \[--quiet\] <file or folder>…\n/);
	});

	it('explains bad arguments', async () => {
		const temp = prepare();
		const [none, unknown, project] = await Promise.all([
			runImport(temp),
			runImport(temp, '--projet', 'x'),
			runImport(temp, '--project', 'absent', 'test/fixtures/articles')
		]);
		expect(none.status).toBe(2);
		expect(none.stderr).toMatch(/no file or folder given/);
		expect(unknown.status).toBe(2);
		expect(unknown.stderr).toMatch(/Unknown option '--projet'/);
		expect(project.stderr).toMatch(/project "absent" does not exist/);
		expect(project.status).toBe(2);
	});
});
