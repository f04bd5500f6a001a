// Review into gold: candidates grouped by agreement, decisions in one transaction with audit,
// stale pages refused, links carried into gold, and agreement figures from the same sets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';
import { createAccount } from '../../src/lib/server/auth/accounts';
import { getOrCreateSet, insertLinks, insertSpans } from '../../src/lib/server/db/annotation-sets';
import { annotationSets, auditEvents, links, spans } from '../../src/lib/server/db/schema';
import { applyReviewDecision, loadReview, type ReviewDecision } from '../../src/lib/server/review';
import { computeAgreementForDocument, computeAgreementForProject } from '../../src/lib/server/agreement';
import type { SpanDraft } from '../../src/lib/domain/spans';
import type { User } from '../../src/lib/server/db/users';

const TEXT = '« Nous sommes prêts », a déclaré Sergueï Lavrov à Moscou devant l’Otan.';
//            0         1         2         3         4         5         6         7
// « Nous sommes prêts » = 0–21; Sergueï Lavrov = 33–47; Moscou = 50–56; Otan = 66–70

let temp: TempDatabase;
let documentId: number;
let reviewer: User;

const entity = (start: number, end: number, label: string): SpanDraft => ({ layer: 'entity', start, end, label, origin: 'human', provenance: 'human:test' });

function addSet(owner: string, drafts: SpanDraft[], status: 'done' | 'in_progress' = 'done', linkDrafts: Parameters<typeof insertLinks>[3] = []) {
	const user = createAccount(temp.db, { username: owner, role: 'annotator', password: 'long enough pw' });
	const set = getOrCreateSet(temp.db, documentId, owner, { userId: user.id });
	const ids = insertSpans(temp.db, set.id, drafts);
	insertLinks(temp.db, set.id, ids, linkDrafts);
	temp.db.update(annotationSets).set({ status }).where(eq(annotationSets.id, set.id)).run();
}

function decide(decision: ReviewDecision, baseRevision?: number) {
	const revision = baseRevision ?? loadReview(temp.db, documentId, TEXT).gold.revision;
	return applyReviewDecision(temp.db, { documentId, user: reviewer, text: TEXT, labelSchema: temp.project.labelSchema, baseRevision: revision, decision });
}

beforeEach(() => {
	temp = createTempDatabase();
	documentId = (
		temp.db.$client
			.prepare(
				`INSERT INTO documents (project_id, external_id, title, raw_text, text, content_hash, cleaning, word_count, char_count)
				 VALUES (?, 'd1', 'Lavrov', ?, ?, 'h1', '{}', 12, ?) RETURNING id`
			)
			.get(temp.project.id, TEXT, TEXT, [...TEXT].length) as { id: number }
	).id;
	reviewer = createAccount(temp.db, { username: 'rev', role: 'reviewer', password: 'long enough pw' });
	const quote: SpanDraft = { layer: 'quote', start: 0, end: 21, label: 'QUOTE', attributes: { kind: 'direct' }, origin: 'human', provenance: 'human:test' };
	addSet('alice', [entity(33, 47, 'PER'), entity(50, 56, 'LOC'), quote, entity(66, 70, 'ORG')], 'done', [{ kind: 'speaker', from: 2, to: 0 }]);
	addSet('bob', [entity(33, 47, 'PER'), entity(50, 56, 'ORG'), quote], 'done', [{ kind: 'speaker', from: 2, to: 0 }]);
});
afterEach(() => temp.close());

describe('review view', () => {
	it('groups candidates by agreement and shows both sets side by side', () => {
		const view = loadReview(temp.db, documentId, TEXT);
		expect(view.annotators.map((a) => a.username)).toEqual(['alice', 'bob']);
		const byText = Object.fromEntries(view.candidates.map((c) => [`${c.text}/${c.label}`, c.agreement]));
		expect(byText).toEqual({
			'« Nous sommes prêts »/QUOTE': 'all',
			'Sergueï Lavrov/PER': 'all',
			'Moscou/LOC': 'some',
			'Moscou/ORG': 'some',
			'Otan/ORG': 'some'
		});
		expect(view.annotators[0].spans.find((s) => s.layer === 'quote')!.linkedTo).toMatchObject([{ kind: 'speaker', text: 'Sergueï Lavrov' }]);
		expect(view.gold).toEqual({ revision: 0, status: 'todo', spans: [] });
	});
});

