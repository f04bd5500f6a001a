// Label schema settings in real Chromium: an admin adds a label, the workspace offers it at once
// (legend and hotkey); a user without the admin role sees the schema read-only and cannot save.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, signIn, startTestServer, TEST_ADMIN, type TestServer, type TestUser } from '../helpers/browser';
import { openDatabase } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { documents } from '../../src/lib/server/db/schema';
import { ensureUser, LOCAL_USERNAME } from '../../src/lib/server/db/users';

const TEXT = 'Le sommet de Vilnius a réuni les alliés.';
const ANNOTATOR: TestUser = { username: 'annie', password: 'annie-password-1', role: 'annotator' };

function prepare(role: 'admin' | 'annotator') {
	return (databasePath: string) => {
		const db = openDatabase(databasePath);
		const project = ensureDefaultProject(db);
		ensureUser(db, LOCAL_USERNAME, role);
		db.insert(documents)
			.values({ projectId: project.id, externalId: 'a', title: 'Sommet', rawText: TEXT, text: TEXT, contentHash: 'a', cleaning: { rules: [], dropped: [] }, wordCount: 8, charCount: TEXT.length })
			.run();
		db.$client.close();
	};
}

let admin: TestServer;
let annotator: TestServer;
let browser: Browser;

beforeAll(async () => {
	admin = await startTestServer({ env: { SAMPLES_ON_FIRST_START: '0' }, prepare: prepare('admin') });
	annotator = await startTestServer({ env: { SAMPLES_ON_FIRST_START: '0' }, prepare: prepare('annotator'), users: [ANNOTATOR] });
	browser = await launchBrowser({ signInAs: { url: admin.url, ...TEST_ADMIN } });
});

afterAll(async () => {
	await browser?.close();
	await admin?.stop();
	await annotator?.stop();
});

