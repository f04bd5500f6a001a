// Teams in real Chromium: two annotators and a reviewer sign in; each annotator sees only their
// own set and none of the review pages; the reviewer sees both sets and builds the gold set;
// the admin manages accounts. Plus the security checks: no page without a session, roles on the
// server, cross-site form posts refused, article text escaped, uploads limited, no stack traces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn, startTestServer, TEST_ADMIN, type TestServer, type TestUser } from '../helpers/browser';
import { openDatabase } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { documents } from '../../src/lib/server/db/schema';
import { getOrCreateSet, insertLinks, insertSpans } from '../../src/lib/server/db/annotation-sets';
import { getUserByUsername } from '../../src/lib/server/db/users';
import { setAnnotatorsPerDocument } from '../../src/lib/server/assignment';
import { codePointLength } from '../../src/lib/domain/offsets';
import type { SpanDraft } from '../../src/lib/domain/spans';

const ANN1: TestUser = { username: 'amelie', password: 'amelie-password-1', role: 'annotator' };
const ANN2: TestUser = { username: 'bruno', password: 'bruno-password-2', role: 'annotator' };
const REVIEWER: TestUser = { username: 'rachid', password: 'rachid-password-3', role: 'reviewer' };

const TEXT = '« Nous sommes prêts », a déclaré Sergueï Lavrov à Moscou devant l’Otan.';
const XSS_TITLE = '<img src=x onerror="window.__xss=1">Titre piégé';
const XSS_TEXT = 'Avant <script>window.__xss=2</script> et <img src=x onerror="window.__xss=3"> après.';
const cp = (needle: string) => codePointLength(TEXT.slice(0, TEXT.indexOf(needle)));

let server: TestServer;
let browser: Browser;
let documentId: number;
let xssDocumentId: number;

