// The gold set edited in the annotation workspace: the annotators' spans as suggestions (one
// source per annotator), saves through the annotators' save path on the gold set's revision, so a
// Relecture decision made meanwhile is a conflict, and the review lock of a finished gold set.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDatabase, insertTestDocument, type TempDatabase } from '../helpers/temp-db';
import { createAccount } from '../../src/lib/server/auth/accounts';
import { getOrCreateSet, insertLinks, insertSpans } from '../../src/lib/server/db/annotation-sets';
import { annotationSets, auditEvents, suggestionDecisions } from '../../src/lib/server/db/schema';
import { applyReviewDecision, candidateKey, GOLD_OWNER, loadGoldWorkspace, loadReview } from '../../src/lib/server/review';
import { saveAnnotations } from '../../src/lib/server/annotation/save-annotations';
import { acceptOperation, updateSpanOperation, type Operation } from '../../src/lib/domain/editing/operations';
import { createState, spanKey } from '../../src/lib/domain/editing/state';
import { parseExportOptions } from '../../src/lib/domain/export/options';
import { streamExportPart } from '../../src/lib/server/export';
import { codePointLength } from '../../src/lib/domain/offsets';
import type { SpanDraft } from '../../src/lib/domain/spans';
import type { EditSpan } from '../../src/lib/domain/editing/state';
import type { User } from '../../src/lib/server/db/users';

const TEXT = '« Nous sommes prêts », a déclaré Sergueï Lavrov à Moscou devant l’Otan.';
// « Nous sommes prêts » = 0–21; Sergueï Lavrov = 33–47; Moscou = 50–56; Otan = 66–70

let temp: TempDatabase;
let documentId: number;
let reviewer: User;

const draft = (start: number, end: number, label: string): SpanDraft => ({ layer: 'entity', start, end, label, origin: 'human', provenance: 'human:test' });

function addAnnotatorSet(owner: string, drafts: SpanDraft[], linkDrafts: Parameters<typeof insertLinks>[3] = []) {
	const user = createAccount(temp.db, { username: owner, role: 'annotator', password: 'long enough pw' });
	const set = getOrCreateSet(temp.db, documentId, owner, { userId: user.id, status: 'done' });
	insertLinks(temp.db, set.id, insertSpans(temp.db, set.id, drafts), linkDrafts);
}

let saveCounter = 0;
function saveGold(baseRevision: number, operations: Operation[]) {
	return saveAnnotations(temp.db, {
		documentId,
		user: reviewer,
		textLength: codePointLength(TEXT),
		labelSchema: temp.project.labelSchema,
		baseRevision,
		operations,
		saveId: `gold-save-${++saveCounter}`,
		set: 'gold'
	});
}

function reviewDecision(decision: Parameters<typeof applyReviewDecision>[1]['decision']) {
	const baseRevision = loadReview(temp.db, documentId, TEXT).gold.revision;
	return applyReviewDecision(temp.db, { documentId, user: reviewer, text: TEXT, labelSchema: temp.project.labelSchema, baseRevision, decision });
}

const human = (start: number, end: number, label: string): EditSpan => ({
	layer: 'entity',
	start,
	end,
	label,
	attributes: {},
	origin: 'human',
	score: null,
	provenance: 'human:rev',
	decision: null
});

beforeEach(() => {
	temp = createTempDatabase();
	documentId = insertTestDocument(temp, 'd1', TEXT);
	reviewer = createAccount(temp.db, { username: 'rev', role: 'reviewer', password: 'long enough pw' });
	const quote: SpanDraft = { layer: 'quote', start: 0, end: 21, label: 'QUOTE', attributes: { kind: 'direct' }, origin: 'human', provenance: 'human:test' };
	addAnnotatorSet('alice', [draft(33, 47, 'PER'), draft(50, 56, 'LOC'), quote, draft(66, 70, 'ORG')], [{ kind: 'speaker', from: 2, to: 0 }]);
	addAnnotatorSet('bob', [draft(33, 47, 'PER'), draft(50, 56, 'ORG')]);
});
afterEach(() => temp.close());

