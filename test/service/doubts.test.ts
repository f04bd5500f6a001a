// « Doute »: an annotator marks a span as a hard case. Saved through the shared editing
// operations, shown on Relecture and counted in its list, left out of agreement, of candidate
// matching and of the gold set, and exported (and re-imported) as the span's `doubt`.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, insertTestDocument, type TempDatabase } from '../helpers/temp-db';
import { ensureUser, type User } from '../../src/lib/server/db/users';
import { codePointLength } from '../../src/lib/domain/offsets';
import { doubtOperation, type Operation } from '../../src/lib/domain/editing/operations';
import { fromSnapshot, type EditSpan } from '../../src/lib/domain/editing/state';
import { loadAnnotatorSet } from '../../src/lib/server/annotation/load-annotations';
import { saveAnnotations } from '../../src/lib/server/annotation/save-annotations';
import { applyReviewDecision, listGoldSuggestions, listReviewQueue, loadReview } from '../../src/lib/server/review';
import { computeAgreementForDocument } from '../../src/lib/server/agreement';
import { parseExportOptions } from '../../src/lib/domain/export/options';
import { streamExportPart } from '../../src/lib/server/export';
import { validateExportLine } from '../../src/lib/domain/export/validate-record';
import { importFiles } from '../../src/lib/server/import';

const TEXT = '« Nous ne céderons pas », a déclaré Sergueï Lavrov au Kremlin.';
const KREMLIN = { start: TEXT.indexOf('Kremlin'), end: TEXT.indexOf('.') };

let temp: TempDatabase;
let ana: User;
let bob: User;
let documentId: number;
let saves = 0;

function save(db: TempDatabase, user: User, operations: Operation[]) {
	const revision = loadAnnotatorSet(db.db, documentId, user.username).revision;
	return saveAnnotations(db.db, {
		documentId,
		user,
		textLength: codePointLength(TEXT),
		labelSchema: db.project.labelSchema,
		baseRevision: revision,
		operations,
		saveId: `doubt-save-${++saves}`
	});
}

function kremlin(user: User, label = 'LOC'): EditSpan {
	return { layer: 'entity', ...KREMLIN, label, attributes: {}, origin: 'human', score: null, provenance: `human:${user.username}`, decision: null };
}

/** Marks the user's span at `key` as a doubt, as the workspace's `!` does. */
function doubt(user: User, key: string, note: string | null) {
	const state = fromSnapshot(loadAnnotatorSet(temp.db, documentId, user.username).snapshot);
	return save(temp, user, [doubtOperation(state, key, { note })]);
}

async function exportAnnotators(db: TempDatabase): Promise<string> {
	const parsed = parseExportOptions({ set: 'all-annotators', status: 'any' });
	if (!parsed.ok) throw new Error(parsed.errors.join('; '));
	return new Response(streamExportPart(db.db, db.project, parsed.options, 'corpus', 'test')).text();
}

const KEY = `entity:${KREMLIN.start}-${KREMLIN.end}`;

beforeEach(() => {
	temp = createTempDatabase();
	ana = ensureUser(temp.db, 'ana');
	bob = ensureUser(temp.db, 'bob');
	documentId = insertTestDocument(temp, 'doc-1', TEXT);
	expect(save(temp, ana, [{ type: 'add', span: kremlin(ana) }]).outcome).toBe('saved');
	expect(save(temp, bob, [{ type: 'add', span: kremlin(bob) }]).outcome).toBe('saved');
});
afterEach(() => temp.close());

describe('saving a doubt', () => {
	it('stores it on the span, survives a reload, and names it in the audit trail', () => {
		expect(doubt(ana, KEY, ' LOC ou ORG ici ? ')).toMatchObject({ outcome: 'saved', revision: 2 });
		expect(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot.spans[0].attributes).toEqual({ doubt: { note: 'LOC ou ORG ici ?' } });
		const audit = temp.db.$client.prepare(`SELECT json_extract(detail, '$.summary') AS summary FROM audit_events ORDER BY id DESC LIMIT 1`).get();
		expect(audit).toEqual({ summary: `doute sur LOC ${KREMLIN.start}–${KREMLIN.end} : « LOC ou ORG ici ? »` });
		expect(doubt(ana, KEY, null).outcome).toBe('saved');
		expect(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot.spans[0].attributes).toEqual({ doubt: { note: null } });
	});

	it('refuses a doubt that is not { note } from a client, and writes nothing', () => {
		const before = kremlin(ana);
		const result = save(temp, ana, [{ type: 'update', before, after: { ...before, attributes: { doubt: 'ORG' } as never } }]);
		expect(result).toMatchObject({ outcome: 'invalid', revision: 1 });
		expect(result.outcome === 'invalid' && result.message).toMatch(/un doute est un objet \{ note \}/);
	});
});

