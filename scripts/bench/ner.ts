// npm run bench:ner -- [--model name] [--dtype q8|fp32] [--threads 1,2] [--runs 3] [--limit N] [--batch-size N] [--json]
// Speed of the whole pre-annotation path (words, sentences, pieces, windows, inference,
// decoding, writing the set to a temporary database) against the bare ONNX session on the same
// windows, on sample articles: test/fixtures/articles/*.txt and, when present,
// ../shared/data/articles-fr/articles.jsonl.gz. Medians of several runs; figures only, no asserts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { importFiles } from '../../src/lib/server/import';
import { planTextWindows, DEFAULT_BATCH_SIZE } from '../../src/lib/server/ner/annotate';
import { disposeNerModels, getNerModel, nerSettingsFromConfig, type NerModel } from '../../src/lib/server/ner/model';
import { createNerStep, preannotateDocument } from '../../src/lib/server/preannotate';
import { createLogger, fail } from '../lib/cli';
import { checkNerChoices } from '../lib/ner-options';
import { median } from './median';

const NAME = 'bench:ner';
const log = createLogger(NAME);

let args;
try {
	args = parseArgs({
		strict: true,
		options: {
			model: { type: 'string' },
			dtype: { type: 'string' },
			threads: { type: 'string', default: '1,2' },
			runs: { type: 'string', default: '3' },
			limit: { type: 'string' },
			'batch-size': { type: 'string' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h' }
		}
	});
} catch (error) {
	fail(NAME, (error as Error).message, 2);
}
if (args.values.help) {
	console.log('usage: npm run bench:ner -- [--model name] [--dtype q8|fp32] [--threads 1,2] [--runs 3] [--limit N] [--batch-size N] [--json]');
	process.exit(0);
}
const threadCounts = args.values.threads!.split(',').map(Number);
const runs = Number(args.values.runs);
const limit = args.values.limit ? Number(args.values.limit) : undefined;
const batchSize = args.values['batch-size'] ? Number(args.values['batch-size']) : DEFAULT_BATCH_SIZE;
if (threadCounts.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1) fail(NAME, '--threads and --runs take positive integers', 2);
if (args.values.dtype && args.values.dtype !== 'q8' && args.values.dtype !== 'fp32') fail(NAME, '--dtype must be q8 or fp32', 2);

const config = loadConfig();
const modelSettings = (threads: number) =>
	nerSettingsFromConfig(config, { threads, ...(args.values.model ? { name: args.values.model } : {}), ...(args.values.dtype ? { dtype: args.values.dtype as 'q8' | 'fp32' } : {}) });
// An unknown --model (exit 2) or a model folder without its ONNX file (exit 1): said in one line, as
// ner:eval says it, before anything is imported into the temporary database.
checkNerChoices(NAME, modelSettings(threadCounts[0]), { model: args.values.model });
try {
	await getNerModel(modelSettings(threadCounts[0]));
} catch (error) {
	fail(NAME, (error as Error).message);
}
let peakRss = process.memoryUsage().rss;
const sampleMemory = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sampleMemory, 20);

// Sample articles, imported (cleaned) into a temporary database, as users would.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-bench-ner-'));
const db = openDatabase(path.join(dir, 'bench.db'));
const project = ensureDefaultProject(db);
const sources = [path.join(PROJECT_ROOT, 'test', 'fixtures', 'articles')];
const shared = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'articles-fr', 'articles.jsonl.gz');
const files = fs.readdirSync(sources[0]).filter((f) => f.endsWith('.txt')).map((f) => path.join(sources[0], f));
if (fs.existsSync(shared)) files.push(shared);
importFiles(db, project, files);
let docs = db.$client.prepare('SELECT id, text, word_count AS words FROM documents ORDER BY id').all() as { id: number; text: string; words: number }[];
if (limit) docs = docs.slice(0, limit);
const totalWords = docs.reduce((sum, d) => sum + d.words, 0);
log.info(`${docs.length} articles, ${totalWords} words (${files.map((f) => path.relative(PROJECT_ROOT, f)).join(', ')})`);

