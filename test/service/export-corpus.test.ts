// The export service on the fixture corpus (imported through the import service): each flavour
// validated record by record and checked again in Python, set and layer choices, splits that
// never move a document, the round trip through import, and the download stream.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExportOptions, type RawExportOptions } from '../../src/lib/domain/export/options';
import { DEFAULT_GUIDELINES } from '../../src/lib/domain/guidelines';
import { saveGuidelines } from '../../src/lib/server/annotation/guidelines';
import { createConllChecker, validateExportLine } from '../../src/lib/domain/export/validate-record';
import type { Db } from '../../src/lib/server/db/client';
import type { Project } from '../../src/lib/server/db/projects';
import { downloadFileName, exportToFiles, planExportLayout, previewExport, streamExportPart } from '../../src/lib/server/export';
import { importFiles } from '../../src/lib/server/import';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

const CORPUS = path.resolve(__dirname, '../fixtures/export/corpus.jsonl');

/** Checks every span and token of a `spans` file with Python's own str slicing. */
const PYTHON_CHECK = `
import gzip, json, sys
path = sys.argv[1]
spans = tokens = 0
with (gzip.open if path.endswith('.gz') else open)(path, 'rt', encoding='utf-8') as f:
    for n, line in enumerate(f, 1):
        r = json.loads(line)
        assert r['offset_unit'] == 'codepoint'
        for key in ('entities', 'mentions', 'cues', 'quotes', 'stances', 'tokens'):
            for s in r[key]:
                if r['text'][s['start']:s['end']] != s['text']:
                    sys.exit(f"{path}:{n}: {key} {s.get('id')} {s['text']!r} != {r['text'][s['start']:s['end']]!r}")
                if key == 'tokens':
                    tokens += 1
                else:
                    spans += 1
print(json.dumps({'spans': spans, 'tokens': tokens}))
`;

/** The documented split rule, in Python: bucket from sha256("<seed>:<id>"), consecutive intervals. */
const PYTHON_SPLIT = `
import hashlib, json, sys
seed, parts, ids = int(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
out = {}
for i in ids:
    bucket = int(hashlib.sha256(f"{seed}:{i}".encode('utf-8')).hexdigest()[:13], 16) / 2**52
    upper = 0
    for name, ratio in parts:
        upper += ratio
        if bucket < upper:
            break
    out[i] = name
print(json.dumps(out))
`;

function options(raw: RawExportOptions) {
	const parsed = parseExportOptions(raw);
	if (!parsed.ok) throw new Error(parsed.errors.join('; '));
	return parsed.options;
}

async function exportTo(db: Db, project: Project, out: string, raw: RawExportOptions = {}) {
	return exportToFiles(db, { project, options: options(raw), out, command: 'test' });
}

function readText(file: string): string {
	const bytes = fs.readFileSync(file);
	return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

function readRecords(file: string): Record<string, any>[] {
	return readText(file)
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line));
}

/** Every problem the validator finds in a file, as `line: message`. */
function validateFile(file: string): string[] {
	const lines = readText(file).split('\n');
	if (lines.at(-1) === '') lines.pop();
	if (/\.conll(\.gz)?$/.test(file)) {
		const checker = createConllChecker();
		return lines.flatMap((line, i) => checker.check(line, i + 1).map((p) => `${p.line}: ${p.message}`));
	}
	return lines.flatMap((line, i) => validateExportLine(line).map((message) => `${i + 1}: ${message}`));
}

function pythonCheck(file: string): { spans: number; tokens: number } {
	return JSON.parse(execFileSync('python3', ['-c', PYTHON_CHECK, file], { encoding: 'utf8' }));
}

