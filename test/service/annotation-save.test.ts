import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, insertTestDocument, type TempDatabase } from '../helpers/temp-db';
import { getOrCreateSet, replaceSetContent } from '../../src/lib/server/db/annotation-sets';
import { ensureUser, type User } from '../../src/lib/server/db/users';
import { DEFAULT_LABEL_SCHEMA } from '../../src/lib/domain/label-schema';
import { codePointLength } from '../../src/lib/domain/offsets';
import { acceptOperation, applyOperations, invertOperation, linkOperation, updateSpanOperation, type Operation } from '../../src/lib/domain/editing/operations';
import { fromSnapshot, type EditSpan } from '../../src/lib/domain/editing/state';
import { findNextDocumentId, loadAnnotatorSet, loadSuggestions } from '../../src/lib/server/annotation/load-annotations';
import { saveAnnotations, type SaveInput } from '../../src/lib/server/annotation/save-annotations';
import { summariseDecisions } from '../../src/lib/server/db/suggestion-decisions';

const TEXT = '« Nous ne céderons pas », a déclaré Sergueï Lavrov à Moscou.';

let temp: TempDatabase;
let ana: User;
let bob: User;
let documentId: number;

function insertDocument(externalId: string, text = TEXT): number {
	return insertTestDocument(temp, externalId, text);
}

function entity(start: number, end: number, label = 'PER'): EditSpan {
	return { layer: 'entity', start, end, label, attributes: {}, origin: 'human', score: null, provenance: 'human:ana', decision: null };
}

let saveCounter = 0;
function save(user: User, baseRevision: number, operations: Operation[]): ReturnType<typeof saveAnnotations> {
	const input: SaveInput = {
		documentId,
		user,
		textLength: codePointLength(TEXT),
		labelSchema: DEFAULT_LABEL_SCHEMA,
		baseRevision,
		operations,
		saveId: `save-${++saveCounter}-abcdef`
	};
	return saveAnnotations(temp.db, input);
}

const lavrov = () => entity(TEXT.indexOf('Sergueï'), TEXT.indexOf(' à Moscou'));
const quote = (): EditSpan => ({ ...entity(0, TEXT.indexOf(',')), layer: 'quote', label: 'QUOTE', attributes: { kind: 'direct' } });

beforeEach(() => {
	temp = createTempDatabase();
	ana = ensureUser(temp.db, 'ana');
	bob = ensureUser(temp.db, 'bob');
	documentId = insertDocument('doc-1');
});
afterEach(() => temp.close());

