import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { importProblemInFrench } from '../../src/lib/ui/import-messages-fr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { collectImportFiles, importFiles, importUploads } from '../../src/lib/server/import';
import { annotationSets, documents, links, spans } from '../../src/lib/server/db/schema';
import { listDocuments } from '../../src/lib/server/db/documents';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures');
let temp: TempDatabase;

beforeEach(() => {
	temp = createTempDatabase();
});
afterEach(() => temp.close());

const upload = (name: string, text: string | Uint8Array) => ({
	name,
	bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text
});

describe('importing text pages', () => {
	it('imports the sample cleaned, and a second import adds nothing and says so', () => {
		const file = path.join(fixtures, 'articles', 'sputnik-fr-3255db79b009ce73.txt');
		const first = importFiles(temp.db, temp.project, [file]);
		expect(first).toMatchObject({ files: 1, imported: 1, duplicates: 0, problems: [] });
		const second = importFiles(temp.db, temp.project, [file]);
		expect(second).toMatchObject({ imported: 0, duplicates: 1 });
		const [doc] = temp.db.select().from(documents).all();
		expect(doc.externalId).toBe('sputnik-fr-3255db79b009ce73');
		expect(doc.source).toBe('sputnik-fr');
		expect(doc.text.startsWith('Sur fond de tension diplomatique')).toBe(true);
		expect(doc.text.endsWith("sont également à l'ordre du jour.")).toBe(true);
		expect(doc.rawText).toContain('S\'abonner');
		expect(doc.cleaning.rules).toContain('repeated-caption');
		expect(doc.contentHash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('reports a file that is not UTF-8 with its line, and imports the others', () => {
		const summary = importFiles(temp.db, temp.project, [path.join(fixtures, 'import', 'latin1.txt'), path.join(fixtures, 'import', 'crlf.txt')]);
		expect(summary.imported).toBe(1);
		expect(summary.problems).toHaveLength(1);
		expect(summary.problems[0]).toMatchObject({ file: expect.stringContaining('latin1.txt'), line: 3 });
		expect(summary.problems[0].message).toMatch(/not valid UTF-8 \(byte 0xe9/);
		const [doc] = temp.db.select().from(documents).all();
		expect(doc.text).toBe('Un article\n\nsur deux lignes.');
	});

	it('names a Word document, a PDF or a UTF-16 text given a text name, instead of calling it bad UTF-8', () => {
		const docx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xc7, 0x8f, 0x5b, 0x51]);
		const pdf = new TextEncoder().encode('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj');
		const utf16 = new Uint8Array([0xff, 0xfe, 0x4c, 0x00, 0x65, 0x00, 0x0a, 0x00]);
		const summary = importUploads(temp.db, temp.project, [upload('article.txt', docx), upload('depeches.jsonl', pdf), upload('bloc-notes.txt', utf16), upload('bon.txt', 'Titre\n\nUn paragraphe.\n')]);
		expect(summary.imported).toBe(1);
		expect(summary.problems).toEqual([
			{ file: 'article.txt', line: 0, message: 'a ZIP archive (a Word .docx or OpenDocument .odt document is one), not a text file: nothing imported from this file; save it as plain text (UTF-8) or JSONL' },
			{ file: 'depeches.jsonl', line: 0, message: 'a PDF document, not a text file: nothing imported from this file; save it as plain text (UTF-8) or JSONL' },
			{ file: 'bloc-notes.txt', line: 0, message: 'encoded in UTF-16, not UTF-8: nothing imported from this file; re-encode it as UTF-8' }
		]);
		expect(importProblemInFrench(summary.problems[0].message)).toBe(
			'c’est une archive ZIP (un document Word .docx ou OpenDocument .odt en est une), pas un fichier texte : rien n’a été importé de ce fichier ; enregistrez-le en texte brut (UTF-8) ou en JSONL'
		);
	});

	it('walks folders recursively and refuses unsupported files named explicitly', () => {
		const { files, problems } = collectImportFiles([path.join(fixtures, 'import'), path.join(fixtures, 'articles-fr', 'README.md')]);
		expect(files.map((f) => path.basename(f))).toEqual(['annotated.jsonl', 'crlf.txt', 'latin1.txt', 'mixed.jsonl']);
		expect(problems[0].message).toMatch(/unsupported file type/);
	});
});

describe('importing JSONL', () => {
	it('reports each bad line with its number and imports the good ones', () => {
		const summary = importFiles(temp.db, temp.project, [path.join(fixtures, 'import', 'mixed.jsonl')]);
		expect(summary.imported).toBe(2);
		expect(summary.problems.map((p) => [p.line, p.message])).toEqual([
			[2, expect.stringMatching(/^not valid JSON/)],
			[3, 'the text is empty'],
			[5, expect.stringMatching(/^text: /)],
			[6, expect.stringMatching(/^published_at: not an ISO 8601 date/)]
		]);
		const docs = temp.db.select().from(documents).all();
		expect(docs.map((d) => d.title)).toEqual(['Premier', 'Sans titre : le texte sert de titre.']);
		expect(docs[1].publishedAt).toBe('2024-05-01');
		expect(docs[1].meta).toEqual({ lang: 'fr', section: 'monde' });
	});

	it('gives a second page of the same file name its path as id instead of refusing it', () => {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-pages-'));
		try {
			for (const [dir, text] of [['a', 'Premier titre\n\nPremier article, à Paris.'], ['b', 'Second titre\n\nSecond article, à Lyon.']]) {
				fs.mkdirSync(path.join(root, 'site', dir), { recursive: true });
				fs.writeFileSync(path.join(root, 'site', dir, 'index.txt'), text);
			}
			const cwd = process.cwd();
			process.chdir(root);
			let summary;
			try {
				const { files } = collectImportFiles(['site']);
				summary = importFiles(temp.db, temp.project, files);
			} finally {
				process.chdir(cwd);
			}
			expect(summary).toMatchObject({ imported: 2, problems: [] });
			const ids = temp.db.select({ id: documents.externalId, title: documents.title }).from(documents).all();
			expect(ids).toEqual([
				{ id: 'index', title: 'Premier titre' },
				{ id: 'site/b/index', title: 'Second titre' }
			]);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});

	it('names a record not added because another id already has its text', () => {
		const lines = ['{"id":"a","text":"Le même texte."}', '{"id":"b","text":"Le même texte."}', '{"id":"a","text":"Le même texte."}'].join('\n');
		const summary = importUploads(temp.db, temp.project, [upload('syndic.jsonl', lines)]);
		expect(summary).toMatchObject({ imported: 1, duplicates: 2, problems: [] });
		expect(summary.sameTextOtherId).toEqual([
			{ file: 'syndic.jsonl', line: 2, id: 'b', existingId: 'a', message: 'same text as document "a", already imported: not added again as "b"' }
		]);
	});

	it('reports an empty JSONL file instead of passing it as imported', () => {
		const summary = importUploads(temp.db, temp.project, [upload('vide.jsonl', new TextEncoder().encode('\n  \n'))]);
		expect(summary).toMatchObject({ imported: 0, problems: [{ file: 'vide.jsonl', line: 0, message: 'the file holds no record (it is empty or blank)' }] });
	});

	it('says a .txt page is empty rather than that it has no text after its title', () => {
		const encode = (text: string) => new TextEncoder().encode(text);
		const summary = importUploads(temp.db, temp.project, [upload('vide.txt', encode('')), upload('blanc.txt', encode('\n  \n')), upload('titre.txt', encode('Un titre seul\n'))]);
		expect(summary.problems).toEqual([
			{ file: 'vide.txt', line: 0, message: 'the file is empty' },
			{ file: 'blanc.txt', line: 0, message: 'the file holds only blank lines' },
			{ file: 'titre.txt', line: 1, message: 'the page has no text after its title' }
		]);
	});

	it('says what meta must be, in words rather than the validator\'s', () => {
		const summary = importUploads(temp.db, temp.project, [upload('meta.jsonl', new TextEncoder().encode('{"text": "Un texte.", "meta": "Monde"}\n'))]);
		expect(summary.problems).toEqual([{ file: 'meta.jsonl', line: 1, message: 'meta: must be an object of string keys, such as {"section": "Monde"}' }]);
	});

	it('refuses a .jsonl.gz cut short whole, and says that nothing of it was imported', () => {
		const gz = gzipSync(Buffer.from(Array.from({ length: 200 }, (_, i) => `{"id":"c${i}","text":"Le texte numéro ${i * 7919} de la série."}\n`).join('')));
		const summary = importUploads(temp.db, temp.project, [upload('cut.jsonl.gz', new Uint8Array(gz.subarray(0, gz.length >> 1)))]);
		expect(summary).toMatchObject({ imported: 0, problems: [{ file: 'cut.jsonl.gz', line: 0, message: 'not a valid gzip file (unexpected end of file): nothing imported from this file' }] });
		expect(importProblemInFrench(summary.problems[0].message)).toBe('fichier gzip invalide (unexpected end of file) : rien n’a été importé de ce fichier');
	});

	it('reads .jsonl.gz', () => {
		const gz = gzipSync(Buffer.from('{"id":"g1","text":"Un texte compressé."}\n'));
		const summary = importUploads(temp.db, temp.project, [upload('corpus.jsonl.gz', new Uint8Array(gz))]);
		expect(summary).toMatchObject({ imported: 1, problems: [] });
	});

	it('imports records that carry spans, refusing out-of-bounds spans and unknown labels', () => {
		const summary = importFiles(temp.db, temp.project, [path.join(fixtures, 'import', 'annotated.jsonl')]);
		expect(summary).toMatchObject({ imported: 1, setsImported: 1 });
		expect(summary.problems.map((p) => p.line)).toEqual([2, 3]);
		expect(summary.problems[0].message).toMatch(/outside the text/);
		expect(summary.problems[1].message).toMatch(/unknown entity label "PERSONNE"/);
		const set = temp.db.select().from(annotationSets).get()!;
		expect(set).toMatchObject({ owner: 'gold', ownerKind: 'gold', status: 'done' });
		const rows = temp.db.select().from(spans).where(eq(spans.setId, set.id)).all();
		expect(rows.map((s) => [s.start, s.end, s.label, s.origin, s.provenance, s.score])).toEqual([
			[2, 16, 'PER', 'human', 'human:gold', null],
			[27, 33, 'LOC', 'model', 'model:x@abc', 0.9]
		]);
		// Re-importing the same annotated record adds neither a document nor a set.
		const again = importFiles(temp.db, temp.project, [path.join(fixtures, 'import', 'annotated.jsonl')]);
		expect(again).toMatchObject({ imported: 0, setsImported: 0, duplicates: 1 });

		// The same record with one label changed is not a duplicate: it is refused by name, nothing replaced.
		const line = fs.readFileSync(path.join(fixtures, 'import', 'annotated.jsonl'), 'utf8').split('\n')[0];
		const changed = JSON.parse(line);
		changed.entities[1].label = 'ORG';
		const refused = importUploads(temp.db, temp.project, [upload('changed.jsonl', new TextEncoder().encode(JSON.stringify(changed)))]);
		expect(refused).toMatchObject({ imported: 0, setsImported: 0, duplicates: 0 });
		expect(refused.problems).toEqual([
			{ file: 'changed.jsonl', line: 1, message: expect.stringMatching(/already has a set "gold" with different annotations: not replaced/) }
		]);
		expect(temp.db.select().from(spans).where(eq(spans.setId, set.id)).all().map((s) => s.label)).toEqual(['PER', 'LOC']);
	});

	it('imports entities given without ids, and says which one is wrong', () => {
		const lines = [
			{ id: 'n1', text: 'Jean à Paris.', entities: [{ start: 0, end: 4, label: 'PER' }, { start: 7, end: 12, label: 'LOC' }] },
			{ id: 'n2', text: 'Marie à Lyon.', entities: [{ start: 0, end: 5, label: 'PER' }, { start: 8, end: 12, label: 'VILLE' }] }
		];
		const summary = importUploads(temp.db, temp.project, [upload('sans-id.jsonl', lines.map((r) => JSON.stringify(r)).join('\n'))]);
		expect(summary).toMatchObject({ imported: 1, setsImported: 1 });
		expect(summary.problems).toEqual([{ file: 'sans-id.jsonl', line: 2, message: expect.stringMatching(/^entities "entities#2": .*unknown entity label "VILLE"/) }]);
		expect(temp.db.select().from(spans).all().map((s) => [s.start, s.end, s.label])).toEqual([
			[0, 4, 'PER'],
			[7, 12, 'LOC']
		]);
	});

	it('refuses a span whose text does not match its offsets, and a link to a missing span', () => {
		const bad = [
			{ id: 'x1', text: 'Jean à Paris.', entities: [{ id: 'e1', start: 0, end: 4, label: 'PER', text: 'Jeanne' }] },
			{ id: 'x2', text: 'Il a dit « oui ».', quotes: [{ id: 'q1', start: 11, end: 14, kind: 'direct', speaker: 'e9' }] }
		];
		const summary = importUploads(temp.db, temp.project, [upload('bad.jsonl', bad.map((r) => JSON.stringify(r)).join('\n'))]);
		expect(summary.imported).toBe(0);
		expect(summary.problems[0].message).toMatch(/does not match the text at 0–4/);
		expect(summary.problems[1].message).toMatch(/speaker "e9" is not a span of this record/);
	});

	it('says which line of an annotated text normalisation would change, instead of blaming NFC', () => {
		// Trailing spaces are common in converted corpora; the text is NFC and has \n endings.
		const record = { id: 'sp', text: 'Jean à Paris. \nIl parle.', entities: [{ start: 0, end: 4, label: 'PER' }] };
		const summary = importUploads(temp.db, temp.project, [upload('spaces.jsonl', JSON.stringify(record))]);
		expect(summary.imported).toBe(0);
		expect(summary.problems).toEqual([
			{
				file: 'spaces.jsonl',
				line: 1,
				message:
					'the text carries spans but line 1 of the text ends with a space or tab; texts are stored in NFC with \\n line endings and no space or tab at line ends, so its offsets would shift: fix the text and its offsets'
			}
		]);
	});

	it('keeps an entity that another tool drew across a paragraph break, as it is', () => {
		// The workspace and saves never make one (only a quote runs over paragraphs), but a corpus is
		// imported as it was annotated: refusing it would lose the record, cutting it would change it.
		const record = { id: 'across', text: 'La Gauche\n\ndémocratique vote.', set: 'alice', entities: [{ start: 3, end: 24, label: 'ORG' }] };
		const summary = importUploads(temp.db, temp.project, [upload('across.jsonl', JSON.stringify(record))]);
		expect(summary).toMatchObject({ imported: 1, setsImported: 1, problems: [] });
		expect(temp.db.select().from(spans).all().map((s) => [s.start, s.end, s.label])).toEqual([[3, 24, 'ORG']]);
	});

	it('imports quotes with their speaker and cue links', () => {
		const record = {
			id: 'q',
			text: 'Lavrov a déclaré : « Non. »',
			set: 'alice',
			entities: [{ id: 'e1', start: 0, end: 6, label: 'PER' }],
			cues: [{ id: 'c1', start: 7, end: 16 }],
			quotes: [{ id: 'q1', start: 21, end: 25, kind: 'direct', speaker: 'e1', cue: 'c1' }]
		};
		const summary = importUploads(temp.db, temp.project, [upload('q.jsonl', JSON.stringify(record))]);
		expect(summary).toMatchObject({ imported: 1, setsImported: 1, problems: [] });
		const set = temp.db.select().from(annotationSets).get()!;
		expect(set).toMatchObject({ owner: 'alice', ownerKind: 'annotator' });
		expect(temp.db.select().from(links).all().map((l) => l.kind).sort()).toEqual(['cue', 'speaker']);
	});

	it('writes a file in one transaction: a failure mid-file leaves nothing of it', () => {
		// Two records with different texts but the same id: the second is refused as a clash,
		// while a database error (simulated by a trigger) must roll the whole file back.
		temp.db.$client.exec(`CREATE TRIGGER fail_on_boom BEFORE INSERT ON documents WHEN new.title = 'boom'
			BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
		const lines = [
			JSON.stringify({ id: 'ok1', title: 'ok', text: 'Premier texte.' }),
			JSON.stringify({ id: 'ok2', title: 'boom', text: 'Deuxième texte.' })
		].join('\n');
		const summary = importUploads(temp.db, temp.project, [upload('half.jsonl', lines)]);
		expect(summary.problems).toEqual([{ file: 'half.jsonl', line: 0, message: expect.stringMatching(/nothing imported from this file: disk full/) }]);
		expect(temp.db.select().from(documents).all()).toHaveLength(0);
	});

	it('imports a JSONL file larger than the longest JavaScript string, line by line', () => {
		// V8 strings stop near 512 MiB: decoding the file as one string fails. Blank filler lines
		// (1 MiB of spaces each) make the file big without making the test slow.
		const file = path.join(temp.dir, 'big.jsonl');
		const fd = fs.openSync(file, 'w');
		const filler = Buffer.alloc(1 << 20, 0x20);
		filler[filler.length - 1] = 0x0a;
		try {
			fs.writeSync(fd, JSON.stringify({ id: 'first', text: 'Le début du fichier.' }) + '\n');
			for (let i = 0; i < 520; i++) fs.writeSync(fd, filler);
			fs.writeSync(fd, JSON.stringify({ id: 'last', text: 'La fin du fichier, après 520 Mio.' }) + '\n{"id": "bad"\n');
		} finally {
			fs.closeSync(fd);
		}
		expect(fs.statSync(file).size).toBeGreaterThan(520 * 2 ** 20);
		const summary = importFiles(temp.db, temp.project, [file]);
		expect(summary).toMatchObject({ imported: 2, problems: [{ file, line: 523, message: expect.stringMatching(/JSON/) }] });
		expect(temp.db.select({ id: documents.externalId }).from(documents).all().map((d) => d.id)).toEqual(['first', 'last']);
		fs.rmSync(file);
	});

	it('rolls a JSONL file back when a later line is not UTF-8, and says which line', () => {
		const good = JSON.stringify({ id: 'a', text: 'Un texte correct.' }) + '\n\n';
		const bytes = Buffer.concat([
			Buffer.from(good),
			Buffer.from('{"id": "b", "text": "Caf'),
			Buffer.from([0xe9]),
			Buffer.from('"}\n')
		]);
		const summary = importUploads(temp.db, temp.project, [upload('latin1.jsonl', bytes)]);
		expect(summary).toMatchObject({ imported: 0, problems: [{ file: 'latin1.jsonl', line: 3, message: `not valid UTF-8 (byte 0xe9 at offset ${good.length + 24}): nothing imported from this file; re-encode it as UTF-8` }] });
		expect(temp.db.select().from(documents).all()).toHaveLength(0);
	});

	it('reports an id already used by a different text', () => {
		importUploads(temp.db, temp.project, [upload('a.jsonl', JSON.stringify({ id: 'same', text: 'Un.' }))]);
		const summary = importUploads(temp.db, temp.project, [upload('b.jsonl', JSON.stringify({ id: 'same', text: 'Deux.' }))]);
		expect(summary.problems[0]).toMatchObject({ file: 'b.jsonl', line: 1, message: expect.stringMatching(/already used/) });
	});
});

describe('the document list', () => {
	it('counts a suggestion two sources agree on once, as the workspace shows it', () => {
		importUploads(temp.db, temp.project, [upload('one.jsonl', JSON.stringify({ id: 'x', text: 'Sergueï Lavrov à Moscou.' }))]);
		const id = temp.db.select().from(documents).get()!.id;
		const sqlite = temp.db.$client;
		for (const [owner, kind] of [['model:m@1', 'model'], ['memory:default', 'memory']]) {
			const setId = (sqlite.prepare(`INSERT INTO annotation_sets (document_id, owner, owner_kind) VALUES (?, ?, ?) RETURNING id`).get(id, owner, kind) as { id: number }).id;
			sqlite.prepare(`INSERT INTO spans (set_id, layer, start, "end", label, attributes, origin, provenance) VALUES (?, 'entity', 0, 14, 'PER', '{}', ?, ?)`).run(setId, kind, owner);
			if (kind === 'model') sqlite.prepare(`INSERT INTO spans (set_id, layer, start, "end", label, attributes, origin, provenance) VALUES (?, 'entity', 17, 23, 'LOC', '{}', 'model', ?)`).run(setId, owner);
		}
		expect(listDocuments(temp.db, { projectId: temp.project.id, owner: 'local' }).rows[0].suggestionCount).toBe(2);
	});

	it('searches with accents and case folded, filters by source and pages by id', () => {
		const records = Array.from({ length: 120 }, (_, i) =>
			JSON.stringify({ id: `d${i}`, title: `Article ${i}`, text: i % 2 ? `La sécurité de l’OTAN, épisode ${i}.` : `Autre sujet ${i}.`, source: i % 3 ? 'a' : 'b' })
		);
		importUploads(temp.db, temp.project, [upload('many.jsonl', records.join('\n'))]);
		const base = { projectId: temp.project.id, owner: 'local' };
		expect(listDocuments(temp.db, { ...base, search: 'securite otan' }).total).toBe(60);
		expect(listDocuments(temp.db, { ...base, search: 'Otan', source: 'b' }).total).toBe(20);
		const first = listDocuments(temp.db, { ...base, limit: 50 });
		expect(first).toMatchObject({ total: 120, firstPosition: 1, hasPrevious: false, hasNext: true });
		const second = listDocuments(temp.db, { ...base, limit: 50, cursor: first.rows.at(-1)!.id });
		expect(second.firstPosition).toBe(51);
		expect(second.rows[0].title).toBe('Article 50');
		const back = listDocuments(temp.db, { ...base, limit: 50, cursor: second.rows[0].id, direction: 'previous' });
		expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
		// FTS syntax typed by a user is treated as text.
		expect(() => listDocuments(temp.db, { ...base, search: 'OR "AND* (' })).not.toThrow();
	});
});