describe('review decisions', () => {
	it('accepts what all agree on, with the speaker link, in one audited revision', () => {
		const result = decide({ type: 'accept-agreed' });
		expect(result).toEqual({ outcome: 'saved', revision: 1, changed: 2 });
		const view = loadReview(temp.db, documentId, TEXT);
		expect(view.gold.spans.map((s) => `${s.text}/${s.label}`)).toEqual(['« Nous sommes prêts »/QUOTE', 'Sergueï Lavrov/PER']);
		expect(view.gold.spans[0].linkedTo).toMatchObject([{ kind: 'speaker', text: 'Sergueï Lavrov' }]);
		expect(view.gold.status).toBe('in_progress');
		const gold = temp.db.select().from(annotationSets).where(eq(annotationSets.owner, 'gold')).get()!;
		expect(gold.ownerKind).toBe('gold');
		const events = temp.db.select().from(auditEvents).where(eq(auditEvents.setId, gold.id)).all();
		expect(events.map((e) => [e.action, e.userId, e.revision])).toEqual([
			['review.accept', reviewer.id, 1],
			['review.accept', reviewer.id, 1]
		]);
		expect(view.audit[0]).toMatchObject({ owner: 'gold', username: 'rev', action: 'review.accept', revision: 1 });
	});

	it('picks one variant of a disputed span, replaces it with the other, rejects, edits and marks done', () => {
		const view = loadReview(temp.db, documentId, TEXT);
		const loc = view.candidates.find((c) => c.text === 'Moscou' && c.label === 'LOC')!;
		const org = view.candidates.find((c) => c.text === 'Moscou' && c.label === 'ORG')!;
		expect(decide({ type: 'accept', key: loc.key }).outcome).toBe('saved');
		expect(decide({ type: 'accept', key: org.key }).outcome).toBe('saved');
		let after = loadReview(temp.db, documentId, TEXT);
		expect(after.gold.spans.map((s) => `${s.text}/${s.label}`)).toEqual(['Moscou/ORG']);
		expect(after.candidates.find((c) => c.key === org.key)).toMatchObject({ inGold: true, decision: 'accepted' });

		const otan = after.candidates.find((c) => c.text === 'Otan')!;
		expect(decide({ type: 'reject', key: otan.key }).outcome).toBe('saved');
		after = loadReview(temp.db, documentId, TEXT);
		expect(after.candidates.find((c) => c.key === otan.key)).toMatchObject({ inGold: false, decision: 'rejected' });

		const goldSpan = after.gold.spans[0];
		expect(decide({ type: 'edit', spanId: goldSpan.id, label: 'LOC', start: 50, end: 56 }).outcome).toBe('saved');
		expect(decide({ type: 'edit', spanId: goldSpan.id, label: 'NOPE', start: 50, end: 56 })).toMatchObject({ outcome: 'invalid' });
		expect(decide({ type: 'edit', spanId: goldSpan.id, label: 'LOC', start: 50, end: 500 })).toMatchObject({ outcome: 'invalid' });
		after = loadReview(temp.db, documentId, TEXT);
		// The edit keeps who drew the span (as in the workspace); the audit trail names the reviewer.
		expect(after.gold.spans.map((s) => `${s.text}/${s.label}/${s.provenance}`)).toEqual(['Moscou/LOC/human:test']);
		expect(after.audit[0]).toMatchObject({ action: 'review.edit', username: 'rev' });

		expect(decide({ type: 'status', status: 'done' }).outcome).toBe('saved');
		after = loadReview(temp.db, documentId, TEXT);
		expect(after.gold.status).toBe('done');
		expect(after.gold.revision).toBe(5);
		expect(temp.db.select().from(annotationSets).where(eq(annotationSets.owner, 'gold')).get()!.doneAt).not.toBeNull();

		// A reviewed gold set is final: changes wait for an explicit reopening.
		expect(decide({ type: 'remove', spanId: goldSpan.id })).toEqual({ outcome: 'invalid', message: 'la relecture est terminée : rouvrez-la pour modifier le jeu de référence' });
		expect(decide({ type: 'accept-agreed' }).outcome).toBe('invalid');
		expect(loadReview(temp.db, documentId, TEXT).gold).toMatchObject({ revision: 5, status: 'done' });
		expect(decide({ type: 'status', status: 'in_progress' }).outcome).toBe('saved');
		expect(decide({ type: 'remove', spanId: goldSpan.id }).outcome).toBe('saved');
		expect(loadReview(temp.db, documentId, TEXT).gold.spans).toEqual([]);
	});

	it('leaves out of "accept all agreed" what the reviewer set aside', () => {
		const lavrov = loadReview(temp.db, documentId, TEXT).candidates.find((c) => c.text === 'Sergueï Lavrov')!;
		expect(decide({ type: 'reject', key: lavrov.key }).outcome).toBe('saved');
		expect(decide({ type: 'accept-agreed' })).toMatchObject({ outcome: 'saved', changed: 1 });
		let view = loadReview(temp.db, documentId, TEXT);
		expect(view.gold.spans.map((s) => s.label)).toEqual(['QUOTE']);
		expect(view.candidates.find((c) => c.key === lavrov.key)).toMatchObject({ inGold: false, decision: 'rejected' });
		// Nothing left to add in bulk; a one-by-one accept still brings it back.
		expect(decide({ type: 'accept-agreed' }).outcome).toBe('invalid');
		expect(decide({ type: 'accept', key: lavrov.key }).outcome).toBe('saved');
		view = loadReview(temp.db, documentId, TEXT);
		expect(view.gold.spans.map((s) => s.label).sort()).toEqual(['PER', 'QUOTE']);
	});

	it('refuses a decision made on a stale page, and writes nothing for an invalid one', () => {
		const first = loadReview(temp.db, documentId, TEXT);
		expect(decide({ type: 'accept', key: first.candidates[0].key }, 0).outcome).toBe('saved');
		const stale = decide({ type: 'accept', key: first.candidates[1].key }, 0);
		expect(stale.outcome).toBe('conflict');
		expect(decide({ type: 'accept', key: 'entity:1-2:PER' })).toMatchObject({ outcome: 'invalid' });
		// A page opened before an annotator's change (or a label rename) is told in words, not by the candidate's key.
		const moscou = TEXT.indexOf('Moscou');
		expect(decide({ type: 'accept', key: `entity:${moscou}-${moscou + 6}:MISC` })).toEqual({
			outcome: 'invalid',
			message: 'aucun annotateur n’a plus l’entité « Moscou » (MISC) : la page a été ouverte avant un changement (d’un annotateur ou du schéma) ; rechargez-la'
		});
		const gold = temp.db.select().from(annotationSets).where(eq(annotationSets.owner, 'gold')).get()!;
		expect(gold.revision).toBe(1);
		expect(temp.db.select().from(spans).where(eq(spans.setId, gold.id)).all()).toHaveLength(1);
		expect(temp.db.select().from(links).where(eq(links.setId, gold.id)).all()).toHaveLength(0);
	});
});

describe('agreement from the database', () => {
	it('compares done annotator sets only, with speakers from links', () => {
		const figures = computeAgreementForDocument(temp.db, temp.project.id, documentId)!;
		// Named by the id the export gives its record, so figures and corpus can be joined.
		expect(figures).toMatchObject({ documentId, externalId: 'd1', title: 'Lavrov' });
		// entities: alice 3, bob 2; exact matches: PER only -> 2/5
		expect(figures.entities.exact).toBeCloseTo(0.4, 10);
		expect(figures.entities.byLabel.PER).toEqual({ exact: 1, overlap: 1 });
		expect(figures.quotes).toMatchObject({ exact: 1, overlap: 1, speaker: 1, matchedQuotes: 1 });
		temp.db.update(annotationSets).set({ status: 'in_progress' }).where(eq(annotationSets.owner, 'bob')).run();
		expect(computeAgreementForProject(temp.db, temp.project.id).documents).toEqual([]);
		expect(computeAgreementForProject(temp.db, temp.project.id, { includeUnfinished: true }).documents).toHaveLength(1);
	});
});
