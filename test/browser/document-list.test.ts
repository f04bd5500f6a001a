// The foundation in a real browser: first start imports the samples, the list searches with
// accents and case folded, and a document opens with its cleaned paragraphs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startTestServer, type TestServer } from '../helpers/browser';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	server = await startTestServer();
	browser = await launchBrowser();
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
		await page.goto(`${server.url}/?q=otan`);
		expect(await page.locator('table.documents tbody tr').count()).toBeGreaterThanOrEqual(1);
		await page.goto(`${server.url}/?q=zzzintrouvable`);
		expect(await page.locator('.empty').textContent()).toContain('Aucun document ne correspond');
		await page.close();
	});
});
