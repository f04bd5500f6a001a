// A fresh install opened in a browser on the server machine: no administrator yet, so the sign-in
// page offers to create one (loopback only), then shows the sample articles, pre-annotated in the
// background by the shipped model and the quote rules (the quick start's promise).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startTestServer, type TestServer } from '../helpers/browser';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	server = await startTestServer({ env: { GUILLEMET_ADMIN_USERNAME: '', GUILLEMET_ADMIN_PASSWORD: '', SAMPLES_PREANNOTATE: '1' } });
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('first start', () => {
	it('creates the first administrator from the sign-in page, then shows the samples', async () => {
		const page = await browser.newPage();
		await page.goto(server.url);
		expect(new URL(page.url()).pathname).toBe('/setup');
		expect(await page.locator('h1').textContent()).toBe('Bienvenue dans Guillemet');
		await page.fill('input[name="username"]', 'marie');
		await page.fill('input[name="password"]', 'un mot de passe solide');
		await page.fill('input[name="confirm"]', 'un autre mot de passe');
		await page.click('button:has-text("Créer et entrer")');
		await page.locator('[role="alert"]').waitFor();
		expect(await page.locator('[role="alert"]').textContent()).toContain('Les deux mots de passe diffèrent');

		await page.fill('input[name="password"]', 'un mot de passe solide');
		await page.fill('input[name="confirm"]', 'un mot de passe solide');
		await Promise.all([page.waitForURL(`${server.url}/`), page.click('button:has-text("Créer et entrer")')]);
		expect(await page.locator('table.documents tbody tr').count()).toBe(9);
		expect(await page.locator('nav a', { hasText: 'Admin' }).count()).toBe(1);

		// Once an administrator exists, the setup form is gone and cannot be replayed.
		const other = await browser.newPage();
		await other.goto(`${server.url}/signin`);
		expect(await other.locator('h1').textContent()).toBe('Connexion');
		await page.close();
		await other.close();
	});

	it('pre-annotates the samples in the background: they open with the model\'s suggestions', async () => {
		const page = await browser.newPage();
		await page.goto(`${server.url}/signin`);
		await page.fill('input[name="username"]', 'marie');
		await page.fill('input[name="password"]', 'un mot de passe solide');
		await Promise.all([page.waitForURL(`${server.url}/`), page.click('button[type="submit"]')]);
		await page.goto(`${server.url}/preannotate`);
		await page.waitForFunction(
			() => document.querySelector('[data-testid="job"] .status-label')?.textContent === 'terminée',
			null,
			{ timeout: 60_000, polling: 500 }
		);
		expect(await page.locator('[data-testid="job"]').count()).toBe(1);
		expect(await page.locator('[data-testid="job"]').first().textContent()).toMatch(/9\s*\/\s*9/);

		await page.goto(`${server.url}/?q=lavrov`);
		await Promise.all([page.waitForURL(/\/documents\/\d+$/), page.click('table.documents a')]);
		// The visible text of each person suggestion (its screen-reader description left out).
		const people = await page.$$eval('mark.suggestion.entity[data-tag^="PER?"]', (marks) =>
			marks.map((mark) =>
				Array.from(mark.childNodes)
					.filter((node) => !(node instanceof HTMLElement && node.hasAttribute('data-skip')))
					.map((node) => node.textContent)
					.join('')
			)
		);
		expect(people).toContain('Lavrov');
		expect(people.some((text) => text.includes('Stoltenberg'))).toBe(true);
		expect(await page.locator('mark.suggestion.quote').count()).toBeGreaterThanOrEqual(3);
		await page.close();
	});
});

describe('first admin from the environment', () => {
	it('stops with one line naming the variable when the password is too short', async () => {
		const started = startTestServer({ env: { GUILLEMET_ADMIN_USERNAME: 'root', GUILLEMET_ADMIN_PASSWORD: 'court' } });
		const error = await started.then(
			() => null,
			(reason: Error) => reason
		);
		expect(error?.message).toMatch(/the server exited \(2\) before listening/);
		expect(error?.message).toMatch(/^\[guillemet\] error: GUILLEMET_ADMIN_PASSWORD: the password must be at least 10 characters long \(got 5\)$/m);
		expect(error?.message).not.toMatch(/\n\s+at /);
	});
});

describe('a configuration the server cannot use', () => {
	it.each([
		[{ NER_DTYPE: 'int4' }, 2, /^\[guillemet\] error: NER_DTYPE is invalid: /m],
		[{ DATABASE_PATH: '/tmp' }, 1, /^\[guillemet\] error: cannot open the database \/tmp: it is a folder, not a file$/m]
	])('%j stops the server with one line naming it, not a stack trace', async (env, code, message) => {
		const error = await startTestServer({ env }).then(
			() => null,
			(reason: Error) => reason
		);
		expect(error?.message).toMatch(new RegExp(`the server exited \\(${code}\\) before listening`));
		expect(error?.message).toMatch(message);
		expect(error?.message).not.toMatch(/\n\s+at /);
	});
});
