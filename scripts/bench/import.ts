// npm run bench:import -- [--count 50000] [--per-file 1000] [--source path.jsonl.gz] [--keep]
// Builds N synthetic articles from real French news texts (paragraphs of the Wikinews articles
// recombined, so each is unique), imports them through the import service into a temporary
// database, and prints documents/s, peak memory, and list/search response times at that size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openDatabase } from '../../src/lib/server/db/client';
import { listDocuments } from '../../src/lib/server/db/documents';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { importFiles } from '../../src/lib/server/import';
import { createLogger, createProgressBar, fail, parseCommandLine, plural, positiveInteger } from '../lib/cli';
import { median } from './median';

const NAME = 'bench:import';
const log = createLogger(NAME);
const DEFAULT_SOURCE = path.resolve(import.meta.dirname, '../../test/fixtures/articles-fr/articles.jsonl.gz');
const usage = `usage: npm run bench:import -- [options]
  Imports N synthetic articles (recombined paragraphs of real French news) into a temporary
  database and prints documents/s, peak memory, and list/search response times at that size.
  --count <n>         articles (default 50000)
  --per-file <n>      articles per JSONL file (default 1000)
  --source <file>     gzipped JSONL of wikinews-fr articles (default test/fixtures/articles-fr/articles.jsonl.gz)
  --keep              keep the temporary folder (files and database)`;
const { values } = parseCommandLine(NAME, usage, {
	strict: true,
	options: {
		count: { type: 'string', default: '50000' },
		'per-file': { type: 'string', default: '1000' },
		source: { type: 'string', default: DEFAULT_SOURCE },
		keep: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h' }
	}
});
const count = positiveInteger(NAME, 'count', values.count)!;
const perFile = positiveInteger(NAME, 'per-file', values['per-file'])!;
if (!fs.existsSync(values.source!)) fail(NAME, `--source ${values.source}: no such file`, 2);

const articles = gunzipSync(fs.readFileSync(values.source!))
	.toString('utf8')
	.trim()
	.split('\n')
	.map((line) => JSON.parse(line) as { id: string; title: string; text: string; source: string })
	.filter((a) => a.source === 'wikinews-fr');
if (articles.length === 0) fail(NAME, `--source ${values.source}: no wikinews-fr article`, 2);
const paragraphs = articles.flatMap((a) => a.text.split('\n\n'));

// A small deterministic generator so runs are comparable.
let seed = 13;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-bench-import-'));
let closeDatabase = () => {};
try {
	const files: string[] = [];
	let totalBytes = 0;
	for (let start = 0; start < count; start += perFile) {
		const lines: string[] = [];
		for (let i = start; i < Math.min(count, start + perFile); i++) {
			const base = articles[i % articles.length];
			const body = Array.from({ length: 3 + Math.floor(random() * 5) }, () => paragraphs[Math.floor(random() * paragraphs.length)]);
			lines.push(JSON.stringify({ id: `bench-${i}`, title: `${base.title} (${i})`, text: `Dépêche n° ${i}.\n\n${body.join('\n\n')}`, source: i % 4 ? 'wikinews-fr' : 'agence' }));
		}
		const file = path.join(dir, `batch-${String(files.length).padStart(4, '0')}.jsonl`);
		fs.writeFileSync(file, lines.join('\n') + '\n');
		totalBytes += fs.statSync(file).size;
		files.push(file);
	}
	log.info(`${count} articles in ${plural(files.length, 'file')} (${(totalBytes / 1e6).toFixed(1)} MB) in ${dir}`);

	const db = openDatabase(path.join(dir, 'bench.db'));
	closeDatabase = () => db.$client.close();
	const project = ensureDefaultProject(db);
	const bar = createProgressBar('[bench:import] {bar} {value}/{total} files | {imported} docs | ETA {eta_formatted}');
	bar.start(files.length, { imported: 0 });
	const rssBefore = process.memoryUsage().rss;
	const started = performance.now();
	const summary = importFiles(db, project, files, (p) => bar.update(p.filesDone, { imported: p.imported }));
	const seconds = (performance.now() - started) / 1000;
	bar.stop();
	const peakRss = process.resourceUsage().maxRSS * 1024;
	if (summary.problems.length) log.warn(`${summary.problems.length} problems, first: ${summary.problems[0].message}`);

	function medianMs(run: () => unknown, times = 7): number {
		const samples: number[] = [];
		for (let i = 0; i < times; i++) {
			const t0 = performance.now();
			run();
			samples.push(performance.now() - t0);
		}
		return median(samples);
	}
	const base = { projectId: project.id, owner: 'local', limit: 50 };
	const lastPage = listDocuments(db, { ...base, cursor: Number.MAX_SAFE_INTEGER, direction: 'previous' });
	const timings = {
		'list, first page': medianMs(() => listDocuments(db, base)),
		'list, last page': medianMs(() => listDocuments(db, { ...base, cursor: lastPage.rows[0].id - 1 })),
		'list, filtered by source': medianMs(() => listDocuments(db, { ...base, source: 'agence' })),
		'list, filtered by status': medianMs(() => listDocuments(db, { ...base, status: 'todo' })),
		'search "securite"': medianMs(() => listDocuments(db, { ...base, search: 'securite' })),
		'search "Otan"': medianMs(() => listDocuments(db, { ...base, search: 'Otan' })),
		'search "président français"': medianMs(() => listDocuments(db, { ...base, search: 'président français' }))
	};

	console.log(`documents imported   ${summary.imported} (${summary.duplicates} duplicates)`);
	console.log(`import time          ${seconds.toFixed(1)} s`);
	console.log(`documents/s          ${(summary.imported / seconds).toFixed(0)}`);
	console.log(`MB/s                 ${(totalBytes / 1e6 / seconds).toFixed(1)}`);
	console.log(`peak RSS             ${(peakRss / 2 ** 20).toFixed(0)} MiB (before import ${(rssBefore / 2 ** 20).toFixed(0)} MiB)`);
	console.log(`database size        ${(fs.statSync(path.join(dir, 'bench.db')).size / 2 ** 20).toFixed(0)} MiB`);
	for (const [name, ms] of Object.entries(timings)) console.log(`${name.padEnd(32)} ${ms.toFixed(1)} ms (median of 7)`);
} finally {
	closeDatabase();
	if (values.keep) log.info(`kept ${dir}`);
	else fs.rmSync(dir, { recursive: true, force: true });
}
