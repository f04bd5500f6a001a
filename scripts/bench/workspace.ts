// npm run bench:workspace -- [--runs 3] [--actions 100] [--words 10000] [--spans 1500] [--one-paragraph] [--profile]
// Opens a long article (real French news paragraphs, ~10,000 words) carrying ~1,500 spans (the
// annotator's entities, quotes, stances and mentions, plus machine suggestions) in the real
// workspace, in Chromium against the built server, and measures:
//   - time to interactive: navigation start -> workspace ready (highlights drawn, keys handled);
//   - action latency: keydown -> DOM updated, and keydown -> next animation frame, over ~100
//     keyboard actions (move, extend/shrink, accept, undo), p50 and p95, and p50 per key.
// --one-paragraph joins the paragraphs into one, like a historical newspaper page in OCR (NewsEye
// pages are one paragraph of up to ~23,000 characters): `--one-paragraph --words 3500 --spans 500`.
// Prints each run and the medians over runs. Builds the app first when the build is missing
// or older than the sources.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchBrowser, startTestServer, TEST_ADMIN } from '../../test/helpers/browser';
import { openDatabase } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { documents } from '../../src/lib/server/db/schema';
import { getOrCreateSet, replaceSetContent } from '../../src/lib/server/db/annotation-sets';
import { codePointLength, OffsetIndex } from '../../src/lib/domain/offsets';
import { countWords, tokenizeWords } from '../../src/lib/domain/tokens';
import type { LinkDraft, SpanDraft } from '../../src/lib/domain/spans';
import { createLogger, fail, parseCommandLine, positiveInteger } from '../lib/cli';

const log = createLogger('bench:workspace');
/** The server asks to sign in: the article is annotated by the admin every test server has. */
const ANNOTATOR = TEST_ADMIN.username;
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const usage = `usage: npm run bench:workspace -- [options]
  Opens a long annotated article in the real workspace (Chromium against the built server; builds
  the app first when needed) and prints time to interactive and keyboard action latency.
  --runs <n>       page loads; figures are medians over runs (default 3)
  --actions <n>    keyboard actions measured per run (default 100)
  --words <n>      words of the article (default 10000)
  --spans <n>      spans on it, annotator's and suggestions (default 1500)
  --one-paragraph  the article as one paragraph, like an OCR newspaper page
  --profile        print where the page spent its time during the actions`;
const { values } = parseCommandLine('bench:workspace', usage, {
	strict: true,
	options: {
		runs: { type: 'string', default: '3' },
		actions: { type: 'string', default: '100' },
		words: { type: 'string', default: '10000' },
		spans: { type: 'string', default: '1500' },
		'one-paragraph': { type: 'boolean', default: false },
		/** Prints where the page spent its time during the actions (CPU profile, self time). */
		profile: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h' }
	}
});
const runs = positiveInteger('bench:workspace', 'runs', values.runs)!;
const actionCount = positiveInteger('bench:workspace', 'actions', values.actions)!;
const targetWords = positiveInteger('bench:workspace', 'words', values.words)!;
const targetSpans = positiveInteger('bench:workspace', 'spans', values.spans)!;

function newestMtime(dir: string): number {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		const time = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
		if (time > newest) newest = time;
	}
	return newest;
}

function ensureBuild(): void {
	const entry = path.join(ROOT, 'build', 'index.js');
	if (fs.existsSync(entry) && newestMtime(path.join(ROOT, 'src')) <= fs.statSync(entry).mtimeMs) return;
	log.info('building the app…');
	const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
	if (build.status !== 0) fail('bench:workspace', 'the build failed');
}

/** A long article from real French news paragraphs, deterministic. */
function buildArticle(): string {
	const source = path.join(ROOT, 'test', 'fixtures', 'articles-fr', 'articles.jsonl.gz');
	const paragraphs = gunzipSync(fs.readFileSync(source))
		.toString('utf8')
		.trim()
		.split('\n')
		.flatMap((line) => (JSON.parse(line) as { text: string }).text.split('\n\n'))
		.filter((p) => p.length > 200 && p.length < 1500);
	const chosen: string[] = [];
	let words = 0;
	for (let i = 0; words < targetWords; i = (i + 7) % paragraphs.length) {
		chosen.push(paragraphs[i]);
		words += countWords(paragraphs[i]);
	}
	return chosen.join(values['one-paragraph'] ? ' ' : '\n\n');
}

