// npm run bench:export -- [--documents 100000] [--small 10000] [--runs 1] [--flavours spans,bio,conll] [--fresh]
// Builds (once; reused by later runs unless --fresh) two databases of synthetic annotated articles (real French paragraphs from
// test/fixtures/articles-fr recombined with sentences carrying entities, quotes with cues and
// speakers, stances, emoji and (narrow) no-break spaces), then exports each flavour from each in
// a fresh child process and prints records/s, peak RSS and the ratio to a bare SELECT scan of
// the same rows. The same figures at two sizes show whether memory grows with the corpus, and
// every export runs under a fixed V8 heap cap (HEAP_CAP_MB): it could not finish at 100,000
// documents if it held the corpus in memory. A full run takes 6-7 minutes on 2 cores, most of it
// the three 100,000-document exports; --flavours spans halves it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { codePointLength } from '../../src/lib/domain/offsets';
import { parseExportOptions } from '../../src/lib/domain/export/options';
import { inTransaction, openDatabase, type Db } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { exportToFiles } from '../../src/lib/server/export';
import { createLogger, fail, parseCommandLine, positiveInteger } from '../lib/cli';
import { median } from './median';

const log = createLogger('bench:export');
const ALL_FLAVOURS = ['scan', 'spans', 'bio', 'conll'] as const;
type Flavour = (typeof ALL_FLAVOURS)[number];
const HEAP_CAP_MB = 64;
/** Bump when the synthetic corpus changes, so cached databases are rebuilt. */
const CORPUS_VERSION = 1;

const PEOPLE = ['Sergueï Lavrov', 'Jens Stoltenberg', 'Emmanuel Macron', 'Olaf Scholz', 'Ursula von der Leyen', 'Anaïs Dubois', 'Jean-Marie Martin'];
const PLACES = ['Munich', 'Moscou', 'Bruxelles', 'Paris', 'États-Unis', 'Montréal', 'Genève'];
const ORGS = ['Otan', 'Union européenne', 'Kremlin', 'ONU', 'Commission'];
const CLAUSES = [
	'il faut réinitialiser la coopération militaire',
	'nous ne céderons pas aux pressions',
	'la sécurité européenne se joue maintenant',
	'c’est un honneur d’être ici 🙂',
	'le dialogue reste la seule voie'
];
const NBSP = '\u00a0';
const NNBSP = '\u202f';

interface ChildResult {
	flavour: Flavour;
	records: number;
	documents: number;
	seconds: number;
	bytes: number;
	/** Kernel peak resident set (getrusage maxrss) of the whole child, in MB. */
	peakRssMb: number;
	/** Resident set before the export started (runtime, modules, database open), in MB. */
	baseRssMb: number;
	peakHeapMb: number;
}

const usage = `usage: npm run bench:export -- [options]
  Builds two databases of synthetic annotated articles (once: cached in the system's temporary
  folder), exports each flavour from each in a fresh process under a ${HEAP_CAP_MB} MB heap cap, and
  prints records/s, peak memory and the ratio to a bare SELECT scan.
  --documents <n>      documents of the large database (default 100000)
  --small <n>          documents of the small database (default 10000)
  --runs <n>           runs per flavour and size; figures are medians (default 1)
  --flavours <list>    among spans,bio,conll (default: all three)
  --fresh              rebuild the cached databases`;
const { values } = parseCommandLine('bench:export', usage, {
	strict: true,
	options: {
		documents: { type: 'string', default: '100000' },
		small: { type: 'string', default: '10000' },
		runs: { type: 'string', default: '1' },
		flavours: { type: 'string', default: 'spans,bio,conll' },
		fresh: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h' },
		// Internal: one measurement in a fresh process.
		child: { type: 'string' },
		db: { type: 'string' },
		out: { type: 'string' }
	}
});

if (values.child) {
	const result = await measure(values.child as Flavour, values.db as string, values.out as string);
	process.stdout.write(JSON.stringify(result) + '\n');
	process.exit(0);
}

// ---- Parent: build, run, report ---------------------------------------------------------------

