import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';
import { documents } from '../../src/lib/server/db/schema';
import { ensureUser } from '../../src/lib/server/db/users';
import { getDocument } from '../../src/lib/server/db/documents';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { DEFAULT_LABEL_SCHEMA } from '../../src/lib/domain/label-schema';
import { saveLabelSchema } from '../../src/lib/server/annotation/label-schema-settings';
import { saveAnnotations } from '../../src/lib/server/annotation/save-annotations';

let temp: TempDatabase;
beforeEach(() => {
	temp = createTempDatabase();
});
afterEach(() => temp.close());

describe('saveLabelSchema', () => {
	it('saves a valid schema on the project', () => {
		const schema = { ...DEFAULT_LABEL_SCHEMA, entityLabels: [...DEFAULT_LABEL_SCHEMA.entityLabels, { name: 'EVENT', description: 'Événement', colour: '#0f766e', hotkey: '5' }], stanceTargets: ['réforme des retraites'] };
		expect(saveLabelSchema(temp.db, temp.project.id, schema)).toMatchObject({ ok: true });
		expect(ensureDefaultProject(temp.db).labelSchema.entityLabels.map((l) => l.name)).toContain('EVENT');
	});

	it('keeps the person-title convention, refuses an unknown one, and reads older schemas as "exclude"', () => {
		expect(temp.project.labelSchema.personTitles).toBe('exclude');
		expect(saveLabelSchema(temp.db, temp.project.id, { ...DEFAULT_LABEL_SCHEMA, personTitles: 'include' })).toMatchObject({ ok: true });
		expect(ensureDefaultProject(temp.db).labelSchema.personTitles).toBe('include');
		const refused = saveLabelSchema(temp.db, temp.project.id, { ...DEFAULT_LABEL_SCHEMA, personTitles: 'sometimes' });
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.details.join(' ')).toMatch(/^titres de personne : /);
		// A schema stored before the field existed.
		const { personTitles: _, ...older } = DEFAULT_LABEL_SCHEMA;
		temp.db.$client.prepare('UPDATE projects SET label_schema = ? WHERE id = ?').run(JSON.stringify(older), temp.project.id);
		expect(ensureDefaultProject(temp.db).labelSchema.personTitles).toBe('exclude');
	});

	it('refuses duplicate hotkeys and bad colours with readable details', () => {
		const result = saveLabelSchema(temp.db, temp.project.id, {
			...DEFAULT_LABEL_SCHEMA,
			entityLabels: [DEFAULT_LABEL_SCHEMA.entityLabels[0], { ...DEFAULT_LABEL_SCHEMA.entityLabels[1], hotkey: '1', colour: 'green' }]
		});
		expect(result.ok).toBe(false);
		expect(!result.ok && result.details).toEqual(['étiquette 2, couleur : une couleur s’écrit #rrggbb', 'le raccourci 1 sert à deux étiquettes']);
	});

	it('refuses to drop a label still used by annotations', () => {
		const text = 'Sergueï Lavrov parle.';
		const id = temp.db
			.insert(documents)
			.values({ projectId: temp.project.id, externalId: 'a', title: 'a', rawText: text, text, contentHash: 'a', cleaning: { rules: [], dropped: [] }, wordCount: 3, charCount: text.length })
			.returning()
			.get().id;
		const user = ensureUser(temp.db, 'ana');
		saveAnnotations(temp.db, {
			documentId: id,
			user,
			textLength: getDocument(temp.db, temp.project.id, id)!.charCount,
			labelSchema: DEFAULT_LABEL_SCHEMA,
			baseRevision: 0,
			saveId: 'label-schema-test',
			operations: [{ type: 'add', span: { layer: 'entity', start: 0, end: 14, label: 'PER', attributes: {}, origin: 'human', score: null, provenance: 'human:ana', decision: null } }]
		});
		const result = saveLabelSchema(temp.db, temp.project.id, { ...DEFAULT_LABEL_SCHEMA, entityLabels: DEFAULT_LABEL_SCHEMA.entityLabels.slice(1) });
		expect(result).toMatchObject({ ok: false, details: ['l’étiquette PER est utilisée par 1 entité(s)'] });
	});
});
