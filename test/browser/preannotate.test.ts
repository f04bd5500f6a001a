// Pre-annotation from the UI: one document at once from its page, and the whole corpus as a
// background job whose progress the page shows. A tiny fixture model stands in for the real one.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from '../helpers/browser';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	server = await startTestServer({
		env: { MODELS_DIR: path.resolve('test/fixtures/models'), NER_MODEL: 'bert-wordpiece-cased', NER_THREADS: '1' }
	});
	browser = await launchBrowser({ signInAs: { url: server.url, ...TEST_ADMIN } });
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('pre-annotation in the UI', () => {
	it('suggests annotations for one document from its page', async () => {
		const page = await browser.newPage();
		await page.goto(`${server.url}/?q=lavrov`);
		await Promise.all([page.waitForURL(/\/documents\/\d+$/), page.click('table.documents a')]);
		expect(await page.locator('mark.suggestion').count()).toBe(0);
		await Promise.all([page.waitForURL(/\/documents\/\d+$/), page.click('button:has-text("Suggérer des annotations")')]);
		// The quote rules find the sample's quotes whatever the (random) fixture model says.
		await page.locator('mark.suggestion.quote').first().waitFor();
		expect(await page.locator('mark.suggestion.quote').count()).toBeGreaterThanOrEqual(3);
		expect(await page.locator('button:has-text("Recalculer les suggestions")').count()).toBe(1);
		await page.close();
	});

	it('runs the whole corpus as a background job with visible progress', async () => {
		const page = await browser.newPage();
		await page.goto(`${server.url}/preannotate`);
		await page.check('input[value="all"]');
		await page.click('button:has-text("Lancer")');
		const job = page.locator('[data-testid="job"]').first();
		await job.waitFor();
		await page.waitForFunction(() => document.querySelector('[data-testid="job"] .status-label')?.textContent === 'terminée', null, { timeout: 60_000 });
		expect(await job.textContent()).toMatch(/9\s*\/\s*9/);
		// Said to a screen reader once, when it ends (the progress figures are not read out every second).
		expect((await page.getByRole('status').filter({ hasText: /^\s*Tâche/ }).textContent())?.trim()).toMatch(/^Tâche \d+ : terminée$/);
		await page.goto(server.url);
		const counts = await page.locator('table.documents tbody tr td:nth-child(5)').allTextContents();
		expect(counts.every((count) => /^\d+$/.test(count.trim()))).toBe(true);
		await page.close();
	});

	it('says in French that a job started from another tab is running, and shows it', async () => {
		const page = await browser.newPage();
		await page.goto(`${server.url}/preannotate`);
		// Meanwhile a colleague's job runs: a live process of its own, started with that job's `--job <id>`.
		const db = new Database(server.databasePath);
		const { id } = db
			.prepare("INSERT INTO jobs (project_id, kind, status, done, total, params) VALUES (1, 'preannotate', 'running', 3, 40, ?) RETURNING id")
			.get(JSON.stringify({ mode: 'all' })) as { id: number };
		const worker = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', '--', '--job', String(id)], { stdio: 'ignore' });
		db.prepare('UPDATE jobs SET params = ? WHERE id = ?').run(JSON.stringify({ mode: 'all', pid: worker.pid }), id);
		try {
			await page.click('button:has-text("Lancer")');
			const alert = page.locator('[role="alert"]');
			await alert.waitFor();
			expect(await alert.textContent()).toContain(`La pré-annotation n° ${id} est déjà en cours pour ce projet`);
			const job = page.locator('[data-testid="job"]').first();
			await page.waitForFunction((id) => document.querySelector('[data-testid="job"] strong')?.textContent === `#${id}`, id);
			expect(await job.textContent()).toMatch(/en cours.*3\s*\/\s*40/s);
			expect(await page.locator('form.start button[type="submit"]').isDisabled()).toBe(true);
		} finally {
			db.prepare("UPDATE jobs SET status = 'cancelled' WHERE id = ?").run(id);
			db.close();
			worker.kill();
		}
		await page.close();
	});
});