beforeAll(async () => {
	server = await startTestServer({
		env: { SAMPLES_ON_FIRST_START: '0', UPLOAD_MAX_BYTES: '2000' },
		users: [ANN1, ANN2, REVIEWER],
		prepare: (databasePath) => {
			const db = openDatabase(databasePath);
			const project = ensureDefaultProject(db);
			const insert = (externalId: string, title: string, text: string) =>
				db
					.insert(documents)
					.values({ projectId: project.id, externalId, title, rawText: text, text, contentHash: externalId, cleaning: { rules: [], dropped: [] }, wordCount: 12, charCount: codePointLength(text) })
					.returning()
					.get().id;
			documentId = insert('lavrov', 'Lavrov à Moscou', TEXT);
			xssDocumentId = insert('xss', XSS_TITLE, XSS_TEXT);
			setAnnotatorsPerDocument(db, project.id, 2);
			const entity = (needle: string, label: string): SpanDraft => ({ layer: 'entity', start: cp(needle), end: cp(needle) + needle.length, label, origin: 'human', provenance: 'human:test' });
			const quote: SpanDraft = { layer: 'quote', start: 0, end: cp(',') , label: 'QUOTE', attributes: { kind: 'direct' }, origin: 'human', provenance: 'human:test' };
			const sets: [TestUser, SpanDraft[]][] = [
				[ANN1, [entity('Sergueï Lavrov', 'PER'), entity('Moscou', 'LOC'), quote, entity('Otan', 'ORG')]],
				[ANN2, [entity('Sergueï Lavrov', 'PER'), entity('Moscou', 'ORG'), quote]]
			];
			for (const [user, drafts] of sets) {
				const set = getOrCreateSet(db, documentId, user.username, { userId: getUserByUsername(db, user.username)!.id });
				const ids = insertSpans(db, set.id, drafts);
				insertLinks(db, set.id, ids, [{ kind: 'speaker', from: 2, to: 0 }]);
				db.$client.prepare(`UPDATE annotation_sets SET status = 'done', revision = 1 WHERE id = ?`).run(set.id);
			}
			db.$client.close();
		}
	});
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function pageAs(user: TestUser): Promise<Page> {
	const page = await browser.newPage();
	await signIn(page, server.url, user.username, user.password);
	return page;
}

async function cookieHeader(page: Page): Promise<string> {
	return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('without a session', () => {
	it('sends pages to /signin, answers 401 on the API, and refuses a wrong password', async () => {
		for (const path of ['/', '/admin', '/review', `/documents/${documentId}`, '/agreement', '/export']) {
			const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
			expect(response.status, path).toBe(303);
			expect(response.headers.get('location'), path).toMatch(/^\/signin/);
		}
		const api = await fetch(`${server.url}/api/documents/${documentId}/annotations`);
		expect(api.status).toBe(401);
		expect(await api.text()).not.toContain('Lavrov');

		const page = await browser.newPage();
		await page.goto(`${server.url}/review/${documentId}`);
		expect(new URL(page.url()).pathname).toBe('/signin');
		await page.fill('input[name="username"]', REVIEWER.username);
		await page.fill('input[name="password"]', 'not the password');
		await page.click('main button[type="submit"]');
		await page.locator('[role="alert"]').waitFor();
		expect(await page.locator('[role="alert"]').textContent()).toContain('Identifiant ou mot de passe incorrect');
		// The right password then lands on the page first asked for.
		await page.fill('input[name="password"]', REVIEWER.password);
		await Promise.all([page.waitForURL(`**/review/${documentId}`), page.click('main button[type="submit"]')]);
		const cookie = (await page.context().cookies()).find((c) => c.name === 'guillemet_session')!;
		expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
		await page.close();
	});
});

describe('annotators', () => {
	it('each sees only their own set, and no review, agreement, admin or export page', async () => {
		for (const [user, other] of [
			[ANN1, ANN2],
			[ANN2, ANN1]
		]) {
			const page = await pageAs(user);
			const own = await page.evaluate(async (url) => (await fetch(url)).json(), `${server.url}/api/documents/${documentId}/annotations`);
			const labels = (own.snapshot.spans as { layer: string; label: string; start: number }[]).filter((s) => s.layer === 'entity').map((s) => s.label);
			expect(labels).toEqual(user === ANN1 ? ['PER', 'LOC', 'ORG'] : ['PER', 'ORG']);
			for (const path of [`/review/${documentId}`, '/review', '/agreement', '/admin', '/export']) {
				const response = await page.goto(`${server.url}${path}`);
				expect(response!.status(), `${user.username} ${path}`).toBe(403);
				expect(await page.content()).not.toContain(other.username);
				// Refused, but with a way back rather than a bare status line.
				expect(await page.locator('a[href="/"]', { hasText: 'Retour aux documents' }).count()).toBe(1);
			}
			// A forged form post to the review actions is refused on the server too.
			const forged = await fetch(`${server.url}/review/${documentId}?/acceptAgreed`, {
				method: 'POST',
				headers: { cookie: await cookieHeader(page), origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
				body: 'revision=0',
				redirect: 'manual'
			});
			expect(forged.status).toBe(403);
			await page.close();
		}
	});
});

describe('document list', () => {
	it('opens on the annotator\'s queue, with the whole corpus one click away; no queue, no switch', async () => {
		const page = await pageAs(ANN1);
		await page.goto(`${server.url}/`);
		const scope = page.getByRole('navigation', { name: 'Documents affichés' });
		expect(await scope.locator('[aria-current="page"]').textContent()).toMatch(/Ma file\s*\(2\)/);
		expect(await page.locator('table.documents tbody tr').count()).toBe(2);
		await Promise.all([page.waitForURL(/scope=all/), scope.getByRole('link', { name: 'Tout le corpus' }).click()]);
		expect(await scope.locator('[aria-current="page"]').textContent()).toBe('Tout le corpus');
		// Filtering keeps the chosen scope.
		await page.selectOption('select[name="status"]', 'done');
		await Promise.all([page.waitForURL(/status=done/), page.click('form.filters button[type="submit"]')]);
		expect(new URL(page.url()).searchParams.get('scope')).toBe('all');
		expect(await page.locator('table.documents tbody tr').allTextContents()).toEqual([expect.stringContaining('Lavrov à Moscou')]);
		await page.close();

		// The reviewer has no queue: the list is the corpus, without the switch.
		const reviewer = await pageAs(REVIEWER);
		await reviewer.goto(`${server.url}/`);
		expect(await reviewer.getByRole('navigation', { name: 'Documents affichés' }).count()).toBe(0);
		expect(await reviewer.locator('table.documents tbody tr').count()).toBe(2);
		await reviewer.close();
	});
});

describe('reviewer', () => {
	it('sees both sets side by side, builds the gold set and marks it reviewed, with the audit trail', async () => {
		const page = await pageAs(REVIEWER);
		await page.goto(`${server.url}/review`);
		await Promise.all([page.waitForURL(`**/review/${documentId}`), page.click(`a[href="/review/${documentId}"]`)]);
		const columns = page.locator('[data-testid="annotator-set"]');
		expect(await columns.evaluateAll((els) => els.map((el) => el.getAttribute('data-annotator')))).toEqual([ANN1.username, ANN2.username]);
		// Moscou LOC vs ORG and Otan are partial; Lavrov and the quote are common to both.
		expect(await page.locator('[data-testid="candidates-agreed"] tbody tr').count()).toBe(2);
		expect(await page.locator('[data-testid="candidates-disputed"] tbody tr').count()).toBe(3);
		expect(await columns.first().locator('[data-agreement="some"]').count()).toBe(2);

		// A second reviewer (the admin) has the same document open.
		const second = await pageAs(TEST_ADMIN);
		await second.goto(`${server.url}/review/${documentId}`);

		await page.click('text=Accepter les 2 annotations communes');
		await page.locator('[data-testid="gold-spans"] tbody tr').nth(1).waitFor();

		// Their page stands on revision 0: the decision is refused, never merged, and the page then
		// shows the gold set as it is now, so that the next decision is made on it.
		await second.locator('[data-testid="candidates-disputed"] tr', { hasText: 'LOC' }).getByRole('button', { name: /Accepter/ }).click();
		await second.locator('[role="alert"]', { hasText: 'modifié entre-temps' }).waitFor();
		await second.locator('[data-testid="gold-spans"] tbody tr').nth(1).waitFor();
		expect(await second.locator('[data-testid="gold-spans"] tbody tr').count()).toBe(2);
		expect(await second.locator('form[action="?/accept"] input[name="revision"]').first().inputValue()).toBe('1');
		await second.close();
		const moscouLoc = page.locator('[data-testid="candidates-disputed"] tr', { hasText: 'LOC' });
		await moscouLoc.getByRole('button', { name: /Accepter/ }).focus();
		await page.keyboard.press('Enter');
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="gold-spans"] tbody tr').length === 3);
		// The keyboard stays on the candidate (its Accepter gone, Écarter in its place), not back at the top of the page.
		await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Écarter LOC Moscou');
		const otan = page.locator('[data-testid="candidates-disputed"] tr', { hasText: 'Otan' });
		await otan.getByRole('button', { name: /Écarter/ }).click();
		await page.locator('[data-testid="candidates-disputed"] tr.rejected').waitFor();
		const gold = await page.locator('[data-testid="gold-spans"] tbody tr').allTextContents();
		expect(gold).toHaveLength(3);
		expect(gold[0]).toMatch(/« Nous sommes prêts ».*→ locuteur : Sergueï Lavrov/);
		expect(gold[1]).toContain('Sergueï Lavrov');
		expect(gold[2]).toContain('Moscou');
		expect(await page.locator('[data-testid="gold-spans"] tbody tr').nth(2).locator('select[name="label"]').inputValue()).toBe('LOC');

		// Moscou ORG is neither accepted nor set aside: marking the review done asks first.
		const asked = new Promise<string>((resolve) =>
			page.once('dialog', (dialog) => {
				resolve(dialog.message());
				void dialog.accept();
			})
		);
		await page.click('text=Marquer comme relu');
		expect(await asked).toContain('1 annotation partielle n’est ni acceptée ni écartée');
		await page.waitForFunction(() => document.querySelector('[data-testid="gold-status"]')?.textContent?.includes('relecture terminée'));
		await page.waitForFunction(() => document.activeElement?.textContent === 'Rouvrir la relecture');
		const audit = await page.locator('[data-testid="audit"] tbody tr').allTextContents();
		expect(audit[0]).toContain('relecture terminée');
		expect(audit.filter((row) => row.includes(REVIEWER.username) && row.includes('acceptation'))).toHaveLength(3);
		expect(audit.some((row) => row.includes('rejet'))).toBe(true);
		// Reviewed means final until reopened: no editing controls are left on the page.
		await page.locator('[data-testid="review-locked"]').waitFor();
		expect(await page.getByRole('button', { name: /Écarter|Accepter|Retirer|Enregistrer/ }).count()).toBe(0);

		// A page left open while someone else changed gold is refused, not merged.
		const stale = await fetch(`${server.url}/review/${documentId}?/remove`, {
			method: 'POST',
			headers: { cookie: await cookieHeader(page), origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-sveltekit-action': 'true' },
			body: 'revision=1&spanId=1'
		});
		expect(JSON.stringify(await stale.json())).toContain('modifié entre-temps');

		// The Exporter previews what each file holds; an empty selection is said, with no empty download.
		await page.goto(`${server.url}/export?format=spans&set=gold&status=done&layers=entity&layers=quote&layers=stance`);
		const downloads = page.locator('[data-testid="export-downloads"] li');
		expect(await downloads.first().textContent()).toContain('1 doc.');
		const href = await downloads.first().locator('a').getAttribute('href');
		const body = await page.evaluate(async (url) => (await fetch(url)).text(), `${server.url}${href}`);
		expect(JSON.parse(body.trim()).entities.map((e: { text: string }) => e.text)).toEqual(['Sergueï Lavrov', 'Moscou']);
		await page.goto(`${server.url}/export?format=spans&set=gold&status=done&layers=entity&split=train%3D0.8%2Ctest%3D0.3`);
		await page.getByText('Parts : les proportions font 1,1 au total, pas 1').waitFor();
		await page.goto(`${server.url}/export?format=spans&set=nobody&status=done&layers=entity`);
		await page.locator('[data-testid="export-empty"]').waitFor();
		expect(await page.locator('[data-testid="export-downloads"]').count()).toBe(0);

		await page.goto(`${server.url}/agreement`);
		expect(await page.locator('[data-testid="agreement-documents"] tbody tr').count()).toBe(1);
		expect(await page.locator('svg rect.exact').count()).toBeGreaterThan(1);
		await page.close();
	});
});

describe('admin', () => {
	it('gets the whole menu on a 1024 px screen, without a page wider than the window', async () => {
		const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
		await signIn(page, server.url, TEST_ADMIN.username, TEST_ADMIN.password);
		for (const path of ['/', '/suggestions', '/admin', `/documents/${documentId}`]) {
			await page.goto(`${server.url}${path}`);
			const layout = await page.evaluate(() => {
				const signOut = document.querySelector('.signout button')!.getBoundingClientRect();
				const links = [...document.querySelectorAll('header nav a')].map((a) => a.getBoundingClientRect().height);
				return {
					overflow: document.documentElement.scrollWidth - window.innerWidth,
					signOutVisible: signOut.right <= window.innerWidth && signOut.left >= 0,
					tallestLink: Math.max(...links)
				};
			});
			expect(layout.overflow, path).toBeLessThanOrEqual(0);
			expect(layout.signOutVisible, path).toBe(true);
			// Menu items never break inside ("Pré-annoter" on two lines); sticky panels know the bar's height.
			expect(layout.tallestLink, path).toBeLessThan(40);
			await page.waitForFunction(
				() =>
					getComputedStyle(document.documentElement).getPropertyValue('--topbar-height').trim() ===
					`${document.querySelector('header.topbar')!.clientHeight}px`
			);
		}
		await page.close();
	});

	it('creates accounts, changes a role, disables an account and sees progress per annotator', async () => {
		const page = await browser.newPage();
		await signIn(page, server.url, TEST_ADMIN.username, TEST_ADMIN.password);
		await page.goto(`${server.url}/admin`);
		const progress = await page.locator('[data-testid="annotator-progress"] tbody tr').allTextContents();
		expect(progress).toHaveLength(2);
		expect(progress[0]).toMatch(/amelie.*2.*1/);

		// Four documents nobody has started: with two annotators per document, amelie and bruno get them all.
		const db = openDatabase(server.databasePath);
		const projectId = ensureDefaultProject(db).id;
		const extra = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi'].map((day) => {
			const text = `${day}, la réunion a eu lieu à Genève.`;
			return db
				.insert(documents)
				.values({ projectId, externalId: day, title: day, rawText: text, text, contentHash: day, cleaning: { rules: [], dropped: [] }, wordCount: 7, charCount: codePointLength(text) })
				.returning()
				.get().id;
		});
		db.$client.close();
		await page.reload();
		expect(await page.locator('[data-testid="annotator-progress"] tbody tr').allTextContents()).toEqual([expect.stringMatching(/amelie.*6.*1/), expect.stringMatching(/bruno.*6.*1/)]);
		// bruno has the third one open in the workspace, nothing saved yet, when a newcomer arrives.
		const bruno = await pageAs(ANN2);
		await bruno.goto(`${server.url}/documents/${extra[2]}`);
		await bruno.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));

		await page.fill('form[action="?/createUser"] input[name="username"]', 'claire');
		await page.selectOption('form[action="?/createUser"] select[name="role"]', 'annotator');
		await page.fill('form[action="?/createUser"] input[name="password"]', 'claire-password-4');
		await page.click('form[action="?/createUser"] button[type="submit"]');
		// The newcomer takes a share of what nobody has started, from the end of the queues.
		await page.locator('.notice.success', { hasText: 'Compte « claire » créé. 3 documents réattribués : amelie → claire 2, bruno → claire 1.' }).waitFor();
		expect(await page.locator('[data-testid="users"]').textContent()).toContain('claire');
		const claireAssigned = () => page.locator('[data-testid="annotator-progress"] tr', { hasText: 'claire' }).locator('td').nth(1).textContent();
		expect(await claireAssigned()).toBe('3');

		// bruno's work on the document moved away is saved under his name, and the document comes back to his queue.
		await bruno.keyboard.press('n');
		await bruno.keyboard.press('1');
		await bruno.waitForFunction(() => {
			const ws = (window as unknown as { __workspace: { sync: { idle: boolean; status: string } } }).__workspace;
			return ws.sync.idle && ws.sync.status === 'saved';
		});
		const stored = await bruno.evaluate(async (url) => (await fetch(url)).json(), `${server.url}/api/documents/${extra[2]}/annotations`);
		expect(stored.snapshot.spans.map((span: { label: string }) => span.label)).toEqual(['PER']);
		await bruno.goto(`${server.url}/`);
		expect(await bruno.getByRole('navigation', { name: 'Documents affichés' }).locator('[aria-current="page"]').textContent()).toMatch(/Ma file\s*\(6\)/);
		await bruno.close();
		await page.reload();
		expect(await claireAssigned()).toBe('2');
		// Evened out again on demand: only what bruno has not started moves.
		await page.getByRole('button', { name: 'Rééquilibrer les files' }).click();
		await page.locator('.notice.success', { hasText: '1 document réattribué : bruno → claire 1.' }).waitFor();
		await page.getByRole('button', { name: 'Rééquilibrer les files' }).click();
		await page.locator('.notice.success', { hasText: 'Les files sont déjà équilibrées : aucun document réattribué.' }).waitFor();
		// The same username again is refused in a sentence, and the form keeps what was typed.
		await page.fill('form[action="?/createUser"] input[name="username"]', 'claire');
		await page.fill('form[action="?/createUser"] input[name="displayName"]', 'Claire B.');
		await page.selectOption('form[action="?/createUser"] select[name="role"]', 'reviewer');
		await page.fill('form[action="?/createUser"] input[name="password"]', 'claire-password-5');
		await page.click('form[action="?/createUser"] button[type="submit"]');
		await page.getByRole('alert').getByText('Compte non créé : l’identifiant « claire » existe déjà.').waitFor();
		expect(await page.inputValue('form[action="?/createUser"] input[name="displayName"]')).toBe('Claire B.');
		expect(await page.inputValue('form[action="?/createUser"] select[name="role"]')).toBe('reviewer');

		const claire = await pageAs({ username: 'claire', password: 'claire-password-4', role: 'annotator' });
		expect(new URL(claire.url()).pathname).toBe('/');
		expect((await claire.goto(`${server.url}/review`))?.status()).toBe(403);
		const row = page.locator('[data-testid="users"] tr', { hasText: 'claire' });

		// A role change applies to the open session at once; the admin cannot change their own.
		await row.locator('select[name="role"]').selectOption('reviewer');
		await row.getByRole('button', { name: 'Appliquer' }).click();
		await page.locator('.notice.success', { hasText: 'rôle relecteur' }).waitFor();
		expect((await claire.goto(`${server.url}/review`))?.status()).toBe(200);
		const own = page.locator('[data-testid="users"] tr').filter({ has: page.locator('code', { hasText: new RegExp(`^${TEST_ADMIN.username}$`) }) });
		expect(await own.count()).toBe(1);
		expect(await own.locator('select[name="role"]').count()).toBe(0);
		expect(await own.getByRole('button', { name: 'Désactiver' }).count()).toBe(0);
		await row.getByRole('button', { name: 'Désactiver' }).click();
		await page.locator('[data-testid="users"] tr', { hasText: 'claire' }).getByRole('button', { name: 'Réactiver' }).waitFor();
		await claire.goto(server.url);
		expect(new URL(claire.url()).pathname).toBe('/signin');
		await claire.close();
		await page.close();
	});
});

