// The foundation in a real browser: first start imports the samples, the list searches with
// accents and case folded, and a document opens with its cleaned paragraphs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startTestServer, TEST_ADMIN, type TestServer } from '../helpers/browser';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	server = await startTestServer();
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
		await page.close();
	});
});

describe('upload form', () => {
	it('imports an uploaded page, then reports it as already present', async () => {
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