describe('gold set in the workspace', () => {
	it('offers every annotator span with its annotator as source, a quote with its speaker, and leaves out what Relecture set aside', () => {
		expect(reviewDecision({ type: 'reject', key: candidateKey({ layer: 'entity', start: 50, end: 56, label: 'ORG' }) })).toMatchObject({ outcome: 'saved' });
		const workspace = loadGoldWorkspace(temp.db, documentId, TEXT);
		expect(workspace.revision).toBe(1);
		expect(workspace.suggestions.map((s) => `${s.provenance} ${s.label} ${s.start}-${s.end}`)).toEqual([
			'human:alice QUOTE 0-21',
			'human:alice PER 33-47',
			'human:bob PER 33-47',
			'human:alice LOC 50-56',
			'human:alice ORG 66-70'
		]);
		const quote = workspace.suggestions.find((s) => s.layer === 'quote')!;
		expect(quote.links).toEqual([{ kind: 'speaker', to: 'human:alice|entity:33-47|PER' }]);
		expect(workspace.suggestions.map((s) => s.key)).toContain((quote.links![0] as { to: string }).to);
	});

	it('offers a stance with its holder and target when they are names (the article, a listed target), not spans', () => {
		const stance: SpanDraft = { layer: 'stance', start: 2, end: 19, label: 'STANCE', attributes: { polarity: 'favor' }, origin: 'human', provenance: 'human:test' };
		addAnnotatorSet('chloe', [stance], [
			{ kind: 'holder', from: 0, to: null, toName: 'article' },
			{ kind: 'target', from: 0, to: null, toName: 'Otan' }
		]);
		const offered = loadGoldWorkspace(temp.db, documentId, TEXT).suggestions.find((s) => s.layer === 'stance')!;
		expect(offered.links).toEqual([
			{ kind: 'holder', toName: 'article' },
			{ kind: 'target', toName: 'Otan' }
		]);
	});

	it('saves to the gold set through the annotators’ save path, with the reviewer in the audit trail and no suggestion figures', () => {
		const otan = loadGoldWorkspace(temp.db, documentId, TEXT).suggestions.find((s) => s.start === 66)!;
		const result = saveGold(0, [acceptOperation(otan), { type: 'add', span: human(50, 56, 'LOC') }]);
		expect(result).toMatchObject({ outcome: 'saved', revision: 1, status: 'in_progress' });

		const gold = temp.db.select().from(annotationSets).where(eq(annotationSets.owner, GOLD_OWNER)).get()!;
		expect(gold).toMatchObject({ ownerKind: 'gold', userId: null, revision: 1 });
		const review = loadReview(temp.db, documentId, TEXT);
		expect(review.gold.spans.map((s) => `${s.text}/${s.label}`)).toEqual(['Moscou/LOC', 'Otan/ORG']);
		expect(review.candidates.filter((c) => c.inGold).map((c) => c.text)).toEqual(['Moscou', 'Otan']);
		// The annotators' own sets are untouched.
		expect(review.annotators.map((a) => a.spans.length)).toEqual([4, 2]);
		const audit = temp.db.select().from(auditEvents).where(eq(auditEvents.setId, gold.id)).all();
		expect(audit.map((e) => [e.action, e.userId])).toEqual([
			['accept', reviewer.id],
			['add', reviewer.id]
		]);
		expect(temp.db.select().from(suggestionDecisions).all()).toEqual([]);
	});

	it('keeps the provenance of the annotator’s span it takes, as Relecture does, and an edit follows the workspace’s rule', async () => {
		// carol took Otan from the model as it was, and Moscou from the model with another label.
		const model = (start: number, end: number, label: string, decision: 'accepted' | 'edited'): SpanDraft => ({
			layer: 'entity',
			start,
			end,
			label,
			origin: 'model',
			score: 0.93,
			provenance: 'model:camembert-ner@abc123',
			decision
		});
		addAnnotatorSet('carol', [model(66, 70, 'ORG', 'accepted'), model(50, 56, 'LOC', 'edited')]);
		const suggestions = loadGoldWorkspace(temp.db, documentId, TEXT).suggestions;
		const from = (owner: string, start: number) => suggestions.find((s) => s.provenance === `human:${owner}` && s.start === start)!;
		// Taken as it was, taken with another label, and a span alice drew herself.
		const operations = [acceptOperation(from('carol', 66)), acceptOperation(from('carol', 50), 'ORG'), acceptOperation(from('alice', 33))];
		expect(saveGold(0, operations)).toMatchObject({ outcome: 'saved', revision: 1 });
		const provenance = () => loadReview(temp.db, documentId, TEXT).gold.spans.map((s) => `${s.text} ${s.label} ${s.origin} ${s.provenance} ${s.score} ${s.decision}`);
		expect(provenance()).toEqual([
			'Sergueï Lavrov PER human human:test null null',
			'Moscou ORG model model:camembert-ner@abc123 0.93 edited',
			'Otan ORG model model:camembert-ner@abc123 0.93 accepted'
		]);

		// Relabelled in the workspace: still the model's span, now `edited` (updateSpanOperation).
		const stored = createState({ spans: loadReview(temp.db, documentId, TEXT).gold.spans });
		const relabel = updateSpanOperation(stored, spanKey({ layer: 'entity', start: 66, end: 70 }), { label: 'LOC' });
		expect(saveGold(1, [relabel])).toMatchObject({ outcome: 'saved', revision: 2 });
		expect(provenance()[2]).toBe('Otan LOC model model:camembert-ner@abc123 0.93 edited');

		// The export names the model, not the annotator who accepted its suggestion.
		const parsed = parseExportOptions({ set: 'gold', status: 'any' });
		if (!parsed.ok) throw new Error(parsed.errors.join('; '));
		const record = JSON.parse(await new Response(streamExportPart(temp.db, temp.project, parsed.options, 'corpus', 'test')).text());
		expect(record.entities.find((e: { text: string }) => e.text === 'Otan')).toMatchObject({ origin: 'model', model: 'camembert-ner@abc123', score: 0.93, decision: 'edited' });
		expect(record.entities.find((e: { text: string }) => e.text === 'Sergueï Lavrov')).toMatchObject({ origin: 'human', annotator: 'test' });

		// Relecture gives the same span for the same candidate (a fresh gold set on another document).
		const otherText = `${TEXT} `;
		const other = insertTestDocument(temp, 'd2', otherText);
		const carol = temp.db.$client.prepare(`SELECT id FROM users WHERE username = 'carol'`).get() as { id: number };
		const set = getOrCreateSet(temp.db, other, 'carol', { userId: carol.id, status: 'done' });
		insertSpans(temp.db, set.id, [model(66, 70, 'ORG', 'accepted')]);
		const decide = (decision: Parameters<typeof applyReviewDecision>[1]['decision']) =>
			applyReviewDecision(temp.db, { documentId: other, user: reviewer, text: otherText, labelSchema: temp.project.labelSchema, baseRevision: loadReview(temp.db, other, otherText).gold.revision, decision });
		expect(decide({ type: 'accept', key: candidateKey({ layer: 'entity', start: 66, end: 70, label: 'ORG' }) })).toMatchObject({ outcome: 'saved' });
		const accepted = loadReview(temp.db, other, otherText).gold.spans[0];
		expect(accepted).toMatchObject({ origin: 'model', provenance: 'model:camembert-ner@abc123', score: 0.93, decision: 'accepted' });
		expect(decide({ type: 'edit', spanId: accepted.id, label: 'LOC', start: 66, end: 70 })).toMatchObject({ outcome: 'saved' });
		expect(loadReview(temp.db, other, otherText).gold.spans[0]).toMatchObject({ origin: 'model', provenance: 'model:camembert-ner@abc123', decision: 'edited' });
	});

	it('shows on Relecture what the workspace set aside, and the other way round', () => {
		const suggestions = loadGoldWorkspace(temp.db, documentId, TEXT).suggestions;
		const otan = suggestions.find((s) => s.start === 66)!;
		expect(saveGold(0, [{ type: 'reject', suggestion: otan }])).toMatchObject({ outcome: 'saved', revision: 1 });
		const decided = () => Object.fromEntries(loadReview(temp.db, documentId, TEXT).candidates.map((c) => [`${c.text}/${c.label}`, c.decision]));
		expect(decided()).toMatchObject({ 'Otan/ORG': 'rejected', 'Moscou/LOC': null });
		expect(saveGold(1, [{ type: 'unreject', suggestion: otan }])).toMatchObject({ outcome: 'saved', revision: 2 });
		expect(decided()).toMatchObject({ 'Otan/ORG': null });
		// Set aside on Relecture: no longer offered in the workspace.
		expect(reviewDecision({ type: 'reject', key: candidateKey({ layer: 'entity', start: 66, end: 70, label: 'ORG' }) })).toMatchObject({ outcome: 'saved' });
		expect(loadGoldWorkspace(temp.db, documentId, TEXT).suggestions.some((s) => s.start === 66)).toBe(false);
	});

	it('refuses a save based on a gold revision a Relecture decision has replaced, with the current gold set to replay on', () => {
		const opened = loadGoldWorkspace(temp.db, documentId, TEXT);
		expect(reviewDecision({ type: 'accept', key: candidateKey({ layer: 'entity', start: 33, end: 47, label: 'PER' }) })).toMatchObject({ outcome: 'saved', revision: 1 });
		const result = saveGold(opened.revision, [{ type: 'add', span: human(66, 70, 'ORG') }]);
		expect(result).toMatchObject({ outcome: 'conflict', revision: 1 });
		if (result.outcome !== 'conflict') return;
		expect(result.message).toContain('jeu de référence');
		expect(result.snapshot.spans.map((s) => `${s.start}-${s.end}/${s.label}`)).toEqual(['33-47/PER']);
		// Nothing of the stale save was written; replayed on the current revision it goes through.
		expect(loadReview(temp.db, documentId, TEXT).gold.spans.map((s) => s.text)).toEqual(['Sergueï Lavrov']);
		expect(saveGold(1, [{ type: 'add', span: human(66, 70, 'ORG') }])).toMatchObject({ outcome: 'saved', revision: 2 });
		// And a Relecture page built before that workspace save is refused in turn.
		const stale = applyReviewDecision(temp.db, {
			documentId,
			user: reviewer,
			text: TEXT,
			labelSchema: temp.project.labelSchema,
			baseRevision: 1,
			decision: { type: 'remove', spanId: loadReview(temp.db, documentId, TEXT).gold.spans[0].id }
		});
		expect(stale).toMatchObject({ outcome: 'conflict', revision: 2 });
	});

	it('keeps a finished review locked until it is reopened, and has no annotator statuses', () => {
		expect(saveGold(0, [{ type: 'add', span: human(66, 70, 'ORG') }])).toMatchObject({ outcome: 'saved', revision: 1 });
		expect(reviewDecision({ type: 'status', status: 'done' })).toMatchObject({ outcome: 'saved', revision: 2 });
		const locked = saveGold(2, [{ type: 'add', span: human(50, 56, 'LOC') }]);
		expect(locked).toMatchObject({ outcome: 'invalid', message: expect.stringContaining('la relecture est terminée') });
		expect(saveGold(2, [{ type: 'status', before: 'done', after: 'skipped' }])).toMatchObject({
			outcome: 'invalid',
			message: expect.stringContaining('n’a pas de statut « ignoré »')
		});
		const reopened = saveGold(2, [
			{ type: 'status', before: 'done', after: 'in_progress' },
			{ type: 'add', span: human(50, 56, 'LOC') }
		]);
		expect(reopened).toMatchObject({ outcome: 'saved', revision: 3, status: 'in_progress' });
		expect(loadReview(temp.db, documentId, TEXT).gold).toMatchObject({ status: 'in_progress', revision: 3 });
	});
});
