// Storage rules of pre-annotation: one model set per document, replaced on re-run; other models'
// and older revisions' sets retired (deleted) without touching what annotators did with them;
// annotator, gold and rule sets untouched.
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getOrCreateSet, replaceSetContent } from '../../src/lib/server/db/annotation-sets';
import { annotationSets, spans } from '../../src/lib/server/db/schema';
import { disposeNerModels, getNerModel, type NerModel } from '../../src/lib/server/ner/model';
import {
	createNerStep,
	defaultSteps,
	listPendingDocuments,
	preannotateCorpus,
	preannotateDocument,
	type PreannotationStep
} from '../../src/lib/server/preannotate';
import { createTempDatabase, insertTestDocument, type TempDatabase } from '../helpers/temp-db';
import { ensureDefaultProject, updateLabelSchema } from '../../src/lib/server/db/projects';
import { saveLabelSchema } from '../../src/lib/server/annotation/label-schema-settings';
import { QUOTE_RULES_OWNER } from '../../src/lib/server/quotes';
import { suggestPlaces } from '../../src/lib/server/gazetteer';
import { ensureUser } from '../../src/lib/server/db/users';
import { loadAnnotatorSet, loadSuggestions } from '../../src/lib/server/annotation/load-annotations';
import { saveAnnotations } from '../../src/lib/server/annotation/save-annotations';
import { summariseDecisions } from '../../src/lib/server/db/suggestion-decisions';
import { acceptOperation, type Operation } from '../../src/lib/domain/editing/operations';
import { fromSnapshot } from '../../src/lib/domain/editing/state';
import { visibleSuggestions } from '../../src/lib/domain/editing/suggestions';
import { codePointLength } from '../../src/lib/domain/offsets';

const MODELS_DIR = path.resolve('test/fixtures/models');
let temp: TempDatabase;
let model: NerModel;

const TEXT = 'Selon l’Otan, M. Sergueï Lavrov a déclaré à Moscou qu’il irait à Paris.';

function addDocument(text: string, externalId: string): number {
	return insertTestDocument(temp, externalId, text);
}

function setsOf(documentId: number) {
	return temp.db
		.select({ owner: annotationSets.owner, id: annotationSets.id, revision: annotationSets.revision })
		.from(annotationSets)
		.where(eq(annotationSets.documentId, documentId))
		.all()
		.sort((a, b) => a.owner.localeCompare(b.owner));
}

function spansOf(setId: number) {
	return temp.db.select().from(spans).where(eq(spans.setId, setId)).all();
}

beforeEach(async () => {
	temp = createTempDatabase();
	model = await getNerModel({ name: 'bert-wordpiece-cased', modelsDir: MODELS_DIR, dtype: 'q8', threads: 1, allowRemote: false, labelMap: {} });
});
afterEach(() => temp.close());
afterAll(() => disposeNerModels());

