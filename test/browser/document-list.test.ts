// The foundation in a real browser: first start imports the samples, the list searches with
// accents and case folded, and a document opens with its cleaned paragraphs.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from '../helpers/browser';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	// Small upload limits, so that the size checks are tried with small files.
	server = await startTestServer({ env: { UPLOAD_MAX_BYTES: String(300 * 1024), BODY_SIZE_LIMIT: '512K' } });
	browser = await launchBrowser({ signInAs: { url: server.url, ...TEST_ADMIN } });
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('document list', () => {
	it('shows the sample articles on first start, searches and opens a document', async () => {
		const page = await browser.newPage();
		await page.goto(server.url);
		expect(await page.locator('h1').textContent()).toBe('Documents');
		const rows = page.locator('table.documents tbody tr');
		expect(await rows.count()).toBe(9);

		// Accent- and case-insensitive: `securite` finds `sécurité`.
		await page.fill('input[name="q"]', 'securite lavrov');
		await Promise.all([page.waitForURL(/q=securite/), page.press('input[name="q"]', 'Enter')]);
		expect(await rows.count()).toBe(1);
		const link = rows.first().locator('a');
		expect(await link.textContent()).toBe('Lavrov: la Russie est prête à réinitialiser la coopération militaire avec l’Otan');

		await Promise.all([page.waitForURL(/\/documents\/\d+$/), link.click()]);
		const paragraphs = page.locator('.article-text p');
		expect(await paragraphs.first().textContent()).toMatch(/^Sur fond de tension diplomatique/);
		expect(await paragraphs.last().textContent()).toMatch(/sont également à l'ordre du jour\.$/);
		expect(await page.locator('.article-text').textContent()).not.toContain('S\'abonner');
		await page.close();
	});

	it('finds OTAN when searching Otan, and shows an empty result clearly', async () => {
		const page = await browser.newPage();
		// Typed as /documents, the list's address keeps its query.
		await page.goto(`${server.url}/documents?q=otan`);
		expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/?q=otan');
		expect(await page.locator('table.documents tbody tr').count()).toBeGreaterThanOrEqual(1);
		await page.goto(`${server.url}/?q=zzzintrouvable`);
		expect(await page.locator('.empty').textContent()).toContain('Aucun document ne correspond');
		// A whole paragraph pasted into the search box searches by its beginning.
		const pasted = `Sur fond de tension diplomatique provoquée par le renforcement de la présence de l’Otan en Europe, ${'le ministre russe des Affaires étrangères Sergueï Lavrov a déclaré '.repeat(4)}`;
		const response = await page.goto(`${server.url}/?q=${encodeURIComponent(pasted)}`);
		expect(response?.status()).toBe(200);
		expect(await page.locator('table.documents tbody tr').count()).toBe(1);
		await page.close();
	});
});

describe('upload form', () => {
	it('imports an uploaded page in a background job, then reports it as already present', async () => {
		const page = await browser.newPage();
		const file = {
			name: 'breve-test.txt',
			mimeType: 'text/plain',
			buffer: Buffer.from('Brève de test\n\nS’abonner\nLe Parlement européen a voté jeudi à Strasbourg.\n')
		};
		await page.goto(`${server.url}/import`);
		await page.setInputFiles('input[name="files"]', file);
		await page.click('main button[type="submit"]');
		const summary = page.locator('[data-testid="import-summary"]');
		await summary.waitFor();
		expect(await summary.textContent()).toMatch(/1\s+document importé,\s+0\s+déjà présent/);
		// Imported by a job, not inside the request: the page names it, and its stored upload is gone.
		const jobId = new URL(page.url()).searchParams.get('job');
		expect(jobId).toMatch(/^\d+$/);
		expect(fs.existsSync(path.join(path.dirname(server.databasePath), 'uploads', jobId!))).toBe(false);

		await page.setInputFiles('input[name="files"]', file);
		await page.click('main button[type="submit"]');
		await page.waitForFunction(() => /1\s+déjà présent/.test(document.querySelector('[data-testid="import-summary"]')?.textContent ?? ''));

		// A bad line is explained in French, with its file and line.
		await page.setInputFiles('input[name="files"]', { name: 'lignes.jsonl', mimeType: 'application/json', buffer: Buffer.from('{"text": "Bon."}\n{"title": "Sans texte"}\n') });
		await page.click('main button[type="submit"]');
		await page.getByText('lignes.jsonl:2').waitFor();
		expect(await page.locator('[data-testid="import-summary"] .problems li').first().textContent()).toBe('lignes.jsonl:2 — texte : manquant');

		await page.goto(`${server.url}/?q=strasbourg`);
		await page.click('table.documents a');
		expect(await page.locator('.article-text').textContent()).toBe('Le Parlement européen a voté jeudi à Strasbourg.');
		await page.close();
	});

	it('refuses an upload over the limit, in Ko or Mo, before sending it, and says what to do', async () => {
		const page = await browser.newPage();
		await page.goto(`${server.url}/import`);
		let posted = false;
		page.on('request', (request) => (posted ||= request.method() === 'POST'));
		await page.setInputFiles('input[name="files"]', { name: 'depeches.jsonl', mimeType: 'application/json', buffer: Buffer.alloc(400 * 1024, 'a') });
		await page.click('main button[type="submit"]');
		await page.locator('[role="alert"]').waitFor();
		expect((await page.locator('[role="alert"]').textContent())?.trim()).toBe(
			'Envoi trop volumineux : 400 Ko pour une limite de 300 Ko (UPLOAD_MAX_BYTES). Envoyez les fichiers en plusieurs fois, découpez le fichier, ou importez-le sur le serveur avec npm run import.'
		);
		expect(posted).toBe(false);

		// Sent anyway (no JavaScript) past the server's own body limit: said as such, not as an internal error.
		const response = await page.request.post(`${server.url}/import?/upload`, {
			headers: { origin: server.url, accept: 'text/html' },
			multipart: { files: { name: 'depeches.jsonl', mimeType: 'application/json', buffer: Buffer.alloc(600 * 1024, 'a') } }
		});
		expect(response.status()).toBe(413);
		const html = await response.text();
		expect(html).toContain('Envoi trop volumineux');
		expect(html).toContain('npm run import');
		expect(html).not.toContain('Erreur interne');
		await page.close();
	});

	it('explains an unsupported file type', async () => {
		const page = await browser.newPage();
		await page.goto(`${server.url}/import`);
		await page.setInputFiles('input[name="files"]', { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50]) });
		await page.click('main button[type="submit"]');
		await page.locator('[role="alert"]').waitFor();
		expect(await page.locator('[role="alert"]').textContent()).toContain('Type de fichier non pris en charge : photo.png');
		await page.close();
	});
});