/** ~targetSpans spans: the annotator's entities, quotes, stances and mentions, and machine suggestions. */
function buildSpans(text: string): { own: SpanDraft[]; links: LinkDraft[]; machine: SpanDraft[] } {
	const index = new OffsetIndex(text);
	const tokens = tokenizeWords(text, index);
	// Capitalised words inside sentences, then long words, every other token at most.
	const names = tokens.filter((t, i) => i % 2 === 0 && (/^\p{Lu}\p{Ll}{3,}$/u.test(t.text) || /^\p{Ll}{7,}$/u.test(t.text)));
	const ownShare = Math.round(targetSpans * 0.6);
	const own: SpanDraft[] = [];
	const machine: SpanDraft[] = [];
	const labels = ['PER', 'LOC', 'ORG', 'MISC'];
	const human = (layer: SpanDraft['layer'], start: number, end: number, label: string, attributes = {}): SpanDraft => ({ layer, start, end, label, attributes, origin: 'human', provenance: `human:${ANNOTATOR}` });
	names.forEach((token, i) => {
		if (own.length + machine.length >= targetSpans * 0.85) return;
		if (i % 3 !== 2 && own.length < ownShare * 0.8) own.push(human('entity', token.start, token.end, labels[i % 4]));
		else machine.push({ layer: 'entity', start: token.start, end: token.end, label: labels[(i + 1) % 4], origin: 'model', score: 0.3 + (i % 7) / 10, provenance: 'model:bench@1' });
	});
	const links: LinkDraft[] = [];
	const entityIndexes = own.map((span, i) => (span.layer === 'entity' ? i : -1)).filter((i) => i >= 0);
	// Quotes and stances over runs of ~15 tokens, each with a speaker or holder nearby.
	for (let t = 40, n = 0; t + 20 < tokens.length && own.length + machine.length < targetSpans; t += 45, n++) {
		const start = tokens[t].start;
		const end = tokens[t + 15].end;
		const layer = n % 3 === 2 ? 'stance' : 'quote';
		own.push(human(layer, start, end, layer === 'quote' ? 'QUOTE' : 'STANCE', layer === 'quote' ? { kind: 'direct' } : { polarity: 'against' }));
		const speaker = entityIndexes.find((i) => own[i].start >= end);
		if (speaker !== undefined) links.push({ kind: layer === 'quote' ? 'speaker' : 'holder', from: own.length - 1, to: speaker });
		if (n % 4 === 0 && own.length + machine.length < targetSpans) own.push(human('mention', tokens[t + 18].start, tokens[t + 18].end, 'MENTION'));
	}
	return { own, links, machine };
}

interface RunFigures {
	tti: number;
	domP50: number;
	domP95: number;
	frameP50: number;
	frameP95: number;
	measured: number;
	/** keydown -> DOM p50 for each key. */
	domP50ByKey: Map<string, number>;
}

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values: number[]) => percentile(values, 50);

// Installed before the page's own scripts: records when the workspace becomes ready, and for
// each keydown the time until the DOM changed and until the next frame.
const PROBE = `
(() => {
	window.__bench = { tti: null, samples: [], pending: null, skipped: 0 };
	const ready = () => {
		if (window.__workspace && document.querySelector('mark[data-id]')) window.__bench.tti = performance.now();
		else requestAnimationFrame(ready);
	};
	requestAnimationFrame(ready);
	window.addEventListener('keydown', (event) => {
		// The modifier of Ctrl+Z comes down first: it is part of the action, not one of its own.
		if (['Control', 'Shift', 'Alt', 'Meta'].includes(event.key)) return;
		const key = (event.ctrlKey ? 'Control+' : '') + (event.shiftKey && event.key.length > 1 ? 'Shift+' : '') + (event.altKey ? 'Alt+' : '') + event.key;
		const pending = { t0: event.timeStamp, dom: null, key };
		window.__bench.pending = pending;
		// Svelte writes the DOM in microtasks: a key that changed nothing has changed it by now.
		setTimeout(() => { if (pending.dom === null && window.__bench.pending === pending) { window.__bench.pending = null; window.__bench.skipped++; } }, 0);
	}, true);
	const observer = new MutationObserver(() => {
		const pending = window.__bench.pending;
		if (!pending || pending.dom !== null) return;
		pending.dom = performance.now();
		requestAnimationFrame(() => {
			window.__bench.samples.push({ key: pending.key, dom: pending.dom - pending.t0, frame: performance.now() - pending.t0 });
			window.__bench.pending = null;
		});
	});
	document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true }));
})();
`;

// Enter accepts when the move landed on a suggestion (and does nothing, unmeasured, on a span).
const ACTIONS = ['j', 'Shift+ArrowRight', 'Shift+ArrowLeft', 'j', 'Alt+ArrowLeft', 'Alt+ArrowRight', 'k', 'j', 'Enter', 'j', 'Control+z', 'Control+Shift+z'];