describe('preannotateDocument', () => {
	it('stores model suggestions with origin, score and provenance in model:<id>@<revision>', async () => {
		const id = addDocument(TEXT, 'a');
		const result = await preannotateDocument(temp.db, id, { steps: [createNerStep(model, temp.project)] });
		expect(result.sets).toEqual([{ owner: model.owner, setId: expect.any(Number), spans: 4 }]);
		const stored = spansOf(result.sets[0].setId).sort((a, b) => a.start - b.start);
		expect(stored.map((s) => [TEXT.slice(s.start, s.end), s.label])).toEqual([
			['Otan', 'ORG'],
			// The fixture tags each name word B-PER; touching entities of one label are one.
			['Sergueï Lavrov', 'PER'],
			['Moscou', 'LOC'],
			['Paris', 'LOC']
		]);
		for (const span of stored) {
			expect(span).toMatchObject({ layer: 'entity', origin: 'model', provenance: model.owner });
			expect(span.score).toBeGreaterThan(0.5);
		}
		const set = temp.db.select().from(annotationSets).where(eq(annotationSets.id, result.sets[0].setId)).get()!;
		expect(set).toMatchObject({ ownerKind: 'model', status: 'done', revision: 1 });
	});

	it('follows the project’s convention for person titles (label schema personTitles)', async () => {
		const id = addDocument(TEXT, 'a');
		const project = updateLabelSchema(temp.db, temp.project.id, { ...temp.project.labelSchema, personTitles: 'include' });
		const result = await preannotateDocument(temp.db, id, { steps: [createNerStep(model, project)] });
		const persons = spansOf(result.sets[0].setId)
			.filter((s) => s.label === 'PER')
			.sort((a, b) => a.start - b.start)
			.map((s) => TEXT.slice(s.start, s.end));
		expect(persons).toEqual(['M. Sergueï Lavrov']);
	});

	it('re-running replaces only this model’s set; annotator, gold and rule sets are untouched', async () => {
		const id = addDocument(TEXT, 'a');
		const human = getOrCreateSet(temp.db, id, 'alice');
		replaceSetContent(temp.db, human.id, [{ layer: 'entity', start: 6, end: 12, label: 'ORG', origin: 'human', provenance: 'human:alice' }]);
		const gold = getOrCreateSet(temp.db, id, 'gold');
		replaceSetContent(temp.db, gold.id, [{ layer: 'entity', start: 14, end: 30, label: 'PER', origin: 'human', provenance: 'human:bob' }]);
		const rules = getOrCreateSet(temp.db, id, 'rules:quotes@1');
		replaceSetContent(temp.db, rules.id, [{ layer: 'quote', start: 0, end: 10, label: 'QUOTE', origin: 'rules', provenance: 'rules:quotes@1' }]);
		const before = { human: spansOf(human.id), gold: spansOf(gold.id), rules: spansOf(rules.id), sets: setsOf(id) };

		const steps = [createNerStep(model, temp.project)];
		const first = await preannotateDocument(temp.db, id, { steps });
		const second = await preannotateDocument(temp.db, id, { steps });
		expect(second.sets[0].setId).toBe(first.sets[0].setId);
		expect(spansOf(second.sets[0].setId)).toHaveLength(4);
		const after = setsOf(id);
		expect(after.map((s) => s.owner)).toEqual(['alice', 'gold', model.owner, 'rules:quotes@1'].sort());
		expect(after.find((s) => s.owner === model.owner)!.revision).toBe(2);
		expect(spansOf(human.id)).toEqual(before.human);
		expect(spansOf(gold.id)).toEqual(before.gold);
		expect(spansOf(rules.id)).toEqual(before.rules);
		for (const owner of ['alice', 'gold', 'rules:quotes@1']) {
			expect(after.find((s) => s.owner === owner)).toEqual(before.sets.find((s) => s.owner === owner));
		}
	});

	it('a new revision of the same model, or another model, replaces the older set', async () => {
		const id = addDocument(TEXT, 'a');
		const old = getOrCreateSet(temp.db, id, `model:${model.id}@000000000000`);
		replaceSetContent(temp.db, old.id, [{ layer: 'entity', start: 0, end: 5, label: 'PER', origin: 'model', provenance: `model:${model.id}@000000000000` }]);
		const other = getOrCreateSet(temp.db, id, `model:${model.id}-large@111111111111`);
		await preannotateDocument(temp.db, id, { steps: [createNerStep(model, temp.project)] });
		expect(setsOf(id).map((s) => s.owner)).toEqual([model.owner]);
		expect(spansOf(old.id)).toEqual([]);
		expect(spansOf(other.id)).toEqual([]);
	});

	it('refuses a step that would write to a human set', async () => {
		const id = addDocument(TEXT, 'a');
		const rogue: PreannotationStep = { name: 'rogue', owner: 'alice', supersedes: () => false, run: () => ({ spans: [] }) };
		await expect(preannotateDocument(temp.db, id, { steps: [rogue] })).rejects.toThrow(/not a machine owner/);
		expect(setsOf(id)).toEqual([]);
	});

	it('later steps see the NER suggestions; every step’s set is written in one go', async () => {
		const id = addDocument(TEXT, 'a');
		let seen: unknown[] = [];
		const follower: PreannotationStep = {
			name: 'after-ner',
			owner: 'rules:test@1',
			supersedes: () => false,
			run: ({ results, document }) => {
				seen = results.get('ner')!.spans;
				return { spans: [{ layer: 'cue', start: 0, end: 5, label: 'CUE', origin: 'rules', provenance: 'rules:test@1' }], details: { length: document.text.length } };
			}
		};
		const result = await preannotateDocument(temp.db, id, { steps: [createNerStep(model, temp.project), follower] });
		expect(seen).toHaveLength(4);
		expect(result.sets.map((s) => s.owner)).toEqual([model.owner, 'rules:test@1']);
	});
});