describe('label schema settings', () => {
	it('an admin adds a label with its hotkey and a stance target; the workspace uses them', async () => {
		const page = await browser.newPage();
		page.setDefaultTimeout(15_000);
		await page.goto(`${admin.url}/settings`);
		await page.getByRole('button', { name: 'Ajouter une étiquette' }).click();
		await page.getByLabel('Nom de l’étiquette 5').fill('EVENT');
		await page.getByLabel('Description de l’étiquette 5').fill('Événement');
		expect(await page.getByLabel('Touche de l’étiquette 5').inputValue()).toBe('5');
		await page.locator('textarea[name="stanceTargets"]').fill('sommet de l’Otan\nélargissement');
		await page.getByLabel('Titres dans les entités de personnes').selectOption('include');
		await page.getByRole('button', { name: 'Enregistrer le schéma' }).click();
		await page.getByText('Schéma enregistré.').waitFor();
		await page.reload();
		expect(await page.getByLabel('Titres dans les entités de personnes').inputValue()).toBe('include');

		// A duplicate hotkey is refused with a readable message.
		await page.getByLabel('Touche de l’étiquette 2').selectOption('1');
		await page.getByRole('button', { name: 'Enregistrer le schéma' }).click();
		await page.getByRole('alert').getByText('le raccourci 1 sert à deux étiquettes').waitFor();
		// The refused edit can be dropped in one click: the saved labels come back.
		await page.getByRole('button', { name: 'Revenir aux étiquettes enregistrées' }).click();
		await expect.poll(() => page.getByLabel('Touche de l’étiquette 2').inputValue()).toBe('2');

		await page.goto(`${admin.url}/documents/1`);
		await page.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));
		expect(await page.getByRole('list', { name: 'Étiquettes d’entités' }).textContent()).toContain('EVENT');
		await page.keyboard.press('n');
		for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
		await page.keyboard.press('5');
		expect(await page.locator('mark[data-id="a|entity:13-20"]').getAttribute('data-tag')).toBe('EVENT');
		await page.waitForFunction(() => {
			const ws = (window as unknown as { __workspace: { sync: { idle: boolean; status: string } } }).__workspace;
			return ws.sync.idle && ws.sync.status === 'saved';
		});

		// Renaming the label in its row carries the annotation along.
		await page.goto(`${admin.url}/settings`);
		await page.getByLabel('Nom de l’étiquette 5').fill('EVT');
		await page.getByRole('button', { name: 'Enregistrer le schéma' }).click();
		await page.getByText('EVENT → EVT : 1 entité renommée').waitFor();
		await page.goto(`${admin.url}/documents/1`);
		await page.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));
		expect(await page.locator('mark[data-id="a|entity:13-20"]').getAttribute('data-tag')).toBe('EVT');

		// Taking EVT's former name for another label is refused, naming EVT, until the admin moves it on purpose.
		await page.goto(`${admin.url}/settings`);
		await page.getByLabel('Nom de l’étiquette 3').fill('EVENT');
		await page.getByRole('button', { name: 'Enregistrer le schéma' }).click();
		await page.getByRole('alert').getByText('EVENT est l’ancien nom de EVT : ce que le modèle, les gazetteers et les règles de citation produisent sous EVENT va à EVT.', { exact: false }).waitFor();
		expect(await page.getByLabel('Nom de l’étiquette 3').inputValue()).toBe('EVENT');
		await page.getByRole('checkbox', { name: 'Donner l’ancien nom EVENT à la nouvelle étiquette EVENT' }).check();
		await page.getByRole('button', { name: 'Enregistrer le schéma' }).click();
		const said = (await page.locator('[data-testid="former-name-taken"]').textContent())!.replace(/\s+/g, ' ');
		expect(said).toBe('EVENT était l’ancien nom de EVT : ce que le modèle, les gazetteers et les règles de citation produisent sous EVENT va désormais à l’étiquette EVENT, plus à EVT.');
		// Back as it was, for the tests that follow.
		await page.getByLabel('Nom de l’étiquette 3').fill('ORG');
		await page.getByRole('button', { name: 'Enregistrer le schéma' }).click();
		await page.getByText('EVENT → ORG').waitFor();
		await page.close();
	});

	it('two admins editing at once: the later save is refused, not silently overwriting the first', async () => {
		const first = await browser.newPage();
		const second = await browser.newPage();
		for (const page of [first, second]) {
			page.setDefaultTimeout(15_000);
			await page.goto(`${admin.url}/settings`);
		}
		await first.getByLabel('Description de l’étiquette 1').fill('Personnes réelles');
		await first.getByRole('button', { name: 'Enregistrer le schéma' }).click();
		await first.getByText('Schéma enregistré.').waitFor();

		await second.getByLabel('Description de l’étiquette 2').fill('Lieux');
		await second.locator('textarea[name="stanceTargets"]').fill('typed before the refusal');
		await second.getByRole('button', { name: 'Enregistrer le schéma' }).click();
		await second.getByRole('alert').getByText('modifié par quelqu’un d’autre').waitFor();
		// The current version comes back in one click (labels, lists and all); saving from it keeps the first admin's change.
		await second.getByRole('button', { name: 'Revenir aux étiquettes enregistrées' }).click();
		await second.waitForFunction(() => (document.querySelector('input[aria-label="Description de l’étiquette 1"]') as HTMLInputElement).value === 'Personnes réelles');
		await expect.poll(() => second.locator('textarea[name="stanceTargets"]').inputValue()).not.toContain('typed before the refusal');
		expect(await second.getByRole('alert').count()).toBe(0);
		await second.getByLabel('Description de l’étiquette 2').fill('Lieux');
		await second.getByRole('button', { name: 'Enregistrer le schéma' }).click();
		await second.getByText('Schéma enregistré.').waitFor();
		const labels = (() => {
			const db = openDatabase(admin.databasePath);
			try {
				return ensureDefaultProject(db).labelSchema.entityLabels.slice(0, 2).map((label) => label.description);
			} finally {
				db.$client.close();
			}
		})();
		expect(labels).toEqual(['Personnes réelles', 'Lieux']);
		await first.close();
		await second.close();
	});

	it('a workspace opened before the admin renamed or removed a label: its work is saved under the new name, a removed label is refused once', async () => {
		const workspace = await browser.newPage();
		workspace.setDefaultTimeout(15_000);
		const posts: number[] = [];
		workspace.on('response', (response) => {
			if (response.request().method() === 'POST' && response.url().includes('/annotations')) posts.push(response.status());
		});
		await workspace.goto(`${admin.url}/documents/1`);
		await workspace.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));
		// Meanwhile, in another tab: LOC becomes LIEU, MISC (nobody's) is removed.
		const settings = await browser.newPage();
		await settings.goto(`${admin.url}/settings`);
		await settings.getByLabel('Nom de l’étiquette 2').fill('LIEU');
		await settings.getByRole('button', { name: 'Retirer l’étiquette MISC' }).click();
		await settings.getByRole('button', { name: 'Enregistrer le schéma' }).click();
		await settings.getByText('LOC → LIEU').waitFor();
		await settings.close();

		type Ws = {
			__workspace: { select(target: { type: 'draft'; start: number; end: number }): void; reloadIfStale(): Promise<void>; sync: { idle: boolean; status: string }; notice: { text: string } | null };
		};
		// Back on the workspace (its window regains focus): it says the schema changed, and to reload.
		await workspace.evaluate(() => (window as unknown as Ws).__workspace.reloadIfStale());
		expect(await workspace.getByTestId('notice').textContent()).toContain('Le schéma d’annotation a changé depuis l’ouverture de la page');
		const labelRange = async (start: number, end: number, key: string) => {
			await workspace.evaluate(([from, to]) => (window as unknown as Ws).__workspace.select({ type: 'draft', start: from, end: to }), [start, end] as const);
			await workspace.keyboard.press(key);
			await workspace.waitForFunction(() => {
				const ws = (window as unknown as Ws).__workspace;
				return ws.sync.idle && ws.sync.status === 'saved';
			});
		};
		const stored = () => {
			const db = openDatabase(admin.databasePath);
			try {
				return db.$client.prepare(`SELECT sp.start, sp.label FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id WHERE s.owner = ? ORDER BY sp.start`).all(TEST_ADMIN.username);
			} finally {
				db.$client.close();
			}
		};
		// Key 2 was LOC when the page opened: « sommet » is saved, as LIEU.
		await labelRange(3, 9, '2');
		expect(stored()).toContainEqual({ start: 3, label: 'LIEU' });
		// Key 4 was MISC: refused by the server once, said in French, and not sent again and again.
		await labelRange(33, 39, '4');
		const notice = await workspace.evaluate(() => (window as unknown as Ws).__workspace.notice?.text ?? '');
		expect(notice).toContain('Modification refusée par le serveur');
		expect(notice).toContain('l’étiquette MISC n’est pas (ou plus) dans le schéma du projet');
		expect(stored()).not.toContainEqual(expect.objectContaining({ start: 33 }));
		await workspace.waitForTimeout(1000);
		expect(posts.filter((status) => status === 422)).toHaveLength(1);
		await workspace.close();
	});

	it('without the admin role the schema is read-only and a save is refused', async () => {
		const page = await browser.newPage();
		await signIn(page, annotator.url, ANNOTATOR.username, ANNOTATOR.password);
		await page.goto(`${annotator.url}/settings`);
		expect(await page.getByText('Lecture seule').count()).toBe(1);
		expect(await page.getByRole('button', { name: 'Enregistrer le schéma' }).count()).toBe(0);
		const status = await page.evaluate(async () => {
			const body = new FormData();
			body.set('name', 'HACK');
			body.set('colour', '#000000');
			body.set('hotkey', '1');
			body.set('quoteKinds', 'direct');
			body.set('stancePolarities', 'favor');
			const response = await fetch('/settings?/save', { method: 'POST', body, headers: { 'x-sveltekit-action': 'true' } });
			return (await response.json()) as { type: string; status: number };
		});
		expect(status).toMatchObject({ type: 'failure', status: 403 });
		await page.close();
	});
});

