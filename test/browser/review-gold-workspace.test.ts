// A reviewer edits the gold set in the annotation workspace, opened from Relecture: selection and
// hotkeys as for annotators, the annotators' spans as suggestions (Enter takes one), saves on the
// gold set's revision (a Relecture decision made meanwhile is a conflict, replayed), and Relecture
// then shows the result. Annotators are refused the editor and its endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn, startTestServer, type TestServer, type TestUser } from '../helpers/browser';
import { openDatabase } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { documents } from '../../src/lib/server/db/schema';
import { getOrCreateSet, insertLinks, insertSpans } from '../../src/lib/server/db/annotation-sets';
import { getUserByUsername } from '../../src/lib/server/db/users';
import { codePointLength } from '../../src/lib/domain/offsets';
import type { SpanDraft } from '../../src/lib/domain/spans';

const ANN1: TestUser = { username: 'amelie', password: 'amelie-password-1', role: 'annotator' };
const ANN2: TestUser = { username: 'bruno', password: 'bruno-password-2', role: 'annotator' };
const REVIEWER: TestUser = { username: 'rachid', password: 'rachid-password-3', role: 'reviewer' };

const TEXT = '« Nous sommes prêts », a déclaré Sergueï Lavrov à Moscou devant l’Otan, réunie à Bruxelles.';
const cp = (needle: string) => codePointLength(TEXT.slice(0, TEXT.indexOf(needle)));
const range = (needle: string) => `${cp(needle)}-${cp(needle) + codePointLength(needle)}`;

let server: TestServer;
let browser: Browser;
let documentId: number;
/** The same quote from both annotators, only the second of whom named its speaker. */
let oneSpeakerDocumentId: number;
/** The same quote from both annotators, each with another speaker and kind. */
let twoSpeakersDocumentId: number;
/** The same stance from both annotators, only the first of whom gave it a target (a listed one). */
let listedTargetDocumentId: number;

