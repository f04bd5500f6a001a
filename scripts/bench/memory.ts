// npm run bench:memory -- [--forms 1000,10000] [--documents 200] [--saves 30]
// What the entity memory costs an annotator's save as it grows. For each memory size, builds a
// database (temporary folder) holding that many remembered forms and unreviewed documents that
// mention some of them, then times, median over --saves:
//   - save: one annotator save that adds or removes an entity (so the memory changes), through
//     the real save service, refreshing the memory suggestions of the documents that mention it;
//   - refresh: refreshMemorySuggestions alone, for a form no document mentions (the fixed cost
//     of a refresh, whatever it finds);
//   - first build: the memory matcher built from nothing, what the first save after a server
//     start or a label rename pays before its own work.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inTransaction, openDatabase, type Db } from '../../src/lib/server/db/client';
import { ensureDefaultProject, type Project } from '../../src/lib/server/db/projects';
import { ensureUser } from '../../src/lib/server/db/users';
import { importUploads } from '../../src/lib/server/import';
import { forgetMemoryMatcher, memoryMatcher, refreshMemorySuggestions } from '../../src/lib/server/memory';
import { saveAnnotations } from '../../src/lib/server/annotation/save-annotations';
import { codePointLength } from '../../src/lib/domain/offsets';
import type { EditSpan } from '../../src/lib/domain/editing/state';
import { createLogger, fail, parseCommandLine, positiveInteger } from '../lib/cli';
import { median } from './median';

const log = createLogger('bench:memory');
const usage = `usage: npm run bench:memory -- [options]
  Times an annotator's save, a memory refresh and the first build of the memory matcher with
  entity memories of several sizes.
  --forms <list>      memory sizes, comma-separated (default 1000,10000)
  --documents <n>     unreviewed documents mentioning remembered forms (default 200)
  --saves <n>         saves timed per size; figures are medians (default 30)`;
const { values } = parseCommandLine('bench:memory', usage, {
	strict: true,
	options: {
		forms: { type: 'string', default: '1000,10000' },
		documents: { type: 'string', default: '200' },
		saves: { type: 'string', default: '30' },
		help: { type: 'boolean', short: 'h' }
	}
});
const sizes = values.forms.split(',').map((value) => positiveInteger('bench:memory', 'forms', value.trim())!);
const documentCount = positiveInteger('bench:memory', 'documents', values.documents)!;
const saveCount = positiveInteger('bench:memory', 'saves', values.saves)!;
if (sizes.length === 0) fail('bench:memory', '--forms: give at least one size', 2);

const SYLLABLES = ['ba', 'lo', 'mi', 'ren', 'tal', 'vé', 'dor', 'sik', 'pu', 'nar', 'gé', 'lin', 'co', 'fra', 'zu', 'mé'];
const LABELS = ['PER', 'LOC', 'ORG', 'MISC'];
const FILLER = 'a déclaré mardi que la situation restait préoccupante selon les observateurs présents sur place'.split(' ');

/** The i-th remembered form: one to three capitalised pseudo-words, all distinct. */
function formName(i: number): string {
	const word = (n: number) => {
		let s = '';
		do {
			s += SYLLABLES[n % SYLLABLES.length];
			n = Math.floor(n / SYLLABLES.length);
		} while (n > 0);
		return s[0].toUpperCase() + s.slice(1) + 'x';
	};
	const words = 1 + (i % 3);
	return Array.from({ length: words }, (_, k) => word(i * 3 + k)).join(' ');
}

function buildDatabase(dir: string, forms: number): { db: Db; project: Project; texts: string[] } {
	const db = openDatabase(path.join(dir, `memory-${forms}.db`));
	const project = ensureDefaultProject(db);
	inTransaction(db, () => {
		const surface = db.$client.prepare('INSERT INTO memory_surfaces (project_id, surface) VALUES (?, ?) RETURNING id');
		const label = db.$client.prepare('INSERT INTO memory_labels (surface_id, label, count) VALUES (?, ?, ?)');
		for (let i = 0; i < forms; i++) {
			const { id } = surface.get(project.id, formName(i)) as { id: number };
			label.run(id, LABELS[i % LABELS.length], 2 + (i % 5));
		}
	});
	// Each document: ~300 words, mentioning 20 remembered forms; the first is the one saved on.
	const texts = Array.from({ length: documentCount }, (_, d) => {
		const parts: string[] = [];
		for (let k = 0; k < 20; k++) parts.push(formName((d * 20 + k * 7) % forms), ...FILLER.slice(0, 14), '.');
		return parts.join(' ');
	});
	const lines = texts.map((text, d) => JSON.stringify({ id: `doc-${d}`, text }));
	importUploads(db, project, [{ name: 'bench.jsonl', bytes: new TextEncoder().encode(lines.join('\n')) }]);
	return { db, project, texts };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-bench-memory-'));
try {
	log.info(`${documentCount} documents, ${saveCount} saves per size`);
	for (const forms of sizes) {
		const { db, project, texts } = buildDatabase(dir, forms);
		const ana = ensureUser(db, 'ana');
		const [{ id: documentId }] = db.$client.prepare('SELECT id FROM documents ORDER BY id LIMIT 1').all() as { id: number }[];
		const text = texts[0];
		// The first form of the first document, which other documents mention too.
		const first = formName(0);
		const entity: EditSpan = { layer: 'entity', start: 0, end: codePointLength(first), label: 'ORG', attributes: {}, origin: 'human', score: null, provenance: 'human:ana', decision: null };
		const saves: number[] = [];
		const refreshes: number[] = [];
		let revision = 0;
		for (let i = 0; i < saveCount; i++) {
			const started = performance.now();
			const result = saveAnnotations(db, {
				documentId,
				user: ana,
				textLength: codePointLength(text),
				labelSchema: project.labelSchema,
				baseRevision: revision,
				saveId: `bench-save-${forms}-${i}`,
				operations: [i % 2 === 0 ? { type: 'add', span: entity } : { type: 'remove', span: entity }]
			});
			saves.push(performance.now() - started);
			if (result.outcome !== 'saved') fail('bench:memory', `save ${i} was not saved: ${result.outcome}`);
			revision = result.revision;
			const refreshStarted = performance.now();
			refreshMemorySuggestions(db, project.id, ['Introuvablex'], { limit: 50 });
			refreshes.push(performance.now() - refreshStarted);
		}
		const builds: number[] = [];
		for (let i = 0; i < saveCount; i++) {
			forgetMemoryMatcher(db, project.id);
			const started = performance.now();
			memoryMatcher(db, project.id);
			builds.push(performance.now() - started);
		}
		log.info(
			`${String(forms).padStart(6)} forms: save ${median(saves).toFixed(1)} ms (median), refresh with nothing to refresh ${median(refreshes).toFixed(1)} ms (median), first build of the matcher ${median(builds).toFixed(1)} ms (median)`
		);
		db.$client.close();
	}
} finally {
	fs.rmSync(dir, { recursive: true, force: true });
}