describe('annotation guidelines', () => {
	it('an admin writes them with a preview; the workspace shows them on g; a save over a colleague’s is refused and keeps its text', async () => {
		const page = await browser.newPage();
		page.setDefaultTimeout(15_000);
		await page.goto(`${admin.url}/guidelines`);
		await page.getByTestId('guidelines-origin').getByText('Consignes de Guillemet', { exact: false }).waitFor();
		await page.getByRole('button', { name: 'Modifier les consignes' }).press('Enter');
		// From the keyboard: the button goes with the editor it opens, focus goes into the text (and back after the save).
		await page.waitForFunction(() => document.activeElement?.matches('textarea[name="text"]'));
		await page.locator('textarea[name="text"]').fill('# Consignes du sommet\n\n- Un **sommet** est un MISC.\n\n<script>window.__pwned = 1</script>');
		await page.getByRole('region', { name: 'Aperçu' }).getByRole('heading', { name: 'Consignes du sommet' }).waitFor();
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await page.getByText('Consignes enregistrées').waitFor();
		await page.waitForFunction(() => document.activeElement?.textContent === 'Modifier les consignes');
		expect(await page.getByTestId('guidelines-origin').textContent()).toContain('modifiées par admin');

		await page.goto(`${admin.url}/documents/1`);
		await page.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));
		await page.keyboard.press('g');
		const dialog = page.getByRole('dialog', { name: 'Consignes d’annotation' });
		await dialog.getByRole('heading', { name: 'Consignes du sommet' }).waitFor();
		// Raw HTML is shown as text, never run.
		expect(await dialog.textContent()).toContain('<script>window.__pwned = 1</script>');
		expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'detached' });

		// Two admins: the one who saves second is told, and keeps what they typed.
		const other = await browser.newPage();
		other.setDefaultTimeout(15_000);
		for (const tab of [page, other]) {
			await tab.goto(`${admin.url}/guidelines`);
			await tab.getByRole('button', { name: 'Modifier les consignes' }).click();
		}
		await other.locator('textarea[name="text"]').fill('# Version de l’autre onglet');
		await other.getByRole('button', { name: 'Enregistrer' }).click();
		await other.getByText('Consignes enregistrées').waitFor();
		await page.locator('textarea[name="text"]').fill('# Ma version');
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await page.getByRole('alert').getByText('rien n’a été enregistré', { exact: false }).waitFor();
		expect(await page.locator('textarea[name="text"]').inputValue()).toBe('# Ma version');
		expect(await page.getByRole('region', { name: 'Consignes enregistrées entre-temps' }).textContent()).toContain('# Version de l’autre onglet');
		// Replacing theirs is a choice made knowingly.
		await page.getByRole('button', { name: /Partir de leur version/ }).click();
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await page.getByText('Consignes enregistrées').waitFor();
		await page.getByRole('heading', { name: 'Ma version' }).waitFor();
		await other.close();
		await page.close();
	});

	it('without the admin role they are read-only and a save is refused', async () => {
		const page = await browser.newPage();
		await signIn(page, annotator.url, ANNOTATOR.username, ANNOTATOR.password);
		await page.goto(`${annotator.url}/guidelines`);
		await page.getByRole('heading', { name: 'Entités' }).waitFor();
		expect(await page.getByRole('button', { name: 'Modifier les consignes' }).count()).toBe(0);
		const status = await page.evaluate(async () => {
			const body = new FormData();
			body.set('text', '# Piratées');
			body.set('basedOn', '0');
			const response = await fetch('/guidelines?/save', { method: 'POST', body, headers: { 'x-sveltekit-action': 'true' } });
			return (await response.json()) as { type: string; status: number };
		});
		expect(status).toMatchObject({ type: 'failure', status: 403 });
		await page.close();
	});
});