describe('pre-annotating with another model (a promoted retrained one)', () => {
	it('retires the old model’s suggestions; the annotator’s spans, rejections and figures and the gold set stay', async () => {
		const id = addDocument(TEXT, 'a');
		const modelB = await getNerModel({ name: 'bert-wordpiece-uncased', modelsDir: MODELS_DIR, dtype: 'q8', threads: 1, allowRemote: false, labelMap: {} });
		expect(modelB.owner).not.toBe(model.owner);
		await preannotateDocument(temp.db, id, { steps: [createNerStep(model, temp.project)] });
		const fromA = loadSuggestions(temp.db, id);
		expect(fromA.length).toBeGreaterThanOrEqual(2);
		expect(new Set(fromA.map((s) => s.provenance))).toEqual(new Set([model.owner]));

		const ana = ensureUser(temp.db, 'ana');
		let revision = 0;
		const save = (operations: Operation[]) => {
			const result = saveAnnotations(temp.db, {
				documentId: id,
				user: ana,
				textLength: codePointLength(TEXT),
				labelSchema: temp.project.labelSchema,
				baseRevision: revision,
				operations,
				saveId: `save-${revision}-abcdef`
			});
			expect(result.outcome).toBe('saved');
			revision++;
		};
		const [accepted, rejected] = fromA;
		save([acceptOperation(accepted), { type: 'reject', suggestion: rejected }]);
		const gold = getOrCreateSet(temp.db, id, 'gold');
		replaceSetContent(temp.db, gold.id, [{ layer: 'entity', start: accepted.start, end: accepted.end, label: accepted.label, origin: 'model', provenance: model.owner }]);
		const annotator = () => loadAnnotatorSet(temp.db, id, 'ana');
		const audit = () => temp.db.$client.prepare('SELECT set_id, action, detail, revision FROM audit_events ORDER BY id').all();
		const before = { ana: annotator(), gold: spansOf(gold.id), figures: summariseDecisions(temp.db, temp.project.id), audit: audit() };
		expect(before.ana.snapshot.spans).toMatchObject([{ start: accepted.start, end: accepted.end, provenance: model.owner, decision: 'accepted' }]);
		expect(before.ana.snapshot.rejected).toHaveLength(1);

		await preannotateDocument(temp.db, id, { steps: [createNerStep(modelB, temp.project)] });

		expect(annotator()).toEqual(before.ana);
		expect(spansOf(gold.id)).toEqual(before.gold);
		expect(summariseDecisions(temp.db, temp.project.id)).toEqual(before.figures);
		expect(audit()).toEqual(before.audit);
		expect(setsOf(id).map((s) => s.owner)).toEqual(['ana', 'gold', modelB.owner].sort());
		// What the workspace offers: B's suggestions, none of A's.
		const offered = visibleSuggestions(fromSnapshot(annotator().snapshot), loadSuggestions(temp.db, id));
		expect(offered.length).toBeGreaterThan(0);
		expect(new Set(offered.map((s) => s.provenance))).toEqual(new Set([modelB.owner]));
	});
});