describe('export of the fixture corpus', () => {
	let temp: TempDatabase;
	let out: string;

	beforeAll(() => {
		temp = createTempDatabase();
		const summary = importFiles(temp.db, temp.project, [CORPUS]);
		expect(summary.problems).toEqual([]);
		expect(summary.setsImported).toBe(7);
		out = path.join(temp.dir, 'out');
	});
	afterAll(() => temp.close());

	it('writes full records that validate, in TypeScript and in Python', async () => {
		const file = path.join(out, 'corpus.jsonl');
		const result = await exportTo(temp.db, temp.project, file);
		expect(validateFile(file)).toEqual([]);
		const records = readRecords(file);
		const spanCount = records.reduce((n, r) => n + r.entities.length + r.mentions.length + r.cues.length + r.quotes.length + r.stances.length, 0);
		const tokenCount = records.reduce((n, r) => n + r.tokens.length, 0);
		expect(pythonCheck(file)).toEqual({ spans: spanCount, tokens: tokenCount });

		// latest: gold where a document has one, else the most recently finished annotator set.
		expect(records.map((r) => [r.id, r.set])).toEqual([
			['munich-lavrov', 'gold'],
			['spinal-tap-montreal', 'gold'],
			['editorial-ukraine', 'gold'],
			['brief-empty', 'gold'],
			['macron-scholz', 'bob']
		]);
		expect(result.stats.skippedDocuments).toBe(1);
		expect(result.manifestPath).toBe(path.join(out, 'corpus.manifest.json'));
		const manifest = JSON.parse(fs.readFileSync(result.manifestPath, 'utf8'));
		expect(manifest).toMatchObject({
			schema: 'guillemet.corpus-manifest/1',
			record_schema: 'guillemet.corpus/1',
			offset_unit: 'codepoint',
			models: { gazetteer: ['rules:gazetteer@1'], memory: ['default'], model: ['guillemet-ner-fr@2026-03'], rules: ['quote-cues@1'] },
			totals: { documents: 5, records: 5, skipped_documents: 1, entities: { LOC: 5, MISC: 1, ORG: 6, PER: 6 } },
			database: { file: temp.file, data_revision: expect.stringMatching(/^d6-/) },
			guidelines: { revision: 0, custom: false, sha256: createHash('sha256').update(DEFAULT_GUIDELINES).digest('hex') }
		});
	});

	it('keeps offsets exact after emoji, combining marks, NBSP and narrow NBSP, and across paragraphs', async () => {
		const file = path.join(out, 'exact.jsonl');
		await exportTo(temp.db, temp.project, file);
		const [munich, spinal] = readRecords(file);
		const chars = (r: Record<string, any>) => [...(r.text as string)];
		const otan = munich.entities.find((e: any) => e.text === 'Otan');
		// A UTF-16 count would be 2 more: the flag before it is 2 code points, 4 units.
		expect(otan.start).toBe([...munich.text.slice(0, munich.text.indexOf('Otan'))].length);
		expect(munich.text.indexOf('Otan')).toBe(otan.start + 2);
		const quote = munich.quotes[0];
		expect(quote.text).toContain('\n\nHier, M. Stoltenberg');
		expect(quote).toMatchObject({ cue: 'c1', speaker: 'e3', origin: 'rules', model: 'quote-cues@1', decision: 'edited' });
		expect(munich.stances[0]).toMatchObject({ holder: 'm1', target: { span: 'e8' }, polarity: 'against' });
		expect(munich.stances[0].text).toContain('🙂');
		const band = spinal.entities.find((e: any) => e.label === 'MISC');
		expect(band.text).toBe('Spın̈al Tap');
		expect(band.end - band.start).toBe(11); // n + U+0308 stay two code points under NFC
		expect(chars(spinal).slice(band.start, band.end).join('')).toBe('Spın̈al Tap');
	});

	it('writes token records per sentence, per document, and with tag ids', async () => {
		const bySentence = path.join(out, 'bio.jsonl');
		await exportTo(temp.db, temp.project, bySentence, { format: 'bio' });
		expect(validateFile(bySentence)).toEqual([]);
		const sentences = readRecords(bySentence);
		expect(sentences[0]).toEqual({ id: 'munich-lavrov#1', tokens: expect.any(Array), ner_tags: expect.any(Array) });
		expect(sentences[0].ner_tags.slice(0, 3)).toEqual(['B-PER', 'O', 'B-LOC']);

		const byDocument = path.join(out, 'bio-doc.jsonl');
		await exportTo(temp.db, temp.project, byDocument, { format: 'bio', unit: 'document' });
		const documents = readRecords(byDocument);
		expect(documents.map((r) => r.id)).toEqual(['munich-lavrov', 'spinal-tap-montreal', 'editorial-ukraine', 'brief-empty', 'macron-scholz']);
		expect(documents[0].tokens).toEqual(sentences.filter((r) => r.id.startsWith('munich-lavrov#')).flatMap((r) => r.tokens));

		const ids = path.join(out, 'bio-ids.jsonl');
		const result = await exportTo(temp.db, temp.project, ids, { format: 'bio', unit: 'document', tagIds: true });
		expect(validateFile(ids)).toEqual([]);
		const labels = result.manifest.ner_labels as string[];
		expect(labels).toEqual(['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG', 'B-MISC', 'I-MISC']);
		expect(readRecords(ids).map((r) => r.ner_tags.map((id: number) => labels[id]))).toEqual(documents.map((r) => r.ner_tags));
	});

	it('writes CoNLL with one DOCSTART per document and the same tags as the records', async () => {
		const file = path.join(out, 'corpus.conll');
		await exportTo(temp.db, temp.project, file, { format: 'conll' });
		expect(validateFile(file)).toEqual([]);
		const spansFile = path.join(out, 'for-conll.jsonl');
		await exportTo(temp.db, temp.project, spansFile);
		const tokens = readRecords(spansFile).flatMap((r) => r.tokens.map((t: any) => `${t.text}\t${t.ner}`));
		const lines = readText(file).split('\n');
		expect(lines.filter((line) => line === '-DOCSTART- -X- O O')).toHaveLength(5);
		expect(lines.filter((line) => line.includes('\t'))).toEqual(tokens);
		expect(lines.join('\n')).toMatch(/abord\tO\n\nLe\tO\nministre\tO/);
	});

	it('exports chosen layers with the spans they link to', async () => {
		const file = path.join(out, 'quotes.jsonl');
		await exportTo(temp.db, temp.project, file, { layers: 'quote' });
		expect(validateFile(file)).toEqual([]);
		const [munich] = readRecords(file);
		expect(munich.entities.map((e: any) => e.text)).toEqual(['Sergueï Lavrov']);
		expect(munich.cues).toHaveLength(1);
		expect(munich.mentions).toHaveLength(1);
		expect(munich.stances).toEqual([]);
		expect(munich.tokens[0]).not.toHaveProperty('ner');
	});

	it('chooses sets: gold, one annotator, all annotators, any status', async () => {
		const ids = async (raw: RawExportOptions) => {
			const file = path.join(out, `sets-${Object.values(raw).join('-')}.jsonl`);
			await exportTo(temp.db, temp.project, file, raw);
			expect(validateFile(file)).toEqual([]);
			return readRecords(file).map((r) => `${r.id}/${r.set}/${r.status}`);
		};
		expect(await ids({ set: 'gold' })).toHaveLength(4);
		expect(await ids({ set: 'alice' })).toEqual(['macron-scholz/alice/done']);
		expect(await ids({ set: 'all-annotators' })).toEqual(['macron-scholz/alice/done', 'macron-scholz/bob/done']);
		expect(await ids({ set: 'all-annotators', status: 'any' })).toEqual([
			'macron-scholz/alice/done',
			'macron-scholz/bob/done',
			'macron-scholz/carol/in_progress'
		]);
	});

	it('fails on a selection without any record, naming the owners of sets, and writes nothing', async () => {
		const dir = path.join(out, 'empty');
		await expect(exportTo(temp.db, temp.project, `${dir}/`, { set: 'nobody', split: 'train=0.5,test=0.5' })).rejects.toThrow(
			'nothing to export: no document has a finished set matching --set nobody (finished sets exist for: gold, alice, bob); no file written'
		);
		expect(fs.readdirSync(dir)).toEqual([]);
		const file = path.join(out, 'empty.jsonl');
		await expect(exportTo(temp.db, temp.project, file, { set: 'nobody', status: 'any' })).rejects.toThrow(/set matching --set nobody \(sets exist for: gold, alice, bob, carol\)/);
		expect(fs.readdirSync(out).filter((name) => name.startsWith('empty.'))).toEqual([]);
	});

	it('stops when its signal aborts and removes the partial files', async () => {
		const dir = path.join(out, 'aborted');
		const signal = AbortSignal.abort(new Error('interrupted'));
		await expect(exportToFiles(temp.db, { project: temp.project, options: options({ split: 'train=0.5,test=0.5' }), out: `${dir}/`, command: 'test', signal })).rejects.toThrow(
			'interrupted'
		);
		expect(fs.readdirSync(dir)).toEqual([]);
	});

	it('previews how many documents each part would hold, the same ones the export writes', async () => {
		for (const raw of [{}, { set: 'gold' }, { set: 'nobody' }, { split: 'train=0.4,dev=0.3,test=0.3', seed: '7' }, { set: 'all-annotators', status: 'any' }] as RawExportOptions[]) {
			const preview = previewExport(temp.db, temp.project, options(raw));
			const dir = path.join(out, `preview-${Object.values(raw).join('-') || 'default'}`);
			if (preview.documents === 0) {
				await expect(exportTo(temp.db, temp.project, `${dir}/`, raw)).rejects.toThrow(/nothing to export/);
				continue;
			}
			const { stats } = await exportTo(temp.db, temp.project, `${dir}/`, raw);
			expect(preview.documents, JSON.stringify(raw)).toBe(stats.documents);
			expect(preview.parts, JSON.stringify(raw)).toEqual(Object.fromEntries(Object.entries(stats.parts).map(([part, p]) => [part, p.documents])));
		}
	});

	it('removes the files of an earlier export into the same folder that this one does not write', async () => {
		const dir = path.join(out, 'again');
		await exportTo(temp.db, temp.project, `${dir}/`, { split: 'train=0.4,dev=0.3,test=0.3' });
		fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
		expect(fs.readdirSync(dir).sort()).toEqual(['dev.jsonl', 'manifest.json', 'notes.txt', 'test.jsonl', 'train.jsonl']);
		await exportTo(temp.db, temp.project, `${dir}/`, { split: 'train=0.5,test=0.5' });
		expect(fs.readdirSync(dir).sort()).toEqual(['manifest.json', 'notes.txt', 'test.jsonl', 'train.jsonl']);
		expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).splits)).toEqual(['train', 'test']);
		// Single files side by side are never removed, even when their manifests share a name.
		const side = path.join(out, 'side');
		await exportTo(temp.db, temp.project, `${side}/corpus.jsonl`);
		await exportTo(temp.db, temp.project, `${side}/corpus.conll.gz`, { format: 'conll', gzip: true });
		expect(fs.readdirSync(side).sort()).toEqual(['corpus.conll.gz', 'corpus.jsonl', 'corpus.manifest.json']);
	});

	it('gzips when asked', async () => {
		const file = path.join(out, 'corpus.jsonl.gz');
		await exportTo(temp.db, temp.project, file, { gzip: true });
		expect(fs.readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
		expect(validateFile(file)).toEqual([]);
		expect(pythonCheck(file).spans).toBeGreaterThan(20);
	});

	it('streams the same bytes for the download as to a file', async () => {
		const file = path.join(out, 'download.jsonl');
		await exportTo(temp.db, temp.project, file);
		const streamed = await new Response(streamExportPart(temp.db, temp.project, options({}), 'corpus', 'test')).text();
		expect(streamed).toBe(fs.readFileSync(file, 'utf8'));
		const manifest = JSON.parse(await new Response(streamExportPart(temp.db, temp.project, options({}), 'manifest', 'test')).text());
		expect(manifest.totals.documents).toBe(5);
		// A download does not reveal where the database lives on the server.
		expect(manifest.database.file).toBe(path.basename(temp.db.$client.name));
		// The manifest names the guidelines in force: the project's own once written.
		saveGuidelines(temp.db, temp.project.id, '# Nos consignes', { basedOn: 0, username: 'chef' });
		const after = JSON.parse(await new Response(streamExportPart(temp.db, temp.project, options({}), 'manifest', 'test')).text());
		expect(after.guidelines).toEqual({ revision: 1, custom: true, sha256: createHash('sha256').update('# Nos consignes').digest('hex') });
		const zipped = await new Response(streamExportPart(temp.db, temp.project, options({ gzip: true }), 'corpus', 'test')).arrayBuffer();
		expect(gunzipSync(Buffer.from(zipped)).toString('utf8')).toBe(streamed);
	});

	it('names each download by its flavour, set and split, so that two downloads do not overwrite each other', () => {
		const names = (raw: RawExportOptions, part: string) => downloadFileName(temp.project, options(raw), part);
		expect(names({}, 'corpus')).toBe('default-spans-corpus.jsonl');
		expect(names({}, 'manifest')).toBe('default-spans-manifest.json');
		expect(names({ split: 'train=0.8,test=0.2' }, 'manifest')).toBe('default-spans-split-manifest.json');
		expect(names({ split: 'train=0.8,test=0.2' }, 'train')).toBe('default-spans-split-train.jsonl');
		expect(names({ set: 'gold', format: 'bio', gzip: true }, 'corpus')).toBe('default-bio-gold-corpus.jsonl.gz');
		expect(names({ set: 'all-annotators', format: 'conll' }, 'corpus')).toBe('default-conll-all-annotators-corpus.conll');
	});

	it('round-trips: export, import into an empty database, export again gives the same records', async () => {
		for (const raw of [{}, { set: 'all-annotators', status: 'any' }, { split: 'train=0.5,test=0.5' }] as RawExportOptions[]) {
			const first = path.join(out, 'round-1');
			const second = path.join(out, 'round-2');
			fs.rmSync(first, { recursive: true, force: true });
			fs.rmSync(second, { recursive: true, force: true });
			const a = await exportTo(temp.db, temp.project, `${first}/`, raw);
			const other = createTempDatabase();
			try {
				const summary = importFiles(other.db, other.project, a.files);
				expect(summary.problems).toEqual([]);
				const b = await exportTo(other.db, other.project, `${second}/`, raw);
				expect(b.files.map((f) => path.basename(f))).toEqual(a.files.map((f) => path.basename(f)));
				a.files.forEach((file, i) => expect(fs.readFileSync(b.files[i], 'utf8')).toBe(fs.readFileSync(file, 'utf8')));
				// In the database too, every span but those of origin import has its provenance back.
				const provenance = (db: Db) =>
					(db.$client
						.prepare(`SELECT layer, start, "end", label, origin, provenance, score, decision FROM spans WHERE origin != 'import' ORDER BY 1, 2, 3, 5, 6`)
						.all() as object[]).map((row) => JSON.stringify(row));
				const before = new Set(provenance(temp.db));
				expect(provenance(other.db).filter((row) => !before.has(row))).toEqual([]);
				// Only the manifest's time, duration, database and revision differ, and the guidelines:
				// the project's own, which a corpus does not carry.
				const strip = (m: Record<string, unknown>) => ({ ...m, created_at: 0, duration_ms: 0, database: 0, guidelines: 0, totals: { ...(m.totals as object), skipped_documents: 0 } });
				expect(strip(b.manifest)).toEqual(strip(a.manifest));
			} finally {
				other.close();
			}
		}
	});
});