async function measureRun(page: Page, url: string): Promise<RunFigures> {
	await page.addInitScript(PROBE);
	await page.goto(url);
	await page.waitForFunction(() => (window as unknown as { __bench: { tti: number | null } }).__bench.tti !== null, undefined, { timeout: 120_000 });
	const tti = await page.evaluate(() => (window as unknown as { __bench: { tti: number } }).__bench.tti);
	// Start on an entity in the middle of the article.
	await page.evaluate(() => {
		const marks = document.querySelectorAll<HTMLElement>('mark.entity.own');
		const middle = marks[Math.floor(marks.length / 2)];
		(window as unknown as { __workspace: { selectById: (id: string) => void } }).__workspace.selectById(middle.dataset.id!);
	});
	await page.waitForTimeout(300);
	const cdp = values.profile ? await page.context().newCDPSession(page) : null;
	if (cdp) {
		await cdp.send('Profiler.enable');
		await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
		await cdp.send('Profiler.start');
	}
	let measured = 0;
	for (let i = 0; measured < actionCount && i < actionCount * 3; i++) {
		type Bench = { __bench: { samples: unknown[]; skipped: number } };
		const before = await page.evaluate(() => {
			const bench = (window as unknown as Bench).__bench;
			return bench.samples.length + bench.skipped;
		});
		await page.keyboard.press(ACTIONS[i % ACTIONS.length]);
		await page.waitForFunction(
			(n) => {
				const bench = (window as unknown as Bench).__bench;
				return bench.samples.length + bench.skipped > n;
			},
			before,
			{ timeout: 10_000 }
		);
		measured = await page.evaluate(() => (window as unknown as Bench).__bench.samples.length);
	}
	if (cdp) {
		const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] } };
		const self = new Map<number, number>();
		profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
		const byName = new Map<string, number>();
		for (const node of profile.nodes) {
			const name = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}`;
			byName.set(name, (byName.get(name) ?? 0) + (self.get(node.id) ?? 0));
		}
		log.info('page time by function (self):\n' + [...byName].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([n, t]) => `  ${(t / 1000).toFixed(0)} ms ${n}`).join('\n'));
	}
	const samples = await page.evaluate(() => (window as unknown as { __bench: { samples: { key: string; dom: number; frame: number }[] } }).__bench.samples);
	const dom = samples.map((s) => s.dom);
	const frame = samples.map((s) => s.frame);
	const domByKey = new Map<string, number[]>();
	for (const sample of samples) domByKey.set(sample.key, [...(domByKey.get(sample.key) ?? []), sample.dom]);
	const domP50ByKey = new Map([...domByKey].map(([key, list]) => [key, median(list)]));
	return { tti, domP50: median(dom), domP95: percentile(dom, 95), frameP50: median(frame), frameP95: percentile(frame, 95), measured, domP50ByKey };
}

ensureBuild();
const text = buildArticle();
const { own, links, machine } = buildSpans(text);
log.info(`article: ${countWords(text)} words, ${codePointLength(text)} characters; ${own.length} annotator spans + ${machine.length} suggestions = ${own.length + machine.length} spans`);

const server = await startTestServer({
	env: { SAMPLES_ON_FIRST_START: '0' },
	prepare: (databasePath) => {
		const db = openDatabase(databasePath);
		const project = ensureDefaultProject(db);
		const id = db
			.insert(documents)
			.values({ projectId: project.id, externalId: 'bench', title: 'Article long (banc d’essai)', rawText: text, text, contentHash: 'bench', cleaning: { rules: [], dropped: [] }, wordCount: countWords(text), charCount: codePointLength(text) })
			.returning()
			.get().id;
		replaceSetContent(db, getOrCreateSet(db, id, ANNOTATOR).id, own, links);
		replaceSetContent(db, getOrCreateSet(db, id, 'model:bench@1').id, machine);
		db.$client.close();
	}
});
const browser = await launchBrowser({ signInAs: { url: server.url, ...TEST_ADMIN } }).catch(async (error) => {
	await server.stop();
	throw error;
});
const figures: RunFigures[] = [];
try {
	for (let run = 1; run <= runs; run++) {
		const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
		const page = await context.newPage();
		const result = await measureRun(page, `${server.url}/documents/1`);
		figures.push(result);
		log.info(
			`run ${run}: interactive ${result.tti.toFixed(0)} ms; keydown->DOM p50 ${result.domP50.toFixed(1)} / p95 ${result.domP95.toFixed(1)} ms; keydown->frame p50 ${result.frameP50.toFixed(1)} / p95 ${result.frameP95.toFixed(1)} ms (${result.measured} actions)`
		);
		await context.close();
	}
} finally {
	await browser.close();
	await server.stop();
}
const m = (key: Exclude<keyof RunFigures, 'domP50ByKey'>) => median(figures.map((f) => f[key])).toFixed(key === 'tti' ? 0 : 1);
log.info(`medians over ${runs} runs: time to interactive ${m('tti')} ms; action latency keydown->DOM p95 ${m('domP95')} ms (p50 ${m('domP50')}), keydown->next frame p95 ${m('frameP95')} ms (p50 ${m('frameP50')})`);
const keys = [...new Set(figures.flatMap((f) => [...f.domP50ByKey.keys()]))];
const byKey = keys.map((key) => `${key} ${median(figures.flatMap((f) => f.domP50ByKey.get(key) ?? [])).toFixed(1)}`);
log.info(`keydown->DOM p50 per key (median over runs): ${byKey.join(', ')} ms`);