describe('a suggestion rejected from the model a document was pre-annotated with', () => {
	it('is not offered again when another model proposes the same span and label; another label at that range is', async () => {
		const id = addDocument(TEXT, 'a');
		await preannotateDocument(temp.db, id, { steps: [createNerStep(model, temp.project)] });
		const text = (s: { start: number; end: number; label: string }) => `${TEXT.slice(s.start, s.end)} ${s.label}`;
		const fromA = loadSuggestions(temp.db, id);
		const otan = fromA.find((s) => text(s) === 'Otan ORG')!;
		const moscou = fromA.find((s) => text(s) === 'Moscou LOC')!;
		const ana = ensureUser(temp.db, 'ana');
		const result = saveAnnotations(temp.db, {
			documentId: id,
			user: ana,
			textLength: codePointLength(TEXT),
			labelSchema: temp.project.labelSchema,
			baseRevision: 0,
			operations: [
				{ type: 'reject', suggestion: otan },
				{ type: 'reject', suggestion: moscou }
			],
			saveId: 'save-0-abcdef'
		});
		expect(result.outcome).toBe('saved');

		// Model B (another model, as model:train promotes) proposes the same spans, places as organisations.
		const modelB = await getNerModel({ name: 'bert-wordpiece-uncased', modelsDir: MODELS_DIR, dtype: 'q8', threads: 1, allowRemote: false, labelMap: { LOC: 'ORG' } });
		expect(modelB.owner).not.toBe(model.owner);
		await preannotateDocument(temp.db, id, { steps: [createNerStep(modelB, temp.project)] });
		const fromB = loadSuggestions(temp.db, id);
		expect(new Set(fromB.map((s) => s.provenance))).toEqual(new Set([modelB.owner]));
		expect(fromB.map(text)).toContain('Otan ORG');
		expect(fromB.map(text)).toContain('Moscou ORG');

		const offered = visibleSuggestions(fromSnapshot(loadAnnotatorSet(temp.db, id, 'ana').snapshot), fromB).map(text);
		expect(offered).not.toContain('Otan ORG');
		expect(offered).toContain('Moscou ORG');
		expect(offered).toContain('Paris ORG');
	});
});

describe('a label renamed on the settings page', () => {
	it('receives the model’s, the quote rules’ and the gazetteer’s suggestions under its new name', async () => {
		const renamed = (from: string, to: string) => ({ ...temp.project.labelSchema, entityLabels: temp.project.labelSchema.entityLabels.map((l) => (l.name === from ? { ...l, name: to } : l)) });
		expect(saveLabelSchema(temp.db, temp.project.id, renamed('PER', 'PERS'), { renames: { PER: 'PERS' } })).toMatchObject({ ok: true });
		const project = ensureDefaultProject(temp.db);
		expect(saveLabelSchema(temp.db, temp.project.id, { ...project.labelSchema, entityLabels: project.labelSchema.entityLabels.map((l) => (l.name === 'LOC' ? { ...l, name: 'LIEU' } : l)) }, { renames: { LOC: 'LIEU' } })).toMatchObject({ ok: true });
		const text = '«\u00a0Nous n’irons jamais à Kiev, ni demain ni plus tard\u00a0», a déclaré M. Sergueï Lavrov, mercredi à Moscou.';
		const id = addDocument(text, 'r');
		const result = await preannotateDocument(temp.db, id, { model });
		const labelled = (owner: string) =>
			spansOf(result.sets.find((set) => set.owner === owner)!.setId)
				.filter((s) => s.layer === 'entity')
				.map((s) => `${text.slice(s.start, s.end)} ${s.label}`)
				.sort();
		expect(labelled(model.owner)).toEqual(['Kiev LIEU', 'Moscou LIEU', 'Sergueï Lavrov PERS']);
		// The quote rules link the speaker to the person entity, under its new name.
		expect(labelled(QUOTE_RULES_OWNER)).toEqual(['Sergueï Lavrov PERS']);
		// The gazetteer, on a document the model has not seen, suggests places under the new name.
		const unseen = addDocument('La Russie et la Bretagne.', 's');
		suggestPlaces(temp.db, unseen);
		const places = spansOf(setsOf(unseen).find((set) => set.owner === 'rules:gazetteer@1')!.id).map((s) => s.label);
		expect(places).toEqual(['LIEU', 'LIEU']);
	});
});