describe('passwords', () => {
	it('anyone changes their own password from the top bar and stays signed in; the admin\'s own reset keeps their session too', async () => {
		const here = await pageAs(ANN2);
		const elsewhere = await pageAs(ANN2);
		await Promise.all([here.waitForURL('**/account'), here.getByRole('link', { name: ANN2.username, exact: true }).click()]);
		const change = async (current: string, next: string) => {
			await here.fill('input[name="currentPassword"]', current);
			await here.fill('input[name="newPassword"]', next);
			await here.fill('input[name="confirm"]', next);
			await here.click('main button[type="submit"]');
		};
		await change('not my password', 'bruno-own-choice');
		await here.locator('[role="alert"]', { hasText: 'le mot de passe actuel est incorrect' }).waitFor();
		await change(ANN2.password, 'bruno-own-choice');
		await here.locator('[role="status"]', { hasText: 'Mot de passe changé' }).waitFor();
		await here.goto(`${server.url}/`);
		expect(new URL(here.url()).pathname).toBe('/');
		await elsewhere.goto(`${server.url}/`);
		expect(new URL(elsewhere.url()).pathname).toBe('/signin');
		await here.close();
		await elsewhere.close();

		const admin = await pageAs(TEST_ADMIN);
		await admin.goto(`${server.url}/admin`);
		const setOwn = async (password: string) => {
			const own = admin.locator('[data-testid="users"] tr').filter({ has: admin.locator('code', { hasText: new RegExp(`^${TEST_ADMIN.username}$`) }) });
			await own.locator('input[name="password"]').fill(password);
			await own.getByRole('button', { name: 'Changer' }).click();
			await admin.locator('.notice.success', { hasText: 'Votre mot de passe est changé' }).waitFor();
		};
		await setOwn('admin-new-password');
		await admin.goto(`${server.url}/admin`);
		expect(new URL(admin.url()).pathname).toBe('/admin');
		await setOwn(TEST_ADMIN.password);
		await admin.close();
	});
});