const large = positiveInteger('bench:export', 'documents', values.documents)!;
const small = positiveInteger('bench:export', 'small', values.small)!;
const runs = positiveInteger('bench:export', 'runs', values.runs)!;
const FLAVOURS: Flavour[] = ['scan', ...ALL_FLAVOURS.filter((f) => f !== 'scan' && values.flavours!.split(',').includes(f))];
if (FLAVOURS.length === 1) fail('bench:export', `--flavours lists none of ${ALL_FLAVOURS.slice(1).join(', ')}`, 2);
// Databases are cached between runs (building 100,000 documents takes a minute or more).
const dir = path.join(os.tmpdir(), 'guillemet-bench-export');
fs.mkdirSync(dir, { recursive: true });
const started = performance.now();
const sizes = [...new Set([small, large])].sort((a, b) => a - b);
const databases = new Map<number, string>();
for (const size of sizes) {
	const file = path.join(dir, `bench-v${CORPUS_VERSION}-${size}.db`);
	if (values.fresh || !fs.existsSync(file)) {
		for (const suffix of ['', '-wal', '-shm', '.partial']) fs.rmSync(file + suffix, { force: true });
		const t0 = performance.now();
		const counts = buildDatabase(`${file}.partial`, size);
		fs.renameSync(`${file}.partial`, file);
		log.info(
			`built ${size.toLocaleString('en')} documents, ${counts.spans.toLocaleString('en')} spans, ${counts.links.toLocaleString('en')} links ` +
				`(${(counts.chars / size).toFixed(0)} code points per text) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${file}`
		);
	} else {
		log.info(`reusing ${file} (--fresh rebuilds it)`);
	}
	databases.set(size, file);
}