const cpuMs = () => {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
};

/**
 * Bare session: the same windows, batched and sorted the same way, inputs built outside the
 * timer. Returns wall and CPU milliseconds of the session runs only.
 */
async function bare(model: NerModel, windows: number[][]): Promise<{ wall: number; cpu: number }> {
	const sorted = [...windows].sort((a, b) => a.length - b.length);
	let wall = 0;
	let cpu = 0;
	for (let from = 0; from < sorted.length; from += batchSize) {
		const inputs = model.buildInputs(sorted.slice(from, from + batchSize));
		const started = performance.now();
		const cpuStarted = cpuMs();
		await model.run(inputs);
		wall += performance.now() - started;
		cpu += cpuMs() - cpuStarted;
	}
	return { wall, cpu };
}

const results = [];
for (const threads of threadCounts) {
	const model = await getNerModel(modelSettings(threads));
	const steps = [createNerStep(model, project, { batchSize, warn: log.warn })];
	const windowsPerDoc = docs.map((d) => planTextWindows(model, d.text));
	const windowCount = windowsPerDoc.reduce((s, w) => s + w.length, 0);
	const pieces = windowsPerDoc.reduce((s, ws) => s + ws.reduce((a, w) => a + w.length, 0), 0);
	// Warm-up: first runs allocate arenas and fill the word-piece cache.
	await preannotateDocument(db, docs[0].id, { steps });
	await bare(model, windowsPerDoc[0]);
	const whole: { wall: number; cpu: number }[] = [];
	const bareRuns: { wall: number; cpu: number }[] = [];
	for (let run = 0; run < runs; run++) {
		// Whole path and bare session alternate document by document, so that load from other
		// processes on the machine falls on both alike.
		const w = { wall: 0, cpu: 0 };
		const b = { wall: 0, cpu: 0 };
		for (let d = 0; d < docs.length; d++) {
			const started = performance.now();
			const cpuStarted = cpuMs();
			await preannotateDocument(db, docs[d].id, { steps });
			w.wall += performance.now() - started;
			w.cpu += cpuMs() - cpuStarted;
			const session = await bare(model, windowsPerDoc[d]);
			b.wall += session.wall;
			b.cpu += session.cpu;
		}
		sampleMemory();
		whole.push(w);
		bareRuns.push(b);
	}
	const wallWhole = median(whole.map((r) => r.wall)) / 1000;
	const wallBare = median(bareRuns.map((r) => r.wall)) / 1000;
	const cpuRatio = median(whole.map((r, i) => r.cpu / bareRuns[i].cpu));
	const wallRatio = median(whole.map((r, i) => r.wall / bareRuns[i].wall));
	const result = {
		model: model.owner,
		dtype: model.settings.dtype,
		threads,
		batchSize,
		documents: docs.length,
		words: totalWords,
		windows: windowCount,
		pieces,
		wholeSeconds: wallWhole,
		bareSeconds: wallBare,
		docsPerSecond: docs.length / wallWhole,
		wordsPerSecond: totalWords / wallWhole,
		bareWordsPerSecond: totalWords / wallBare,
		wallRatio,
		cpuRatio,
		runs
	};
	results.push(result);
	if (!args.values.json) {
		log.info(
			`${model.owner} ${result.dtype}, ${threads} thread${threads > 1 ? 's' : ''}: ${result.docsPerSecond.toFixed(2)} docs/s, ${Math.round(result.wordsPerSecond)} words/s (whole path ${wallWhole.toFixed(2)} s; bare session ${wallBare.toFixed(2)} s on the same ${windowCount} windows / ${pieces} pieces); whole/bare: wall ${wallRatio.toFixed(3)}, CPU ${cpuRatio.toFixed(3)} (target < 1.25)`
		);
	}
	await disposeNerModels();
}
clearInterval(sampler);
sampleMemory();
db.$client.close();
fs.rmSync(dir, { recursive: true, force: true });
if (args.values.json) console.log(JSON.stringify({ results, peakRssMiB: peakRss / 2 ** 20 }));
log.info(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB; medians of ${runs} runs`);