beforeAll(async () => {
	server = await startTestServer({
		env: { SAMPLES_ON_FIRST_START: '0' },
		users: [ANN1, ANN2, REVIEWER],
		prepare: (databasePath) => {
			const db = openDatabase(databasePath);
			const project = ensureDefaultProject(db);
			documentId = db
				.insert(documents)
				.values({ projectId: project.id, externalId: 'lavrov', title: 'Lavrov à Moscou', rawText: TEXT, text: TEXT, contentHash: 'lavrov', cleaning: { rules: [], dropped: [] }, wordCount: 15, charCount: codePointLength(TEXT) })
				.returning()
				.get().id;
			const entity = (needle: string, label: string): SpanDraft => ({ layer: 'entity', start: cp(needle), end: cp(needle) + needle.length, label, origin: 'human', provenance: 'human:test' });
			const quote: SpanDraft = { layer: 'quote', start: 0, end: cp(','), label: 'QUOTE', attributes: { kind: 'direct' }, origin: 'human', provenance: 'human:test' };
			// Nobody marked Bruxelles.
			const sets: [TestUser, SpanDraft[]][] = [
				[ANN1, [entity('Sergueï Lavrov', 'PER'), entity('Moscou', 'LOC'), quote, entity('Otan', 'ORG')]],
				[ANN2, [entity('Sergueï Lavrov', 'PER'), entity('Moscou', 'ORG'), quote]]
			];
			for (const [user, drafts] of sets) {
				const set = getOrCreateSet(db, documentId, user.username, { userId: getUserByUsername(db, user.username)!.id, status: 'done' });
				insertLinks(db, set.id, insertSpans(db, set.id, drafts), [{ kind: 'speaker', from: 2, to: 0 }]);
			}
			oneSpeakerDocumentId = db
				.insert(documents)
				.values({ projectId: project.id, externalId: 'lavrov-2', title: 'Lavrov à Moscou, bis', rawText: TEXT, text: TEXT, contentHash: 'lavrov-2', cleaning: { rules: [], dropped: [] }, wordCount: 15, charCount: codePointLength(TEXT) })
				.returning()
				.get().id;
			for (const [user, speaker] of [[ANN1, false], [ANN2, true]] as const) {
				const set = getOrCreateSet(db, oneSpeakerDocumentId, user.username, { userId: getUserByUsername(db, user.username)!.id, status: 'done' });
				insertLinks(db, set.id, insertSpans(db, set.id, [entity('Sergueï Lavrov', 'PER'), quote]), speaker ? [{ kind: 'speaker', from: 1, to: 0 }] : []);
			}
			twoSpeakersDocumentId = db
				.insert(documents)
				.values({ projectId: project.id, externalId: 'lavrov-3', title: 'Lavrov à Moscou, ter', rawText: TEXT, text: TEXT, contentHash: 'lavrov-3', cleaning: { rules: [], dropped: [] }, wordCount: 15, charCount: codePointLength(TEXT) })
				.returning()
				.get().id;
			for (const [user, speaker, kind] of [[ANN1, entity('Sergueï Lavrov', 'PER'), 'direct'], [ANN2, entity('Otan', 'ORG'), 'indirect']] as const) {
				const set = getOrCreateSet(db, twoSpeakersDocumentId, user.username, { userId: getUserByUsername(db, user.username)!.id, status: 'done' });
				insertLinks(db, set.id, insertSpans(db, set.id, [speaker, { ...quote, attributes: { kind } }]), [{ kind: 'speaker', from: 1, to: 0 }]);
			}
			listedTargetDocumentId = db
				.insert(documents)
				.values({ projectId: project.id, externalId: 'lavrov-4', title: 'Lavrov à Moscou, quater', rawText: TEXT, text: TEXT, contentHash: 'lavrov-4', cleaning: { rules: [], dropped: [] }, wordCount: 15, charCount: codePointLength(TEXT) })
				.returning()
				.get().id;
			const stance: SpanDraft = { layer: 'stance', start: cp('Nous'), end: cp(' »'), label: 'STANCE', attributes: { polarity: 'favor' }, origin: 'human', provenance: 'human:test' };
			for (const [user, targeted] of [[ANN1, true], [ANN2, false]] as const) {
				const set = getOrCreateSet(db, listedTargetDocumentId, user.username, { userId: getUserByUsername(db, user.username)!.id, status: 'done' });
				insertLinks(db, set.id, insertSpans(db, set.id, [stance]), targeted ? [{ kind: 'target', from: 0, to: null, toName: 'Otan' }] : []);
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
	page.setDefaultTimeout(15_000);
	await signIn(page, server.url, user.username, user.password);
	return page;
}

async function waitSaved(page: Page): Promise<void> {
	await page.waitForFunction(() => {
		const ws = (window as unknown as { __workspace: { sync: { idle: boolean; status: string } } }).__workspace;
		return ws.sync.idle && ws.sync.status === 'saved';
	});
}

/** Drags the mouse over the first occurrence of `needle` in the article. */
async function dragOver(page: Page, needle: string): Promise<void> {
	const { a, b } = await page.evaluate((text) => {
		const root = document.querySelector('[data-testid="article-text"]')!;
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			if (node.parentElement?.closest('[data-skip]')) continue;
			const index = node.textContent!.indexOf(text);
			if (index === -1) continue;
			const box = (at: number) => {
				const r = document.createRange();
				r.setStart(node!, at);
				r.setEnd(node!, at + 1);
				return r.getBoundingClientRect();
			};
			const first = box(index);
			const last = box(index + text.length - 1);
			return { a: { x: first.left + 1, y: first.top + first.height / 2 }, b: { x: last.right - 1, y: last.top + last.height / 2 } };
		}
		throw new Error(`text not found: ${text}`);
	}, needle);
	await page.mouse.move(a.x, a.y);
	await page.mouse.down();
	await page.mouse.move(b.x, b.y, { steps: 4 });
	await page.mouse.up();
}

describe('gold set in the annotation workspace', () => {
	it('is opened from Relecture, takes a new entity and an annotator span, survives a Relecture decision made meanwhile, and Relecture shows the result', async () => {
		const page = await pageAs(REVIEWER);
		await page.goto(`${server.url}/review/${documentId}`);
		// A gold set nobody has edited yet is not a review in progress.
		expect(await page.locator('[data-testid="gold-status"]').textContent()).toBe('Référence : relecture pas commencée');
		await Promise.all([page.waitForURL(`**/review/${documentId}/gold`), page.getByRole('link', { name: 'Modifier la référence dans l’espace d’annotation' }).click()]);
		await page.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));
		expect(await page.locator('[data-testid="gold-banner"]').textContent()).toContain('Jeu de référence (gold) du document');
		expect(await page.getByRole('link', { name: /Relecture de ce document/ }).getAttribute('href')).toBe(`/review/${documentId}`);
		// Gold statuses only: no « À faire », no « Ignoré ».
		expect(await page.locator('input[name="set-status"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['in_progress', 'done']);
		// A gold set nobody saved yet reads as a review in progress.
		expect(await page.locator('input[name="set-status"]:checked').inputValue()).toBe('in_progress');
		// Both annotators marked Lavrov as PER: one suggestion, both named as its sources.
		const lavrov = page.locator(`mark[data-id="s|human:${ANN1.username}|entity:${range('Sergueï Lavrov')}|PER"]`).first();
		expect(await lavrov.getAttribute('title')).toMatch(new RegExp(`human:${ANN1.username}.*human:${ANN2.username}`));

		// A Relecture decision by another reviewer while this page is open…
		const other = await pageAs(REVIEWER);
		await other.goto(`${server.url}/review/${documentId}`);
		await other.locator('[data-testid="candidates-agreed"] tr', { hasText: 'Sergueï Lavrov' }).getByRole('button', { name: /Accepter/ }).click();
		await other.locator('[data-testid="gold-spans"] tbody tr').first().waitFor();
		await other.close();

		// …then an entity nobody marked, by selection and hotkey: the save meets the new revision,
		// is refused, and is replayed on the gold set as it is now.
		await dragOver(page, 'Bruxelles');
		await page.keyboard.press('2');
		await page.locator('[data-testid="notice"]', { hasText: 'Conflit' }).waitFor();
		await waitSaved(page);
		await page.getByRole('button', { name: 'Fermer le message' }).click();
		// An annotator span taken with Enter.
		const otan = await page.locator(`mark[data-id="s|human:${ANN1.username}|entity:${range('Otan')}|ORG"]`).first().boundingBox();
		await page.mouse.click(otan!.x + 4, otan!.y + otan!.height / 2);
		await page.keyboard.press('Enter');
		await waitSaved(page);
		// The quote both annotators marked: the panel names them both.
		const quote = await page.locator(`mark[data-id="s|human:${ANN1.username}|quote:0-${cp(',')}|QUOTE"]`).first().boundingBox();
		await page.mouse.click(quote!.x + 30, quote!.y + quote!.height / 2);
		expect((await page.locator('[data-testid="suggestion-sources"]').textContent())!.replace(/\s+/g, ' ')).toContain(`human:${ANN1.username} · human:${ANN2.username} (2 annotateurs)`);
		const state = await page.evaluate(async (id) => (await fetch(`/api/documents/${id}/annotations?set=gold`)).json(), documentId);
		expect(state.revision).toBe(3);
		expect(state.snapshot.spans.map((s: { start: number; end: number; label: string }) => `${s.start}-${s.end}/${s.label}`)).toEqual([
			`${range('Sergueï Lavrov')}/PER`,
			`${range('Otan')}/ORG`,
			`${range('Bruxelles')}/LOC`
		]);

		await Promise.all([page.waitForURL(`**/review/${documentId}`), page.getByRole('link', { name: /Relecture de ce document/ }).click()]);
		const gold = await page.locator('[data-testid="gold-spans"] tbody tr').allTextContents();
		expect(gold.map((row) => row.match(/Sergueï Lavrov|Otan|Bruxelles/)?.[0])).toEqual(['Sergueï Lavrov', 'Otan', 'Bruxelles']);
		expect(await page.locator('[data-testid="candidates-disputed"] tr', { hasText: 'Otan' }).textContent()).toContain('Dans la référence');
		expect(await page.locator('[data-testid="gold-status"]').textContent()).toBe('Référence : relecture en cours');
		// A doubt the reviewer marks in the gold set (the workspace's `!`) shows in Relecture's gold table.
		const db = openDatabase(server.databasePath);
		db.$client
			.prepare(`UPDATE spans SET attributes = json_object('doubt', json_object('note', 'ORG ou LOC ?')) WHERE set_id = (SELECT id FROM annotation_sets WHERE owner = 'gold' AND document_id = ?) AND label = 'ORG'`)
			.run(documentId);
		db.$client.close();
		await page.reload();
		expect(await page.locator('[data-testid="gold-spans"] tr', { hasText: 'Otan' }).getByTestId('gold-doubt').textContent()).toBe('⚑ doute de la relecture : ORG ou LOC ?');
		await page.goto(`${server.url}/review`);
		expect(await page.locator('tr').filter({ has: page.locator(`a[href="/review/${documentId}"]`) }).getByTestId('gold-stage').textContent()).toMatch(/^\s*Relecture en cours \(3\)\s*$/);
		await page.close();
	});

	it('keeps unsaved gold edits in this browser under the reviewer, not under the shared gold set', async () => {
		const page = await pageAs(REVIEWER);
		await page.goto(`${server.url}/review/${documentId}/gold`);
		await page.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));
		await page.context().setOffline(true);
		await dragOver(page, 'Moscou');
		await page.keyboard.press('2');
		const keys = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('guillemet:queue:')));
		expect(keys).toEqual([expect.stringMatching(new RegExp(`^guillemet:queue:gold~${REVIEWER.username}:${documentId}:`))]);
		await page.close();
	});

	it('does not offer accept-all once the review is finished', async () => {
		const page = await pageAs(REVIEWER);
		await page.goto(`${server.url}/review/${documentId}/gold`);
		await page.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));
		expect(await page.getByRole('button', { name: /Tout accepter/ }).count()).toBe(1);
		await page.locator('input[name="set-status"][value="done"]').check();
		await waitSaved(page);
		expect(await page.getByRole('button', { name: /Tout accepter/ }).count()).toBe(0);
		await page.locator('[data-testid="article-text"]').click({ position: { x: 2, y: 2 } });
		await page.keyboard.press('a');
		await page.locator('[data-testid="notice"]', { hasText: 'Relecture terminée : rouvrez-la' }).waitFor();
		expect(await page.getByRole('dialog').count()).toBe(0);
		// Reopened, it is offered again.
		await page.locator('input[name="set-status"][value="in_progress"]').check();
		await waitSaved(page);
		expect(await page.getByRole('button', { name: /Tout accepter/ }).count()).toBe(1);
		await page.close();
	});

	it('takes the speaker of a quote two annotators marked from the one who named it', async () => {
		const page = await pageAs(REVIEWER);
		await page.goto(`${server.url}/review/${oneSpeakerDocumentId}/gold`);
		await page.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));
		// The quote comes first in the text; one suggestion for both annotators (×2).
		await page.keyboard.press('j');
		const quote = page.locator(`mark.suggestion[data-id$="|quote:${range('« Nous sommes prêts »')}|QUOTE"]`);
		await quote.and(page.locator('.current')).waitFor();
		expect(await quote.getAttribute('data-tag')).toContain('×2');
		expect(await page.locator('[data-testid="suggestion-differences"]').textContent()).toContain(`Locuteur : aucun (${ANN1.username}) / Sergueï Lavrov (${ANN2.username}) — Entrée prend Sergueï Lavrov`);
		await page.keyboard.press('Enter');
		await waitSaved(page);
		const gold = await page.evaluate(async (id) => (await fetch(`/api/documents/${id}/annotations?set=gold`)).json(), oneSpeakerDocumentId);
		expect(gold.snapshot.links).toEqual([expect.objectContaining({ kind: 'speaker', from: `quote:${range('« Nous sommes prêts »')}`, to: `entity:${range('Sergueï Lavrov')}` })]);
		await page.close();
	});

	it('says, before Enter, that the annotators of a quote chose different speakers and kinds, and which ones Enter takes', async () => {
		const page = await pageAs(REVIEWER);
		await page.goto(`${server.url}/review/${twoSpeakersDocumentId}/gold`);
		await page.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));
		await page.keyboard.press('j');
		const quote = page.locator(`mark.suggestion[data-id$="|quote:${range('« Nous sommes prêts »')}|QUOTE"]`);
		await quote.and(page.locator('.current')).waitFor();
		// Marked in words, not by colour: the tag, the hover and screen-reader text, the side panel.
		expect(await quote.getAttribute('data-tag')).toMatch(/×2 ≠$/u);
		const speakers = `Locuteur : Sergueï Lavrov (${ANN1.username}) / Otan (${ANN2.username}) — Entrée prend Sergueï Lavrov`;
		const kinds = `Type : directe (${ANN1.username}) / indirecte (${ANN2.username}) — Entrée prend directe`;
		expect(await quote.getAttribute('title')).toContain(`les annotateurs diffèrent — ${speakers} ; ${kinds}`);
		const panel = page.locator('[data-testid="suggestion-differences"]');
		expect((await panel.textContent())!.replace(/\s+/g, ' ')).toContain('Les annotateurs diffèrent');
		expect(await panel.locator('li').allTextContents()).toEqual([speakers, kinds]);
		// Enter does what the panel said.
		await page.keyboard.press('Enter');
		await waitSaved(page);
		const gold = await page.evaluate(async (id) => (await fetch(`/api/documents/${id}/annotations?set=gold`)).json(), twoSpeakersDocumentId);
		expect(gold.snapshot.spans).toContainEqual(expect.objectContaining({ layer: 'quote', attributes: { kind: 'direct' } }));
		expect(gold.snapshot.links).toEqual([expect.objectContaining({ kind: 'speaker', to: `entity:${range('Sergueï Lavrov')}` })]);
		await page.close();
	});

	it('takes a stance with the listed target an annotator gave it, and says the other gave none', async () => {
		const page = await pageAs(REVIEWER);
		await page.goto(`${server.url}/review/${listedTargetDocumentId}/gold`);
		await page.waitForFunction(() => Boolean((window as unknown as { __workspace?: unknown }).__workspace));
		await page.keyboard.press('j');
		const stance = page.locator(`mark.suggestion[data-id$="|stance:${range('Nous sommes prêts')}|STANCE"]`);
		await stance.and(page.locator('.current')).waitFor();
		expect(await page.locator('[data-testid="suggestion-differences"] li').allTextContents()).toEqual([`Cible : Otan (${ANN1.username}) / aucune (${ANN2.username}) — Entrée prend Otan`]);
		await page.keyboard.press('Enter');
		await waitSaved(page);
		const gold = await page.evaluate(async (id) => (await fetch(`/api/documents/${id}/annotations?set=gold`)).json(), listedTargetDocumentId);
		expect(gold.snapshot.links).toEqual([expect.objectContaining({ kind: 'target', from: `stance:${range('Nous sommes prêts')}`, to: null, toName: 'Otan' })]);
		await page.close();
	});

	it('is refused to annotators, page and endpoint', async () => {
		const page = await pageAs(ANN1);
		const response = await page.goto(`${server.url}/review/${documentId}/gold`);
		expect(response!.status()).toBe(403);
		const statuses = await page.evaluate(async (id) => {
			const url = `/api/documents/${id}/annotations?set=gold`;
			const read = await fetch(url);
			const write = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ saveId: 'forged-save-1', baseRevision: 0, operations: [] }) });
			return [read.status, write.status];
		}, documentId);
		expect(statuses).toEqual([403, 403]);
		await page.close();
	});
});