describe('doubts on Relecture', () => {
	it('leave the span the same candidate and the agreement figures as they were, and say who doubted what', () => {
		const agreementBefore = computeAgreementForDocument(temp.db, temp.project.id, documentId, { includeUnfinished: true });
		doubt(ana, KEY, 'LOC ou ORG ici ?');
		doubt(bob, KEY, null);
		expect(computeAgreementForDocument(temp.db, temp.project.id, documentId, { includeUnfinished: true })).toEqual(agreementBefore);
		const view = loadReview(temp.db, documentId, TEXT);
		expect(view.candidates).toHaveLength(1);
		expect(view.candidates[0]).toMatchObject({
			key: `${KEY}:LOC`,
			agreement: 'all',
			annotators: ['ana', 'bob'],
			doubts: [
				{ username: 'ana', note: 'LOC ou ORG ici ?' },
				{ username: 'bob', note: null }
			]
		});
	});

	it('keep a candidate all annotators agree on out of the bulk accept: it is accepted one by one', () => {
		doubt(bob, KEY, 'LOC ou ORG ici ?');
		const acceptAgreed = () =>
			applyReviewDecision(temp.db, { documentId, user: ana, text: TEXT, labelSchema: temp.project.labelSchema, baseRevision: loadReview(temp.db, documentId, TEXT).gold.revision, decision: { type: 'accept-agreed' } });
		expect(acceptAgreed()).toEqual({ outcome: 'invalid', message: 'les annotations communes qui restent portent un doute (⚑) : examinez-les et acceptez-les une à une' });
		expect(loadReview(temp.db, documentId, TEXT).gold.spans).toEqual([]);
		// Doubt lifted: the bulk accept takes it.
		save(temp, bob, [{ type: 'update', before: { ...kremlin(bob), attributes: { doubt: { note: 'LOC ou ORG ici ?' } } }, after: kremlin(bob) }]);
		expect(acceptAgreed()).toMatchObject({ outcome: 'saved', changed: 1 });
	});

	it('stay with their annotators: gold takes the span without them, from Relecture and from the gold workspace', () => {
		doubt(ana, KEY, 'LOC ou ORG ici ?');
		const suggestions = listGoldSuggestions(loadReview(temp.db, documentId, TEXT));
		expect(suggestions.find((s) => s.provenance === 'human:ana')).toMatchObject({ attributes: {}, doubt: { note: 'LOC ou ORG ici ?' } });
		const result = applyReviewDecision(temp.db, { documentId, user: ana, text: TEXT, labelSchema: temp.project.labelSchema, baseRevision: 0, decision: { type: 'accept', key: `${KEY}:LOC` } });
		expect(result.outcome).toBe('saved');
		expect(loadReview(temp.db, documentId, TEXT).gold.spans.map((span) => span.attributes)).toEqual([{}]);
	});

	it('are counted per document in the list, which can put the most doubtful first', () => {
		const other = insertTestDocument(temp, 'doc-2', `${TEXT} Fin.`);
		const first = documentId;
		documentId = other;
		save(temp, ana, [{ type: 'add', span: kremlin(ana) }]);
		doubt(ana, KEY, null);
		documentId = first;
		const counts = (order?: 'doubts') => listReviewQueue(temp.db, temp.project.id, { order }).map((row) => [row.documentId, row.doubts]);
		expect(counts()).toEqual([
			[first, 0],
			[other, 1]
		]);
		expect(counts('doubts')).toEqual([
			[other, 1],
			[first, 0]
		]);
	});
});

describe('doubts in the export', () => {
	it('are the span’s `doubt`, accepted by export:validate, and come back through import', async () => {
		doubt(ana, KEY, 'LOC ou ORG ici ?');
		const exported = await exportAnnotators(temp);
		const records = exported.trim().split('\n');
		for (const line of records) expect(validateExportLine(line)).toEqual([]);
		const entities = records.map((line) => JSON.parse(line) as { set: string; entities: Record<string, unknown>[] });
		expect(entities.find((r) => r.set === 'ana')!.entities[0]).toMatchObject({ text: 'Kremlin', doubt: { note: 'LOC ou ORG ici ?' } });
		expect(entities.find((r) => r.set === 'bob')!.entities[0]).not.toHaveProperty('doubt');

		const file = path.join(temp.dir, 'corpus.jsonl');
		fs.writeFileSync(file, exported);
		const other = createTempDatabase();
		try {
			expect(importFiles(other.db, other.project, [file]).problems).toEqual([]);
			expect(await exportAnnotators(other)).toBe(exported);
		} finally {
			other.close();
		}
	});
});
