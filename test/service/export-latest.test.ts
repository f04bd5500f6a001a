// `--set latest` (the default) exports the gold set of a reviewed document, even when an
// annotator saved after the review; otherwise the annotator set finished last.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXPORT_OPTIONS } from '../../src/lib/domain/export/options';
import { streamExportPart } from '../../src/lib/server/export';
import { importUploads } from '../../src/lib/server/import';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

let temp: TempDatabase;
beforeEach(() => (temp = createTempDatabase()));
afterEach(() => temp.close());

const record = (id: string, set: string, label: string) =>
	JSON.stringify({ id, text: `Lavrov à Munich (${id}).`, set, status: 'done', entities: [{ id: 'e1', start: 0, end: 6, label }] });

function setDoneAt(owner: string, documentExternalId: string, doneAt: string) {
	temp.db.$client
		.prepare('UPDATE annotation_sets SET done_at = ? WHERE owner = ? AND document_id = (SELECT id FROM documents WHERE external_id = ?)')
		.run(doneAt, owner, documentExternalId);
}

async function exportedSets(): Promise<string[]> {
	const text = await new Response(streamExportPart(temp.db, temp.project, { ...DEFAULT_EXPORT_OPTIONS }, 'corpus', 'test')).text();
	return text
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line))
		.map((r) => `${r.id}:${r.set}:${r.entities[0].label}`);
}

describe('export --set latest', () => {
	it('prefers gold where it exists, else the latest finished annotator set', async () => {
		const lines = [record('reviewed', 'gold', 'PER'), record('reviewed', 'ana', 'ORG'), record('pending', 'ana', 'ORG'), record('pending', 'bob', 'LOC')];
		importUploads(temp.db, temp.project, [{ name: 'sets.jsonl', bytes: new TextEncoder().encode(lines.join('\n')) }]);
		setDoneAt('gold', 'reviewed', '2026-01-01T00:00:00.000Z');
		setDoneAt('ana', 'reviewed', '2026-02-01T00:00:00.000Z');
		setDoneAt('ana', 'pending', '2026-01-01T00:00:00.000Z');
		setDoneAt('bob', 'pending', '2026-03-01T00:00:00.000Z');
		expect(await exportedSets()).toEqual(['reviewed:gold:PER', 'pending:bob:LOC']);
	});
});