const results = new Map<string, ChildResult[]>();
for (let run = 1; run <= runs; run++) {
	for (const size of sizes) {
		for (const flavour of FLAVOURS) {
			const out = path.join(dir, `out-${size}-${flavour}.${flavour === 'conll' ? 'conll' : 'jsonl'}`);
			const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, ...process.execArgv, import.meta.filename, '--child', flavour, '--db', databases.get(size)!, '--out', out], {
				encoding: 'utf8',
				maxBuffer: 1 << 20
			});
			if (child.status !== 0) {
				console.error(child.stderr);
				throw new Error(`the ${flavour} run on ${size} documents failed (exit ${child.status})`);
			}
			const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ChildResult;
			fs.rmSync(out, { force: true });
			fs.rmSync(out.replace(/\.(jsonl|conll)$/, '.manifest.json'), { force: true });
			const key = `${size}:${flavour}`;
			results.set(key, [...(results.get(key) ?? []), result]);
			log.info(`run ${run}/${runs} ${size} ${flavour}: ${result.seconds.toFixed(2)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
		}
	}
}

console.log('');
console.log(
	`medians of ${runs} run${runs === 1 ? '' : 's'}, one fresh process per run, V8 heap capped at ${HEAP_CAP_MB} MB (${os.cpus().length} CPUs, Node ${process.version})`
);
console.log(
	['documents', 'flavour', 'records', 'seconds', 'records/s', 'docs/s', 'MB out', 'x scan', 'peak RSS MB', 'base RSS MB', 'peak heap MB']
		.map((h, i) => (i < 2 ? h.padEnd(10) : h.padStart(12)))
		.join(' ')
);
for (const size of sizes) {
	const scan = median(results.get(`${size}:scan`)!.map((r) => r.seconds));
	for (const flavour of FLAVOURS) {
		const rs = results.get(`${size}:${flavour}`)!;
		const seconds = median(rs.map((r) => r.seconds));
		const row = [
			String(size).padEnd(10),
			flavour.padEnd(10),
			rs[0].records,
			seconds.toFixed(2),
			Math.round(rs[0].records / seconds),
			Math.round(rs[0].documents / seconds),
			(rs[0].bytes / 1e6).toFixed(1),
			(seconds / scan).toFixed(1),
			median(rs.map((r) => r.peakRssMb)).toFixed(0),
			median(rs.map((r) => r.baseRssMb)).toFixed(0),
			median(rs.map((r) => r.peakHeapMb)).toFixed(0)
		];
		console.log(row.map((cell, i) => (i < 2 ? String(cell) : String(cell).padStart(12))).join(' '));
	}
}
if (sizes.length === 2) {
	const [a, b] = sizes;
	const growth = FLAVOURS.filter((f) => f !== 'scan').map((f) => {
		const pa = median(results.get(`${a}:${f}`)!.map((r) => r.peakRssMb));
		const pb = median(results.get(`${b}:${f}`)!.map((r) => r.peakRssMb));
		return `${f} ${pa.toFixed(0)} -> ${pb.toFixed(0)} MB`;
	});
	console.log(`peak RSS from ${a.toLocaleString('en')} to ${b.toLocaleString('en')} documents (x${Number((b / a).toFixed(1))}): ${growth.join(', ')}`);
}
console.log(`[bench:export] done in ${((performance.now() - started) / 1000).toFixed(0)} s; databases cached in ${dir}`);

// ---- One measurement ---------------------------------------------------------------------------

async function measure(flavour: Flavour, file: string, out: string): Promise<ChildResult> {
	const db = openDatabase(file, { migrate: false });
	const project = ensureDefaultProject(db);
	globalThis.gc?.();
	const baseRssMb = process.memoryUsage.rss() / 2 ** 20;
	let peakHeap = 0;
	const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
	const t0 = performance.now();
	let records = 0;
	let documents = 0;
	let bytes = 0;
	if (flavour === 'scan') {
		// The same rows the export reads, touched but not formatted: documents with their gold
		// set, then the spans and links of those sets.
		const sqlite = db.$client;
		for (const row of sqlite
			.prepare(
				`SELECT d.id, d.external_id, d.title, d.text, d.source, d.url, d.published_at, d.meta, s.owner, s.status
				   FROM documents d JOIN annotation_sets s ON s.document_id = d.id
				  WHERE d.project_id = ? AND s.owner_kind IN ('annotator','gold') AND s.status = 'done' ORDER BY d.id`
			)
			.iterate(project.id) as Iterable<{ text: string; title: string; meta: string }>) {
			bytes += row.text.length + row.title.length + row.meta.length;
			documents++;
		}
		for (const row of sqlite
			.prepare(
				`SELECT sp.id, sp.set_id, sp.layer, sp.start, sp."end", sp.label, sp.attributes, sp.origin, sp.score, sp.provenance, sp.decision
				   FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id ORDER BY sp.set_id, sp.start`
			)
			.iterate() as Iterable<{ attributes: string; provenance: string }>) {
			bytes += row.attributes.length + row.provenance.length;
		}
		for (const row of sqlite.prepare(`SELECT * FROM links`).iterate() as Iterable<{ kind: string }>) bytes += row.kind.length;
		records = documents;
	} else {
		const parsed = parseExportOptions({ format: flavour });
		if (!parsed.ok) throw new Error(parsed.errors.join('; '));
		const result = await exportToFiles(db, { project, options: parsed.options, out, command: 'bench' });
		records = result.stats.records;
		documents = result.stats.documents;
		bytes = fs.statSync(out).size;
	}
	const seconds = (performance.now() - t0) / 1000;
	clearInterval(sampler);
	peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
	db.$client.close();
	return {
		flavour,
		records,
		documents,
		seconds,
		bytes,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
		baseRssMb,
		peakHeapMb: peakHeap / 2 ** 20
	};
}

// ---- Synthetic corpus ----------------------------------------------------------------------------

function buildDatabase(file: string, count: number): { spans: number; links: number; chars: number } {
	const db = openDatabase(file);
	db.$client.pragma('synchronous = OFF');
	const project = ensureDefaultProject(db);
	const paragraphs = gunzipSync(fs.readFileSync(path.resolve(import.meta.dirname, '../../test/fixtures/articles-fr/articles.jsonl.gz')))
		.toString('utf8')
		.trim()
		.split('\n')
		.flatMap((line) => (JSON.parse(line) as { text: string }).text.split('\n\n'))
		.map((p) => p.normalize('NFC'));
	let seed = 13;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
	const sqlite = db.$client;
	const insertDocument = sqlite.prepare(
		`INSERT INTO documents (project_id, external_id, title, raw_text, text, source, url, published_at, meta, content_hash, cleaning, word_count, char_count, imported_from)
		 VALUES (?, ?, ?, ?, ?, 'bench', NULL, '2026-02-18', '{}', ?, '{"rules":[],"dropped":[]}', 0, ?, 'bench')`
	);
	const insertSet = sqlite.prepare(
		`INSERT INTO annotation_sets (document_id, owner_kind, owner, status, revision, done_at) VALUES (?, 'gold', 'gold', 'done', 1, '2026-03-01T00:00:00.000Z')`
	);
	const insertSpan = sqlite.prepare(
		`INSERT INTO spans (set_id, layer, start, "end", label, attributes, origin, score, provenance, decision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	);
	const insertLink = sqlite.prepare(`INSERT INTO links (set_id, kind, from_span_id, to_span_id, to_name) VALUES (?, ?, ?, ?, ?)`);
	let spans = 0;
	let links = 0;
	let chars = 0;
	const BATCH = 2000;
	for (let first = 0; first < count; first += BATCH) {
		inTransaction(db as Db, () => {
			for (let n = first; n < Math.min(count, first + BATCH); n++) {
				const doc = syntheticArticle(n, pick, paragraphs);
				chars += doc.length;
				const documentId = Number(
					insertDocument.run(project.id, `bench-${n}`, doc.title, doc.text, doc.text, createHash('sha256').update(doc.text).digest('hex'), doc.length).lastInsertRowid
				);
				const setId = Number(insertSet.run(documentId).lastInsertRowid);
				const ids = doc.spans.map((s) =>
					Number(insertSpan.run(setId, s.layer, s.start, s.end, s.label, s.attributes, s.origin, s.score, s.provenance, s.decision).lastInsertRowid)
				);
				for (const link of doc.links) insertLink.run(setId, link.kind, ids[link.from], link.to === null ? null : ids[link.to], link.toName);
				spans += ids.length;
				links += doc.links.length;
			}
		});
	}
	db.$client.close();
	return { spans, links, chars };
}

interface SyntheticSpan {
	layer: string;
	start: number;
	end: number;
	label: string;
	attributes: string;
	origin: string;
	score: number | null;
	provenance: string;
	decision: string | null;
}

function syntheticArticle(n: number, pick: <T>(list: readonly T[]) => T, paragraphs: readonly string[]) {
	let text = '';
	let cp = 0;
	const spans: SyntheticSpan[] = [];
	const links: { kind: string; from: number; to: number | null; toName: string | null }[] = [];
	const add = (piece: string) => {
		text += piece;
		cp += codePointLength(piece);
	};
	const mark = (layer: string, piece: string, label: string, extra: Partial<SyntheticSpan> = {}) => {
		const start = cp;
		add(piece);
		spans.push({ layer, start, end: cp, label, attributes: '{}', origin: 'human', score: null, provenance: 'human:alice', decision: null, ...extra });
		return spans.length - 1;
	};
	const model = (score: number) => ({ origin: 'model', provenance: 'model:guillemet-ner-fr@2026-03', score, decision: score > 0.9 ? 'accepted' : 'edited' });
	const person = pick(PEOPLE);
	add(`Dépêche ${n} 📰${NNBSP}: `);
	mark('entity', person, 'PER', model(0.97));
	add(` à `);
	mark('entity', pick(PLACES), 'LOC', model(0.91));
	add('\n\n');
	for (let sentence = 0; sentence < 3; sentence++) {
		const speaker = mark('entity', pick(PEOPLE), 'PER', model(0.95));
		add(' ');
		const cue = mark('cue', 'a déclaré', 'CUE', { origin: 'rules', provenance: 'rules:quote-cues@1' });
		add(' à ');
		mark('entity', pick(PLACES), 'LOC');
		add(`${NNBSP}: «${NBSP}`);
		const quote = mark('quote', pick(CLAUSES), 'QUOTE', { attributes: '{"kind":"direct"}' });
		add(`${NBSP}». `);
		links.push({ kind: 'speaker', from: quote, to: speaker, toName: null }, { kind: 'cue', from: quote, to: cue, toName: null });
	}
	add('Selon l’');
	const org = mark('entity', pick(ORGS), 'ORG');
	add(', ');
	const stance = mark('stance', 'la situation reste préoccupante', 'STANCE', { attributes: '{"polarity":"against"}' });
	add('.\n\n');
	links.push({ kind: 'holder', from: stance, to: org, toName: null }, { kind: 'target', from: stance, to: null, toName: 'Ukraine' });
	// One sentence of real news text, so the tokeniser sees real French and not only templates.
	const paragraph = pick(paragraphs);
	const stop = paragraph.indexOf('. ', 120);
	add(stop > 0 ? paragraph.slice(0, stop + 1) : paragraph);
	return { title: `Dépêche ${n} : ${person}`, text, spans, links, length: cp };
}
