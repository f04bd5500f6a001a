import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';
import { documents } from '../../src/lib/server/db/schema';
import { ensureUser } from '../../src/lib/server/db/users';
import { getDocument } from '../../src/lib/server/db/documents';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { DEFAULT_LABEL_SCHEMA, projectLabelFor } from '../../src/lib/domain/label-schema';
import { labelSchemaVersion, saveLabelSchema } from '../../src/lib/server/annotation/label-schema-settings';
import { saveAnnotations } from '../../src/lib/server/annotation/save-annotations';
import { loadAnnotatorSet } from '../../src/lib/server/annotation/load-annotations';
import { applyReviewDecision, loadReview } from '../../src/lib/server/review';

let temp: TempDatabase;
beforeEach(() => {
	temp = createTempDatabase();
});
afterEach(() => temp.close());

describe('saveLabelSchema', () => {
	it('refuses a rename to another label\'s former name until the admin moves that name on purpose', () => {
		const renamed = (schema: typeof DEFAULT_LABEL_SCHEMA, from: string, to: string) => ({ ...schema, entityLabels: schema.entityLabels.map((l) => (l.name === from ? { ...l, name: to } : l)) });
		expect(saveLabelSchema(temp.db, temp.project.id, renamed(DEFAULT_LABEL_SCHEMA, 'LOC', 'LIEU'), { renames: { LOC: 'LIEU' } })).toMatchObject({ ok: true, formerNamesTaken: [] });
		const lieu = ensureDefaultProject(temp.db).labelSchema;
		// Without a word, the model's LOC would go from LIEU to the former ORG: refused, nothing saved.
		const refused = saveLabelSchema(temp.db, temp.project.id, renamed(lieu, 'ORG', 'LOC'), { renames: { ORG: 'LOC' } });
		expect(refused).toMatchObject({ ok: false, formerNamesToConfirm: [{ name: 'LOC', formerlyOf: 'LIEU' }] });
		expect(!refused.ok && refused.details[0]).toMatch(/^LOC est l’ancien nom de LIEU : /);
		expect(ensureDefaultProject(temp.db).labelSchema).toEqual(lieu);
		expect(projectLabelFor(ensureDefaultProject(temp.db).labelSchema, 'LOC')).toBe('LIEU');
		// Moved on purpose: saved, said, and LOC is no longer LIEU's former name.
		const moved = saveLabelSchema(temp.db, temp.project.id, renamed(lieu, 'ORG', 'LOC'), { renames: { ORG: 'LOC' }, takeFormerNames: ['LOC'] });
		expect(moved).toMatchObject({ ok: true, formerNamesTaken: [{ name: 'LOC', formerlyOf: 'LIEU' }] });
		expect(ensureDefaultProject(temp.db).labelSchema.entityLabels.find((l) => l.name === 'LIEU')?.formerNames).toBeUndefined();
		expect(projectLabelFor(ensureDefaultProject(temp.db).labelSchema, 'LOC')).toBe('LOC');
	});

	it('refuses a save based on a version of the schema that someone else has replaced since', () => {
		const loaded = labelSchemaVersion(ensureDefaultProject(temp.db).labelSchema);
		const mine = { ...DEFAULT_LABEL_SCHEMA, stanceTargets: ['retraites'] };
		const theirs = { ...DEFAULT_LABEL_SCHEMA, stanceTargets: ['Otan'] };
		expect(saveLabelSchema(temp.db, temp.project.id, theirs, { basedOn: loaded })).toMatchObject({ ok: true });
		expect(saveLabelSchema(temp.db, temp.project.id, mine, { basedOn: loaded })).toMatchObject({ ok: false, conflict: true });
		expect(ensureDefaultProject(temp.db).labelSchema.stanceTargets).toEqual(['Otan']);
		// Started again from the current version, the save goes through.
		const current = labelSchemaVersion(ensureDefaultProject(temp.db).labelSchema);
		expect(saveLabelSchema(temp.db, temp.project.id, mine, { basedOn: current })).toMatchObject({ ok: true });
		expect(ensureDefaultProject(temp.db).labelSchema.stanceTargets).toEqual(['retraites']);
	});

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
		expect(!result.ok && result.details).toEqual(['étiquette 2, couleur : une couleur s’écrit #rrggbb', 'le raccourci 1 sert à deux étiquettes (PER et LOC)']);
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
		expect(result).toMatchObject({ ok: false, details: ['l’étiquette PER est utilisée par 1 entité(s) annotée(s) : gardez-la, ou renommez-la dans sa ligne'] });
	});

	it('renames a label everywhere it is used, and drops machine suggestions of a removed one', () => {
		const text = 'Sergueï Lavrov au Festival de Cannes.';
		const id = temp.db
			.insert(documents)
			.values({ projectId: temp.project.id, externalId: 'b', title: 'b', rawText: text, text, contentHash: 'b', cleaning: { rules: [], dropped: [] }, wordCount: 6, charCount: text.length })
			.returning()
			.get().id;
		const sqlite = temp.db.$client;
		const addSet = (owner: string, kind: string) => (sqlite.prepare(`INSERT INTO annotation_sets (document_id, owner, owner_kind, status) VALUES (?, ?, ?, 'done') RETURNING id`).get(id, owner, kind) as { id: number }).id;
		const span = (setId: number, start: number, end: number, label: string) =>
			sqlite.prepare(`INSERT INTO spans (set_id, layer, start, "end", label, attributes, origin, provenance) VALUES (?, 'entity', ?, ?, ?, '{}', 'human', 'x')`).run(setId, start, end, label);
		const human = addSet('ana', 'annotator');
		const model = addSet('model:m@1', 'model');
		span(human, 18, 36, 'MISC');
		span(model, 18, 36, 'MISC');
		span(model, 0, 14, 'PER');
		sqlite.prepare(`INSERT INTO suggestion_decisions (set_id, provenance, layer, label, decision) VALUES (?, 'model:m@1', 'entity', 'MISC', 'accepted')`).run(human);
		const surface = (sqlite.prepare(`INSERT INTO memory_surfaces (project_id, surface) VALUES (?, 'Festival de Cannes') RETURNING id`).get(temp.project.id) as { id: number }).id;
		sqlite.prepare(`INSERT INTO memory_labels (surface_id, label, count) VALUES (?, 'MISC', 2), (?, 'EVT', 1)`).run(surface, surface);
		// This document's own part of those counts (the rest came from elsewhere).
		sqlite.prepare(`INSERT INTO memory_document_labels (document_id, surface_id, label, count) VALUES (?, ?, 'MISC', 1), (?, ?, 'EVT', 1)`).run(id, surface, id, surface);
		const revisionBefore = (sqlite.prepare('SELECT revision FROM annotation_sets WHERE id = ?').get(human) as { revision: number }).revision;

		// MISC renamed EVT (its row's previous name is MISC): all its uses follow, in one save.
		const renamedSchema = { ...DEFAULT_LABEL_SCHEMA, entityLabels: DEFAULT_LABEL_SCHEMA.entityLabels.map((l) => (l.name === 'MISC' ? { ...l, name: 'EVT' } : l)) };
		expect(saveLabelSchema(temp.db, temp.project.id, renamedSchema, { renames: { MISC: 'EVT' } })).toMatchObject({ ok: true, renamed: 2, droppedSuggestions: 0 });
		expect(sqlite.prepare(`SELECT label FROM spans WHERE start = 18 ORDER BY set_id`).all()).toEqual([{ label: 'EVT' }, { label: 'EVT' }]);
		expect(sqlite.prepare(`SELECT label FROM suggestion_decisions`).all()).toEqual([{ label: 'EVT' }]);
		// The label remembers its former name: the model's MISC suggestions now arrive as EVT.
		expect(ensureDefaultProject(temp.db).labelSchema.entityLabels.find((l) => l.name === 'EVT')?.formerNames).toEqual(['MISC']);
		expect(sqlite.prepare(`SELECT label, count FROM memory_labels WHERE surface_id = ?`).all(surface)).toEqual([{ label: 'EVT', count: 3 }]);
		expect(sqlite.prepare(`SELECT document_id AS documentId, label, count FROM memory_document_labels`).all()).toEqual([{ documentId: id, label: 'EVT', count: 2 }]);
		expect((sqlite.prepare('SELECT revision FROM annotation_sets WHERE id = ?').get(human) as { revision: number }).revision).toBe(revisionBefore + 1);
		// A rename to a name missing from the schema is refused, and changes nothing.
		expect(saveLabelSchema(temp.db, temp.project.id, renamedSchema, { renames: { EVT: 'FOO' } })).toMatchObject({ ok: false, message: 'Renommage impossible.' });

		// PER removed: only the model suggests it, so its suggestions go and the schema is saved.
		const withoutPer = { ...renamedSchema, entityLabels: renamedSchema.entityLabels.filter((l) => l.name !== 'PER') };
		expect(saveLabelSchema(temp.db, temp.project.id, withoutPer)).toMatchObject({ ok: true, droppedSuggestions: 1 });
		// EVT removed: an annotator uses it, so nothing changes, the model's EVT suggestion included.
		const withoutEvt = { ...withoutPer, entityLabels: withoutPer.entityLabels.filter((l) => l.name !== 'EVT') };
		expect(saveLabelSchema(temp.db, temp.project.id, withoutEvt)).toMatchObject({ ok: false });
		expect(sqlite.prepare(`SELECT COUNT(*) AS n FROM spans WHERE label = 'EVT'`).get()).toEqual({ n: 2 });
		expect(ensureDefaultProject(temp.db).labelSchema.entityLabels.map((l) => l.name)).toEqual(['LOC', 'ORG', 'EVT']);
	});

	it('saves the work of a page opened before a rename under the new name, and refuses a removed label in French', () => {
		const text = 'Sergueï Lavrov à Vilnius, selon l’Otan.';
		const id = temp.db
			.insert(documents)
			.values({ projectId: temp.project.id, externalId: 'stale', title: 'stale', rawText: text, text, contentHash: 'stale', cleaning: { rules: [], dropped: [] }, wordCount: 6, charCount: text.length })
			.returning()
			.get().id;
		const sqlite = temp.db.$client;
		const model = (sqlite.prepare(`INSERT INTO annotation_sets (document_id, owner, owner_kind, status) VALUES (?, 'model:m@1', 'model', 'done') RETURNING id`).get(id) as { id: number }).id;
		sqlite.prepare(`INSERT INTO spans (set_id, layer, start, "end", label, attributes, origin, provenance, score) VALUES (?, 'entity', 17, 24, 'LOC', '{}', 'model', 'model:m@1', 0.9)`).run(model);
		const user = ensureUser(temp.db, 'ana');
		const entity = (start: number, end: number, label: string, origin: 'human' | 'model' = 'human') =>
			({ layer: 'entity', start, end, label, attributes: {}, origin, score: origin === 'model' ? 0.9 : null, provenance: origin === 'model' ? 'model:m@1' : 'human:ana', decision: origin === 'model' ? 'accepted' : null }) as const;
		// The annotator's page was opened under the default schema (LOC, ORG), then the admin renamed them.
		const renamed = { ...DEFAULT_LABEL_SCHEMA, entityLabels: DEFAULT_LABEL_SCHEMA.entityLabels.map((l) => ({ ...l, name: l.name === 'LOC' ? 'LIEU' : l.name === 'ORG' ? 'ORGANISATION' : l.name })) };
		expect(saveLabelSchema(temp.db, temp.project.id, renamed, { renames: { LOC: 'LIEU', ORG: 'ORGANISATION' } })).toMatchObject({ ok: true });
		const save = (baseRevision: number, saveId: string, operations: Parameters<typeof saveAnnotations>[1]['operations']) =>
			saveAnnotations(temp.db, { documentId: id, user, textLength: text.length, labelSchema: ensureDefaultProject(temp.db).labelSchema, baseRevision, saveId, operations });
		// The page still sends the old names: a new ORG, and the model's LOC suggestion accepted as it was shown.
		const saved = save(0, 'stale-page-1', [
			{ type: 'add', span: entity(35, 39, 'ORG') },
			{ type: 'accept', suggestion: { provenance: 'model:m@1', layer: 'entity', start: 17, end: 24, label: 'LOC' }, span: entity(17, 24, 'LOC', 'model') }
		]);
		expect(saved).toMatchObject({ outcome: 'saved', revision: 1 });
		expect(loadAnnotatorSet(temp.db, id, 'ana').snapshot.spans.map((s) => `${s.start}-${s.end}:${s.label}`)).toEqual(['17-24:LIEU', '35-39:ORGANISATION']);
		expect(sqlite.prepare(`SELECT label, decision FROM suggestion_decisions`).all()).toEqual([{ label: 'LIEU', decision: 'accepted' }]);
		// Removing the span it still shows as ORG goes through too.
		expect(save(1, 'stale-page-2', [{ type: 'remove', span: entity(35, 39, 'ORG') }])).toMatchObject({ outcome: 'saved', revision: 2 });
		// A label nobody renamed to anything is refused, saying what to do, in French.
		const refused = save(2, 'stale-page-3', [{ type: 'add', span: entity(0, 14, 'PERSONNE') }]);
		expect(refused).toMatchObject({ outcome: 'invalid', operationIndex: 0 });
		expect(refused.outcome === 'invalid' && refused.message).toBe(
			'ajout PERSONNE « Sergueï Lavrov » : l’étiquette PERSONNE n’est pas (ou plus) dans le schéma du projet (PER, LIEU, ORGANISATION, MISC) : rechargez la page pour prendre le schéma actuel'
		);
	});

	it('keeps rejections through a rename: an annotator\'s rejected suggestion and a candidate set aside on Relecture stay rejected', () => {
		const text = 'Sergueï Lavrov à Moscou.';
		const id = temp.db
			.insert(documents)
			.values({ projectId: temp.project.id, externalId: 'c', title: 'c', rawText: text, text, contentHash: 'c', cleaning: { rules: [], dropped: [] }, wordCount: 4, charCount: text.length })
			.returning()
			.get().id;
		const sqlite = temp.db.$client;
		const model = (sqlite.prepare(`INSERT INTO annotation_sets (document_id, owner, owner_kind, status) VALUES (?, 'model:m@1', 'model', 'done') RETURNING id`).get(id) as { id: number }).id;
		sqlite.prepare(`INSERT INTO spans (set_id, layer, start, "end", label, attributes, origin, provenance) VALUES (?, 'entity', 17, 23, 'LOC', '{}', 'model', 'model:m@1')`).run(model);
		const ana = ensureUser(temp.db, 'ana');
		const annotatorSave = (operations: Parameters<typeof saveAnnotations>[1]['operations'], saveId: string, baseRevision: number) =>
			saveAnnotations(temp.db, { documentId: id, user: ana, textLength: text.length, labelSchema: DEFAULT_LABEL_SCHEMA, baseRevision, saveId, operations });
		// Ana rejects the model's Moscou LOC and marks Moscou LOC herself, then finishes.
		annotatorSave([{ type: 'reject', suggestion: { provenance: 'model:m@1', layer: 'entity', start: 17, end: 23, label: 'LOC' } }], 'reject', 0);
		annotatorSave([{ type: 'add', span: { layer: 'entity', start: 17, end: 23, label: 'LOC', attributes: {}, origin: 'human', score: null, provenance: 'human:ana', decision: null } }], 'add', 1);
		// The reviewer sets her Moscou aside on Relecture.
		const candidate = loadReview(temp.db, id, text).candidates.find((c) => c.start === 17)!;
		const reviewer = ensureUser(temp.db, 'rita');
		expect(applyReviewDecision(temp.db, { documentId: id, user: reviewer, text, labelSchema: DEFAULT_LABEL_SCHEMA, baseRevision: 0, decision: { type: 'reject', key: candidate.key } }).outcome).toBe('saved');

		const goldRevision = () => (sqlite.prepare(`SELECT revision FROM annotation_sets WHERE document_id = ? AND owner = 'gold'`).get(id) as { revision: number }).revision;
		const goldBefore = goldRevision();
		const renamed = { ...DEFAULT_LABEL_SCHEMA, entityLabels: DEFAULT_LABEL_SCHEMA.entityLabels.map((l) => (l.name === 'LOC' ? { ...l, name: 'LIEU' } : l)) };
		expect(saveLabelSchema(temp.db, temp.project.id, renamed, { renames: { LOC: 'LIEU' } })).toMatchObject({ ok: true });
		// The gold set has no LOC span, only a set-aside under LOC: a new revision all the same, so an open page reloads.
		expect(goldRevision()).toBe(goldBefore + 1);
		expect(loadAnnotatorSet(temp.db, id, 'ana').snapshot.rejected).toEqual(['model:m@1|entity:17-23|LIEU']);
		expect(loadReview(temp.db, id, text).candidates.find((c) => c.start === 17)).toMatchObject({ key: 'entity:17-23:LIEU', decision: 'rejected' });
	});
});