describe('saveAnnotations', () => {
	it('creates the set, writes spans and links, bumps the revision and starts the set', () => {
		const result = save(ana, 0, [
			{ type: 'add', span: lavrov() },
			{ type: 'add', span: quote() },
			linkOperation(fromSnapshot({ spans: [lavrov(), quote()], links: [], rejected: [], status: 'todo' }), 'speaker', 'quote:0-24', { to: `entity:${lavrov().start}-${lavrov().end}` })
		]);
		expect(result).toMatchObject({ outcome: 'saved', revision: 1, status: 'in_progress' });
		const view = loadAnnotatorSet(temp.db, documentId, 'ana');
		expect(view.revision).toBe(1);
		expect(view.snapshot.spans.map((s) => `${s.layer}:${s.start}-${s.end}`)).toEqual(['quote:0-24', `entity:${lavrov().start}-${lavrov().end}`]);
		expect(view.snapshot.links).toEqual([{ kind: 'speaker', from: 'quote:0-24', to: `entity:${lavrov().start}-${lavrov().end}`, toName: null }]);
		const events = temp.db.$client.prepare('SELECT action, revision, user_id AS userId FROM audit_events ORDER BY id').all();
		expect(events).toEqual([
			{ action: 'add', revision: 1, userId: ana.id },
			{ action: 'add', revision: 1, userId: ana.id },
			{ action: 'link', revision: 1, userId: ana.id }
		]);
	});

	it('refuses an entity overlapping another and writes nothing', () => {
		save(ana, 0, [{ type: 'add', span: lavrov() }]);
		const result = save(ana, 1, [{ type: 'add', span: entity(lavrov().start + 3, lavrov().end + 4) }]);
		expect(result).toMatchObject({ outcome: 'invalid', revision: 1, operationIndex: 0 });
		expect(result.outcome === 'invalid' && result.message).toMatch(/chevauchent/);
		expect(loadAnnotatorSet(temp.db, documentId, 'ana').revision).toBe(1);
	});

	it('names the spans of a refused operation by their words, not their offsets', () => {
		save(ana, 0, [{ type: 'add', span: lavrov() }]);
		const overlapping = save(ana, 1, [{ type: 'add', span: entity(lavrov().start + 8, lavrov().end + 2) }]);
		expect(overlapping.outcome === 'invalid' && overlapping.message).toBe('ajout PER « Lavrov à » : les entités ne se chevauchent pas : « Lavrov à » recouvre PER « Sergueï Lavrov »');
		// Another tab made Lavrov a place; this one still removes the person.
		save(ana, 1, [updateSpanOperation(fromSnapshot(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot), `entity:${lavrov().start}-${lavrov().end}`, { label: 'LOC' })]);
		const stale = save(ana, 2, [{ type: 'remove', span: lavrov() }]);
		expect(stale.outcome === 'invalid' && stale.message).toBe('suppression PER « Sergueï Lavrov » : l’annotation LOC « Sergueï Lavrov » a été modifiée entre-temps');
		// A span outside the text, which has no words, is named by its offsets.
		const outside = save(ana, 2, [{ type: 'add', span: entity(50, 500) }]);
		expect(outside.outcome === 'invalid' && outside.message).toMatch(/^ajout PER « 50–500, hors du texte » : /u);
	});

	it('refuses spans outside the text and unknown labels', () => {
		expect(save(ana, 0, [{ type: 'add', span: entity(50, 500) }]).outcome).toBe('invalid');
		expect(save(ana, 0, [{ type: 'add', span: entity(0, 3, 'NOPE') }]).outcome).toBe('invalid');
	});

	it('refuses an entity across a paragraph break, naming its words, and takes a quote across one', () => {
		const text = 'Le groupe Gauche démocratique.\n\nLe ministre a dit : « Non.\n\nJamais. »';
		documentId = insertDocument('two-paragraphs', text);
		const input = (operations: Operation[], baseRevision = 0): SaveInput => ({ documentId, user: ana, textLength: codePointLength(text), labelSchema: DEFAULT_LABEL_SCHEMA, baseRevision, operations, saveId: `save-${++saveCounter}-abcdef` });
		const across = entity(text.indexOf('Gauche'), text.indexOf(' ministre'), 'ORG');
		const refused = saveAnnotations(temp.db, input([{ type: 'add', span: across }]));
		expect(refused).toMatchObject({ outcome: 'invalid', operationIndex: 0 });
		expect(refused.outcome === 'invalid' && refused.message).toBe('ajout ORG « Gauche démocratique. Le » : l’entité ORG « Gauche démocratique. Le » passe d’un paragraphe à l’autre : seule une citation peut en couvrir plusieurs');
		const mention: EditSpan = { ...across, layer: 'mention', label: 'MENTION' };
		expect(saveAnnotations(temp.db, input([{ type: 'add', span: mention }]))).toMatchObject({ outcome: 'invalid' });
		expect(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot.spans).toEqual([]);
		const longQuote: EditSpan = { ...entity(text.indexOf('«'), text.length), layer: 'quote', label: 'QUOTE', attributes: { kind: 'direct' } };
		expect(saveAnnotations(temp.db, input([{ type: 'add', span: longQuote }]))).toMatchObject({ outcome: 'saved', revision: 1 });
	});

	it('refuses a quote kind or a stance polarity the project schema does not list, and writes nothing', () => {
		const refusedQuote = save(ana, 0, [{ type: 'add', span: { ...quote(), attributes: { kind: 'imaginaire' } } }]);
		expect(refusedQuote).toMatchObject({ outcome: 'invalid', operationIndex: 0 });
		expect(refusedQuote.outcome === 'invalid' && refusedQuote.message).toMatch(/le type de citation « imaginaire » n’est pas \(ou plus\) dans le schéma du projet \(direct, indirect\)/);
		const stance: EditSpan = { ...lavrov(), layer: 'stance', label: 'STANCE', attributes: { polarity: 'furieux' } };
		expect(save(ana, 0, [{ type: 'add', span: stance }])).toMatchObject({ outcome: 'invalid' });
		expect(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot.spans).toEqual([]);
		expect(save(ana, 0, [{ type: 'add', span: { ...stance, attributes: { polarity: 'against' } } }])).toMatchObject({ outcome: 'saved', revision: 1 });
	});

	it('two writers on one revision: the first wins, the second gets a conflict and the current state', () => {
		// Same annotator in two tabs: both start from revision 0.
		const first = save(ana, 0, [{ type: 'add', span: lavrov() }]);
		const second = save(ana, 0, [{ type: 'add', span: entity(TEXT.indexOf('Moscou'), TEXT.indexOf('Moscou') + 6, 'LOC') }]);
		expect(first.outcome).toBe('saved');
		expect(second.outcome).toBe('conflict');
		if (second.outcome !== 'conflict') return;
		// The loser replays its operations on the fresh state, and nothing is lost.
		const replay: Operation[] = [{ type: 'add', span: entity(TEXT.indexOf('Moscou'), TEXT.indexOf('Moscou') + 6, 'LOC') }];
		applyOperations(fromSnapshot(second.snapshot), replay, { textLength: TEXT.length, paragraphBreaks: [], entityLabels: ['PER', 'LOC', 'ORG', 'MISC'] });
		expect(save(ana, second.revision, replay).outcome).toBe('saved');
		expect(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot.spans.map((s) => s.label).sort()).toEqual(['LOC', 'PER']);
	});

	it('keeps each annotator in their own set', () => {
		save(ana, 0, [{ type: 'add', span: lavrov() }]);
		expect(save(bob, 0, [{ type: 'add', span: entity(0, 1, 'MISC') }]).outcome).toBe('saved');
		expect(loadAnnotatorSet(temp.db, documentId, 'bob').snapshot.spans).toHaveLength(1);
		expect(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot.spans[0].label).toBe('PER');
	});

	it('recognises a retried save that already went through', () => {
		const input = { documentId, user: ana, textLength: TEXT.length, labelSchema: DEFAULT_LABEL_SCHEMA, baseRevision: 0, saveId: 'same-save-id', operations: [{ type: 'add', span: lavrov() }] as Operation[] };
		expect(saveAnnotations(temp.db, input)).toMatchObject({ outcome: 'saved', revision: 1, duplicate: false });
		expect(saveAnnotations(temp.db, input)).toMatchObject({ outcome: 'saved', revision: 1, duplicate: true });
		expect(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot.spans).toHaveLength(1);
	});

	it('records accepted, edited and rejected suggestions, and rejections persist', () => {
		const machine = getOrCreateSet(temp.db, documentId, 'model:test@abc');
		const start = TEXT.indexOf('Sergueï');
		replaceSetContent(temp.db, machine.id, [
			{ layer: 'entity', start, end: start + 14, label: 'PER', origin: 'model', score: 0.93, provenance: 'model:test@abc' },
			{ layer: 'entity', start: TEXT.indexOf('Moscou'), end: TEXT.indexOf('Moscou') + 6, label: 'ORG', origin: 'model', score: 0.4, provenance: 'model:test@abc' },
			{ layer: 'entity', start: 2, end: 6, label: 'MISC', origin: 'model', score: 0.2, provenance: 'model:test@abc' }
		]);
		const suggestions = loadSuggestions(temp.db, documentId);
		const [per, org, misc] = ['PER', 'ORG', 'MISC'].map((label) => suggestions.find((s) => s.label === label)!);
		expect(per).toMatchObject({ provenance: 'model:test@abc', score: 0.93 });
		const result = save(ana, 0, [acceptOperation(per), acceptOperation(org, 'LOC'), { type: 'reject', suggestion: misc }]);
		expect(result.outcome).toBe('saved');
		const view = loadAnnotatorSet(temp.db, documentId, 'ana');
		expect(view.snapshot.spans.find((s) => s.label === 'PER')).toMatchObject({ origin: 'model', score: 0.93, provenance: 'model:test@abc', decision: 'accepted' });
		expect(view.snapshot.spans.find((s) => s.label === 'LOC')).toMatchObject({ decision: 'edited' });
		expect(view.snapshot.rejected).toEqual([misc.key]);
		// The history names the source of a rejection (two sources agreeing make two distinct rows).
		const summaries = temp.db.$client.prepare(`SELECT json_extract(detail, '$.summary') AS summary FROM audit_events WHERE action = 'reject'`).all();
		expect(summaries).toEqual([{ summary: `rejet MISC ${misc.start}–${misc.end} (model:test@abc)` }]);
		const decisions = temp.db.$client.prepare('SELECT provenance, label, decision FROM suggestion_decisions ORDER BY id').all();
		expect(decisions).toEqual([
			{ provenance: 'model:test@abc', label: 'PER', decision: 'accepted' },
			{ provenance: 'model:test@abc', label: 'ORG', decision: 'edited' },
			{ provenance: 'model:test@abc', label: 'MISC', decision: 'rejected' }
		]);
		// Undo of the rejection withdraws it.
		expect(save(ana, 1, [{ type: 'unreject', suggestion: misc }]).outcome).toBe('saved');
		expect(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot.rejected).toEqual([]);
		expect(temp.db.$client.prepare(`SELECT COUNT(*) AS n FROM suggestion_decisions WHERE decision = 'rejected'`).get()).toEqual({ n: 0 });
	});

	it('credits every source that proposed the span taken, except one rejected before', () => {
		const moscou = { layer: 'entity' as const, start: TEXT.indexOf('Moscou'), end: TEXT.indexOf('Moscou') + 6, label: 'LOC' };
		const person = { layer: 'entity' as const, start: TEXT.indexOf('Sergueï'), end: TEXT.indexOf(' à Moscou'), label: 'PER' };
		const sources = { model: 'model:test@abc', gazetteer: 'rules:gazetteer@1', memory: 'memory:default' };
		replaceSetContent(temp.db, getOrCreateSet(temp.db, documentId, sources.model).id, [
			{ ...moscou, origin: 'model', score: 0.8, provenance: sources.model },
			{ ...person, origin: 'model', score: 0.9, provenance: sources.model }
		]);
		replaceSetContent(temp.db, getOrCreateSet(temp.db, documentId, sources.gazetteer).id, [{ ...moscou, origin: 'rules', score: 0.7, provenance: sources.gazetteer }]);
		replaceSetContent(temp.db, getOrCreateSet(temp.db, documentId, sources.memory).id, [{ ...person, origin: 'rules', score: 0.95, provenance: sources.memory }]);
		const suggestions = loadSuggestions(temp.db, documentId);
		const find = (provenance: string, label: string) => suggestions.find((s) => s.provenance === provenance && s.label === label)!;
		const decisions = () => temp.db.$client.prepare('SELECT provenance, label, decision FROM suggestion_decisions ORDER BY provenance, label').all();

		// The memory's person was rejected on its own (it came later, say); the model's is taken.
		expect(save(ana, 0, [{ type: 'reject', suggestion: find(sources.memory, 'PER') }, acceptOperation(find(sources.model, 'PER'))]).outcome).toBe('saved');
		expect(save(ana, 1, [acceptOperation(find(sources.model, 'LOC'))]).outcome).toBe('saved');
		expect(decisions()).toEqual([
			{ provenance: sources.memory, label: 'PER', decision: 'rejected' },
			{ provenance: sources.model, label: 'LOC', decision: 'accepted' },
			{ provenance: sources.model, label: 'PER', decision: 'accepted' },
			{ provenance: sources.gazetteer, label: 'LOC', decision: 'accepted' }
		]);

		// Relabelling the taken span makes it `edited` for both sources, and its undo `accepted` again.
		const state = fromSnapshot(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot);
		const relabel = updateSpanOperation(state, `entity:${moscou.start}-${moscou.end}`, { label: 'ORG' });
		const locDecisions = () => decisions().filter((d) => (d as { label: string }).label === 'LOC').map((d) => (d as { decision: string }).decision);
		expect(save(ana, 2, [relabel]).outcome).toBe('saved');
		expect(locDecisions()).toEqual(['edited', 'edited']);
		expect(save(ana, 3, [invertOperation(relabel)]).outcome).toBe('saved');
		expect(locDecisions()).toEqual(['accepted', 'accepted']);
		// Undoing an accept withdraws the decision of every source it credited.
		const taken = fromSnapshot(loadAnnotatorSet(temp.db, documentId, 'ana').snapshot).spans.get(`entity:${person.start}-${person.end}`)!;
		expect(save(ana, 4, [{ type: 'unaccept', suggestion: find(sources.model, 'PER'), span: taken }]).outcome).toBe('saved');
		expect(decisions().filter((d) => (d as { label: string }).label === 'PER')).toEqual([{ provenance: sources.memory, label: 'PER', decision: 'rejected' }]);
	});

	it('counts what a finished document leaves untaken as ignored, follows later decisions, and withdraws it on reopening', () => {
		const moscou = { layer: 'entity' as const, start: TEXT.indexOf('Moscou'), end: TEXT.indexOf('Moscou') + 6 };
		const person = { layer: 'entity' as const, start: TEXT.indexOf('Sergueï'), end: TEXT.indexOf(' à Moscou'), label: 'PER' };
		const sources = { model: 'model:test@abc', gazetteer: 'rules:gazetteer@1', memory: 'memory:default' };
		replaceSetContent(temp.db, getOrCreateSet(temp.db, documentId, sources.model).id, [
			{ ...person, origin: 'model', score: 0.9, provenance: sources.model },
			{ ...moscou, label: 'LOC', origin: 'model', score: 0.8, provenance: sources.model },
			{ layer: 'entity', start: 2, end: 6, label: 'MISC', origin: 'model', score: 0.3, provenance: sources.model }
		]);
		replaceSetContent(temp.db, getOrCreateSet(temp.db, documentId, sources.gazetteer).id, [{ ...moscou, label: 'LOC', origin: 'rules', score: 0.7, provenance: sources.gazetteer }]);
		// The memory's ORG contradicts the LOC: once the LOC is taken the workspace hides it.
		replaceSetContent(temp.db, getOrCreateSet(temp.db, documentId, sources.memory).id, [{ ...moscou, label: 'ORG', origin: 'rules', score: 0.6, provenance: sources.memory }]);
		const suggestions = loadSuggestions(temp.db, documentId);
		const find = (provenance: string, label: string) => suggestions.find((s) => s.provenance === provenance && s.label === label)!;
		const ignored = () =>
			temp.db.$client.prepare(`SELECT provenance, label FROM suggestion_decisions WHERE decision = 'ignored' ORDER BY provenance, label`).all();

		expect(save(ana, 0, [acceptOperation(find(sources.model, 'PER')), acceptOperation(find(sources.model, 'LOC'))]).outcome).toBe('saved');
		expect(ignored()).toEqual([]); // not finished: nothing is ignored yet
		expect(save(ana, 1, [{ type: 'status', before: 'in_progress', after: 'done' }]).outcome).toBe('saved');
		expect(ignored()).toEqual([
			{ provenance: sources.memory, label: 'ORG' },
			{ provenance: sources.model, label: 'MISC' }
		]);
		const modelMisc = () => summariseDecisions(temp.db, temp.project.id).find((row) => row.source === sources.model && row.label === 'MISC');
		expect(modelMisc()).toMatchObject({ accepted: 0, rejected: 0, ignored: 1, total: 1, acceptanceRate: 0 });
		expect(summariseDecisions(temp.db, temp.project.id).find((row) => row.source === sources.gazetteer)).toMatchObject({ accepted: 1, ignored: 0, acceptanceRate: 1 });

		// A decision taken on the done document replaces its ignored count rather than adding to it.
		expect(save(ana, 2, [{ type: 'reject', suggestion: find(sources.model, 'MISC') }]).outcome).toBe('saved');
		expect(modelMisc()).toMatchObject({ rejected: 1, ignored: 0, total: 1 });
		// Reopened, the document has no ignored suggestion until it is finished again.
		expect(save(ana, 3, [{ type: 'status', before: 'done', after: 'in_progress' }]).outcome).toBe('saved');
		expect(ignored()).toEqual([]);
		expect(save(ana, 4, [{ type: 'status', before: 'in_progress', after: 'done' }]).outcome).toBe('saved');
		expect(ignored()).toEqual([{ provenance: sources.memory, label: 'ORG' }]);
	});

	it('changes the status through the same save, and the queue skips done documents', () => {
		const second = insertDocument('doc-2', 'Deuxième article.');
		const third = insertDocument('doc-3', 'Troisième article.');
		expect(save(ana, 0, [{ type: 'status', before: 'todo', after: 'done' }])).toMatchObject({ outcome: 'saved', status: 'done' });
		const done = temp.db.$client.prepare('SELECT status, done_at AS doneAt FROM annotation_sets WHERE owner = ?').get('ana') as { status: string; doneAt: string | null };
		expect(done.status).toBe('done');
		expect(done.doneAt).not.toBeNull();
		expect(findNextDocumentId(temp.db, temp.project.id, 'ana', documentId)).toBe(second);
		const set = getOrCreateSet(temp.db, second, 'ana', { status: 'skipped' });
		expect(set.status).toBe('skipped');
		expect(findNextDocumentId(temp.db, temp.project.id, 'ana', documentId)).toBe(third);
		expect(findNextDocumentId(temp.db, temp.project.id, 'ana', third)).toBeNull();
	});
});