describe('security', () => {
	it('renders article text and titles as text, never as markup', async () => {
		const page = await pageAs(REVIEWER);
		const alerts: string[] = [];
		page.on('dialog', (dialog) => {
			alerts.push(dialog.message());
			void dialog.dismiss();
		});
		await page.goto(`${server.url}/`);
		expect(await page.locator('table.documents').textContent()).toContain(XSS_TITLE);
		await page.goto(`${server.url}/documents/${xssDocumentId}`);
		await page.waitForLoadState('networkidle');
		expect(await page.locator('body').textContent()).toContain('<script>window.__xss=2</script>');
		await page.goto(`${server.url}/review/${xssDocumentId}`);
		expect(await page.locator('h1').textContent()).toBe(XSS_TITLE);
		expect(await page.locator('.article-text').textContent()).toBe(XSS_TEXT);
		expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
		expect(await page.locator('img[src="x"]').count()).toBe(0);
		expect(alerts).toEqual([]);
		await page.close();
	});

	it('refuses cross-site form posts, limits uploads, and hides stack traces', async () => {
		const page = await pageAs(REVIEWER);
		const cookie = await cookieHeader(page);
		const crossSite = await fetch(`${server.url}/review/${documentId}?/status`, {
			method: 'POST',
			headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: 'revision=0&status=in_progress',
			redirect: 'manual'
		});
		expect(crossSite.status).toBe(403);
		expect(await crossSite.text()).toMatch(/Cross-site/i);
		const crossSiteSignIn = await fetch(`${server.url}/signin`, {
			method: 'POST',
			headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: `username=${TEST_ADMIN.username}&password=${TEST_ADMIN.password}`,
			redirect: 'manual'
		});
		expect(crossSiteSignIn.status).toBe(403);
		expect(crossSiteSignIn.headers.get('set-cookie')).toBeNull();

		await page.goto(`${server.url}/import`);
		await page.setInputFiles('input[name="files"]', { name: 'long.txt', mimeType: 'text/plain', buffer: Buffer.from(`Titre\n\n${'mot '.repeat(1000)}`) });
		await page.click('main button[type="submit"]');
		await page.locator('[role="alert"]').waitFor();
		expect(await page.locator('[role="alert"]').textContent()).toContain('Envoi trop volumineux');

		// A malformed multipart body makes the action throw: the answer is generic, without a stack.
		const broken = await fetch(`${server.url}/signin`, {
			method: 'POST',
			headers: { origin: server.url, 'content-type': 'multipart/form-data; boundary=zzz', accept: 'text/html' },
			body: 'this is not multipart'
		});
		expect(broken.status).toBeGreaterThanOrEqual(400);
		const body = await broken.text();
		expect(body).not.toMatch(/\bat .*\.(js|ts):\d+/);
		expect(body).not.toContain('TypeError');
		await page.close();
	});

	it('signs out, and throttles repeated failed sign-ins', async () => {
		const page = await pageAs(ANN1);
		await page.goto(`${server.url}/signout`);
		await Promise.all([page.waitForURL('**/signin'), page.click('main button[type="submit"]')]);
		await page.goto(`${server.url}/`);
		expect(new URL(page.url()).pathname).toBe('/signin');

		const attempt = (password: string) =>
			fetch(`${server.url}/signin`, {
				method: 'POST',
				headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
				body: `username=${ANN2.username}&password=${encodeURIComponent(password)}`,
				redirect: 'manual'
			});
		// 5 failures per username in 15 minutes (an address gets 20).
		for (let i = 0; i < 4; i++) expect((await attempt('wrong-password')).status).toBe(400);
		await attempt('wrong-password');
		const throttled = await attempt(ANN2.password);
		expect(throttled.status).toBe(429);
		expect(await throttled.text()).toContain('Trop de tentatives');
		await page.close();
	});
});