describe('default steps', () => {
	it('run NER, the quote rules, the gazetteer and the memory, each into its own set', async () => {
		const text = '«\u00a0Nous n’irons jamais à Kiev, ni demain ni plus tard\u00a0», a déclaré M. Sergueï Lavrov, mercredi à Moscou.';
		const id = addDocument(text, 'q');
		expect((await defaultSteps(temp.project, { model })).map((step) => step.name)).toEqual(['ner', 'quotes', 'gazetteer']);
		expect((await defaultSteps(temp.project, { model, db: temp.db })).map((step) => step.name)).toEqual(['ner', 'quotes', 'gazetteer', 'memory']);
		const result = await preannotateDocument(temp.db, id, { model });
		const owners = [model.owner, QUOTE_RULES_OWNER, 'rules:gazetteer@1', 'memory:default'];
		expect(result.sets.map((set) => set.owner)).toEqual(owners);
		expect(result.sets[1].spans).toBeGreaterThan(0);
		expect(setsOf(id).map((set) => set.owner).sort()).toEqual([...owners].sort());
	});
});

describe('preannotateCorpus', () => {
	it('only-new continues where a stopped run left off; all redoes everything', async () => {
		const ids = ['un', 'deux', 'trois', 'quatre'].map((name, i) => addDocument(`${TEXT} Document ${name} ${i}.`, name));
		const step = createNerStep(model, temp.project);
		let calls = 0;
		const stopped = await preannotateCorpus(temp.db, temp.project, { steps: [step], shouldStop: () => calls++ >= 2 });
		expect(stopped).toMatchObject({ done: 2, total: 4, stopped: true, failed: 0 });
		expect(listPendingDocuments(temp.db, temp.project.id, [model.owner], 'only-new')).toEqual(ids.slice(2));
		const rest = await preannotateCorpus(temp.db, temp.project, { steps: [step] });
		expect(rest).toMatchObject({ done: 2, total: 2, stopped: false, spans: 8 });
		expect(listPendingDocuments(temp.db, temp.project.id, [model.owner], 'only-new')).toEqual([]);
		const progress: number[] = [];
		const all = await preannotateCorpus(temp.db, temp.project, { steps: [step], mode: 'all', limit: 3, onProgress: (p) => progress.push(p.done) });
		expect(all).toMatchObject({ done: 3, total: 3 });
		expect(progress).toEqual([0, 1, 2, 3]);
		// Still one model set per document.
		for (const id of ids) expect(setsOf(id).map((s) => s.owner)).toEqual([model.owner]);
	});

	it('a document that fails is reported and the run goes on', async () => {
		addDocument(TEXT, 'a');
		addDocument(TEXT + ' bis', 'b');
		let n = 0;
		const flaky: PreannotationStep = {
			name: 'flaky',
			owner: 'rules:flaky@1',
			supersedes: () => false,
			run: () => {
				if (n++ === 0) throw new Error('boom');
				return { spans: [] };
			}
		};
		const summary = await preannotateCorpus(temp.db, temp.project, { steps: [flaky] });
		expect(summary).toMatchObject({ done: 2, failed: 1, problems: [{ message: 'boom' }] });
		expect(listPendingDocuments(temp.db, temp.project.id, ['rules:flaky@1'], 'only-new')).toHaveLength(1);
	});
});