// Annotators spend hours here, some with a screen reader, high zoom or the keyboard only: axe-core
// checks every main page, in the light and the dark scheme, and a serious or critical violation
// (missing name or label, contrast under 4.5:1, a control nested in another…) fails the build.
describe('accessibility', () => {
	const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

	/** Serious and critical violations on the page as it is, in both colour schemes (the dark one changes colours only: contrast is what it can break). */
	async function seriousViolations(page: Page): Promise<string[]> {
		const path = new URL(page.url()).pathname;
		const run = async (scheme: 'light' | 'dark', rules: string[] | null) => {
			await page.emulateMedia({ colorScheme: scheme });
			const results = await page.evaluate(
				(only) => (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, { resultTypes: ['violations'], ...(only ? { runOnly: only } : {}) }),
				rules
			);
			return results.violations
				.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
				.flatMap((violation) => violation.nodes.map((node) => `${path} (${scheme}) ${violation.id}: ${node.target.join(' ')} — ${node.failureSummary?.split('\n')[1]?.trim()}`));
		};
		const found = [...(await run('light', null)), ...(await run('dark', ['color-contrast']))];
		await page.emulateMedia({ colorScheme: 'light' });
		return found;
	}

	it('finds no serious violation on the main pages, in the light and the dark scheme', async () => {
		const found: string[] = [];
		const signedOut = await browser.newPage({ storageState: { cookies: [], origins: [] } });
		await signedOut.context().addInitScript(AXE_SOURCE);
		await signedOut.goto(`${server.url}/signin`);
		found.push(...(await seriousViolations(signedOut)));
		await signedOut.close();

		const page = await browser.newPage();
		await page.context().addInitScript(AXE_SOURCE);
		await page.goto(`${server.url}/?q=lavrov`);
		const documentPath = new URL(await page.locator('table.documents a').first().evaluate((link: HTMLAnchorElement) => link.href)).pathname;
		const id = documentPath.split('/').pop();
		for (const path of ['/', documentPath, '/review', `/review/${id}`, `/review/${id}/gold`, '/agreement', '/export', '/import', '/preannotate', '/suggestions', '/settings', '/guidelines', '/admin', '/account']) {
			await page.goto(`${server.url}${path}`);
			found.push(...(await seriousViolations(page)));
		}

		// The workspace's link picker, opened from the keyboard: a speaker mention, then a quote.
		await page.goto(`${server.url}${documentPath}`);
		await page.locator('[data-testid="save-state"]').waitFor();
		for (const key of ['n', 'm', 'n', 'Shift+ArrowRight', 'Shift+ArrowRight', 'q', 'p']) await page.keyboard.press(key);
		await page.locator('#picker-options [role="option"]').first().waitFor();
		found.push(...(await seriousViolations(page)));
		await page.close();
		expect(found).toEqual([]);
	});
});