describe('the Python loaders of docs/corpus-format.md', () => {
	it('read each flavour with the standard library', async () => {
		const temp = createTempDatabase();
		try {
			expect(importFiles(temp.db, temp.project, [CORPUS]).problems).toEqual([]);
			const split = 'train=0.6,test=0.4';
			await exportTo(temp.db, temp.project, path.join(temp.dir, 'corpus/'), { split });
			await exportTo(temp.db, temp.project, path.join(temp.dir, 'bio/'), { split, format: 'bio', tagIds: true });
			await exportTo(temp.db, temp.project, path.join(temp.dir, 'all.conll'), { format: 'conll' });
			const docs = fs.readFileSync(path.resolve(__dirname, '../../docs/corpus-format.md'), 'utf8');
			const blocks = [...docs.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);
			expect(blocks).toHaveLength(2);
			// The loaders as documented; only the bio part reads its own folder here.
			const script = `
import re, sys
split_rule, loaders = sys.argv[1], sys.argv[2]
exec(split_rule)
print("split", split_of("munich-lavrov", parts=(("train", 0.6), ("test", 0.4))))
bio = loaders.index("# bio:")
conll = loaders.index("# conll:")
exec(loaders[:bio])
exec(loaders[bio:conll].replace("corpus/", "bio/"))
print("pairs", pairs[:2])
exec(loaders[conll:])
documents = read_conll("all.conll")
print("conll", len(documents), sum(len(d) for d in documents))
`;
			const output = execFileSync('python3', ['-c', script, blocks[0], blocks[1]], { cwd: temp.dir, encoding: 'utf8' });
			const train = readRecords(path.join(temp.dir, 'corpus/train.jsonl')).map((r) => r.id);
			expect(output).toContain(`split ${train.includes('munich-lavrov') ? 'train' : 'test'}`);
			if (train.includes('munich-lavrov')) expect(output).toContain("direct 'un effet néfaste' — lui");
			expect(output).toMatch(/pairs \[\('[^']+', '(O|[BI]-[A-Z]+)'\)/);
			expect(output).toContain('conll 5 10');
		} finally {
			temp.close();
		}
	});
});

describe('splits', () => {
	let temp: TempDatabase;
	const SPLIT = 'train=0.8,dev=0.1,test=0.1';

	function addDocuments(from: number, count: number): void {
		const file = path.join(temp.dir, `docs-${from}.jsonl`);
		const lines = Array.from({ length: count }, (_, k) => {
			const n = from + k;
			const text = `Dépêche n° ${n} : Mme Dupont a rencontré M. Martin à Lyon.`;
			const start = [...text].length - 5;
			return JSON.stringify({
				schema: 'guillemet.corpus/1',
				id: `doc-${n}`,
				text,
				set: 'gold',
				status: 'done',
				entities: [{ id: 'e1', start, end: start + 4, text: 'Lyon', label: 'LOC' }]
			});
		});
		fs.writeFileSync(file, lines.join('\n') + '\n');
		expect(importFiles(temp.db, temp.project, [file]).problems).toEqual([]);
	}

	function assignment(dir: string): Map<string, string> {
		const map = new Map<string, string>();
		for (const name of ['train', 'dev', 'test']) {
			for (const record of readRecords(path.join(dir, `${name}.jsonl`))) {
				expect(record.split).toBe(name);
				map.set(record.id, name);
			}
		}
		return map;
	}

	beforeAll(() => {
		temp = createTempDatabase();
		addDocuments(1, 300);
	});
	afterAll(() => temp.close());

	it('writes one file per split and a manifest with counts per split and label', async () => {
		const dir = path.join(temp.dir, 'split-a');
		const result = await exportTo(temp.db, temp.project, dir, { split: SPLIT });
		expect(fs.readdirSync(dir).sort()).toEqual(['dev.jsonl', 'manifest.json', 'test.jsonl', 'train.jsonl']);
		for (const name of ['train', 'dev', 'test']) expect(validateFile(path.join(dir, `${name}.jsonl`))).toEqual([]);
		const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
		const splits = manifest.splits as Record<string, { documents: number; entities: Record<string, number>; file: string }>;
		expect(Object.keys(splits)).toEqual(['train', 'dev', 'test']);
		expect(splits.train.file).toBe('train.jsonl');
		expect(Object.values(splits).reduce((n, s) => n + s.documents, 0)).toBe(300);
		expect(Object.values(splits).reduce((n, s) => n + s.entities.LOC, 0)).toBe(300);
		expect(splits.train.documents).toBeGreaterThan(210);
		expect(splits.train.documents).toBeLessThan(270);
		expect(result.manifest.options).toMatchObject({ seed: 13 });
	});

	it('is deterministic, follows the documented rule, and never moves a document when others are added', async () => {
		const first = path.join(temp.dir, 'split-b');
		const again = path.join(temp.dir, 'split-c');
		await exportTo(temp.db, temp.project, first, { split: SPLIT });
		await exportTo(temp.db, temp.project, again, { split: SPLIT });
		for (const name of ['train.jsonl', 'dev.jsonl', 'test.jsonl']) {
			expect(fs.readFileSync(path.join(again, name), 'utf8')).toBe(fs.readFileSync(path.join(first, name), 'utf8'));
		}
		const before = assignment(first);
		const python = JSON.parse(
			execFileSync('python3', ['-c', PYTHON_SPLIT, '13', JSON.stringify([['train', 0.8], ['dev', 0.1], ['test', 0.1]]), JSON.stringify([...before.keys()])], {
				encoding: 'utf8'
			})
		);
		expect(Object.fromEntries(before)).toEqual(python);

		addDocuments(301, 300);
		const after = path.join(temp.dir, 'split-d');
		await exportTo(temp.db, temp.project, after, { split: SPLIT });
		const grown = assignment(after);
		expect(grown.size).toBe(600);
		const moved = [...before].filter(([id, split]) => grown.get(id) !== split);
		expect(moved).toEqual([]);

		const reseeded = path.join(temp.dir, 'split-e');
		await exportTo(temp.db, temp.project, reseeded, { split: SPLIT, seed: '14' });
		const changed = [...assignment(reseeded)].filter(([id, split]) => grown.get(id) !== split).length;
		expect(changed).toBeGreaterThan(30);
	});

	it('refuses a file name as the output of a split export', async () => {
		await expect(exportTo(temp.db, temp.project, path.join(temp.dir, 'x.jsonl'), { split: SPLIT })).rejects.toThrow(
			/names a file, but --split writes one file per split/
		);
	});
});

describe('where --out points', () => {
	let dir: string;
	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-out-'));
		fs.writeFileSync(path.join(dir, 'a-file'), '');
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	// npm run export refuses each of these as a usage error before opening the database
	// (test/service/export-cli.test.ts runs one of them through the script).
	it('refuses an --out it cannot write to and says why', () => {
		const at = (name: string) => `${dir}/${name}`;
		expect(planExportLayout(at('x.jsonl'), options({ split: 'train=0.5,test=0.5' }))).toBe(`--out "${at('x.jsonl')}" names a file, but --split writes one file per split: give a folder`);
		expect(planExportLayout(at('x.conll'), options({}))).toBe(`--out "${at('x.conll')}": --format spans writes .jsonl files`);
		expect(planExportLayout(at('x.txt'), options({}))).toBe(`--out "${at('x.txt')}": expected a file ending in .jsonl (or .gz), or a folder ending in /`);
		expect(planExportLayout(at('a-file/'), options({}))).toBe(`--out "${at('a-file/')}": ${at('a-file')} exists and is a file, not a folder`);
	});

	it('says in words why a folder takes no file', async () => {
		const empty = createTempDatabase();
		try {
			// /proc lets nobody create a file, root included.
			await expect(exportToFiles(empty.db, { project: empty.project, options: options({}), out: '/proc/guillemet-corpus.jsonl', command: 'test' })).rejects.toThrow(
				'cannot create /proc/guillemet-corpus.jsonl.partial: no such file or directory'
			);
		} finally {
			empty.close();
		}
	});
});
