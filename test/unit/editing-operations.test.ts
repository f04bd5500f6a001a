import { describe, expect, it } from 'vitest';
import {
	acceptOperation,
	applyOperation,
	applyOperations,
	describeBrokenLinks,
	describeOperation,
	doubtOperation,
	EditError,
	excerptForMessage,
	invertOperation,
	isAlreadyApplied,
	keepApplicableHistory,
	linkOperation,
	relabelOperation,
	removeSpanOperation,
	updateSpanOperation,
	type EditContext,
	type Operation
} from '../../src/lib/domain/editing/operations';
import { createState, emptyState, fromSnapshot, spanKey, toSnapshot, type EditSpan, type EditState } from '../../src/lib/domain/editing/state';
import { toSuggestion, visibleSuggestions } from '../../src/lib/domain/editing/suggestions';
import { findParagraphBreaks } from '../../src/lib/domain/editing/paragraphs';
import { OffsetIndex } from '../../src/lib/domain/offsets';

const context: EditContext = { textLength: 100, paragraphBreaks: [], entityLabels: ['PER', 'LOC', 'ORG', 'MISC'] };

function span(layer: EditSpan['layer'], start: number, end: number, label = layer === 'entity' ? 'PER' : layer.toUpperCase()): EditSpan {
	return { layer, start, end, label, attributes: {}, origin: 'human', score: null, provenance: 'human:ana', decision: null };
}

function roundTrip(state: EditState, op: Operation): void {
	const after = applyOperation(state, op, context);
	const back = applyOperation(after, invertOperation(op), context);
	expect(toSnapshot({ ...back, status: state.status })).toEqual(toSnapshot(state));
}

describe('applyOperation', () => {
	const base = createState({ spans: [span('entity', 0, 6), span('quote', 10, 40, 'QUOTE')], status: 'in_progress' });

	it('adds a span and refuses an entity that overlaps another', () => {
		const next = applyOperation(base, { type: 'add', span: span('entity', 20, 25, 'LOC') }, context);
		expect(next.spans.get('entity:20-25')?.label).toBe('LOC');
		expect(() => applyOperation(next, { type: 'add', span: span('entity', 22, 30) }, context)).toThrow(/chevauchent/);
	});

	it('lets spans of different layers overlap (an entity inside a quote)', () => {
		const next = applyOperation(base, { type: 'add', span: span('entity', 12, 18) }, context);
		expect(next.spans.size).toBe(3);
	});

	it('refuses unknown labels, empty and out-of-bounds spans', () => {
		expect(() => applyOperation(base, { type: 'add', span: span('entity', 50, 55, 'FOO') }, context)).toThrow(EditError);
		expect(() => applyOperation(base, { type: 'add', span: span('entity', 50, 50) }, context)).toThrow(/outside|empty/);
		expect(() => applyOperation(base, { type: 'add', span: span('quote', 90, 120) }, context)).toThrow(EditError);
	});

	it('refuses a second span of the same layer on the same range', () => {
		expect(() => applyOperation(base, { type: 'add', span: span('quote', 10, 40) }, context)).toThrow(/déjà/);
	});

	it('starts a todo set on its first edit', () => {
		const todo = createState({ spans: [] });
		expect(applyOperation(todo, { type: 'add', span: span('entity', 0, 3) }, context).status).toBe('in_progress');
	});

	it('moves links with a span whose range changes, and undoes it', () => {
		let state = applyOperation(base, linkOperation(base, 'speaker', 'quote:10-40', { to: 'entity:0-6' }), context);
		const op = updateSpanOperation(state, 'entity:0-6', { end: 8 });
		const moved = applyOperation(state, op, context);
		expect(moved.links.get('speaker@quote:10-40')?.to).toBe('entity:0-8');
		state = applyOperation(moved, invertOperation(op), context);
		expect(state.links.get('speaker@quote:10-40')?.to).toBe('entity:0-6');
	});

	it('removes a span with its links, and undo brings both back', () => {
		const linked = applyOperation(base, linkOperation(base, 'speaker', 'quote:10-40', { to: 'entity:0-6' }), context);
		const op = removeSpanOperation(linked, 'entity:0-6');
		const removed = applyOperation(linked, op, context);
		expect(removed.links.size).toBe(0);
		roundTrip(linked, op);
	});

	it('says which links a removal broke, in French, and none for a link removed on purpose or with its own span', () => {
		const text = '« Pour faire cesser la guerre » : Lavrov, Moscou et la Russie.';
		const at = (needle: string) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });
		const textOf = (range: { start: number; end: number }) => text.slice(range.start, range.end);
		const key = (layer: EditSpan['layer'], needle: string) => spanKey({ layer, ...at(needle) });
		let state = createState({
			spans: [
				span('quote', at('« Pour faire cesser la guerre »').start, at('« Pour faire cesser la guerre »').end, 'QUOTE'),
				span('entity', at('Lavrov').start, at('Lavrov').end),
				span('stance', at('Pour faire cesser').start, at('Pour faire cesser').end, 'STANCE'),
				span('entity', at('Russie').start, at('Russie').end, 'LOC')
			],
			status: 'in_progress'
		});
		for (const op of [
			linkOperation(state, 'speaker', key('quote', '« Pour faire cesser la guerre »'), { to: key('entity', 'Lavrov') }),
			linkOperation(state, 'holder', key('stance', 'Pour faire cesser'), { to: key('entity', 'Lavrov') }),
			linkOperation(state, 'target', key('stance', 'Pour faire cesser'), { to: key('entity', 'Russie') })
		]) state = applyOperation(state, op, context);
		const removeLavrov = applyOperation(state, removeSpanOperation(state, key('entity', 'Lavrov')), context);
		expect(describeBrokenLinks(state, removeLavrov, textOf)).toEqual([
			'la citation « « Pour faire cesser la guerre » » n’a plus de locuteur',
			'la position « Pour faire cesser » n’a plus d’auteur'
		]);
		expect(describeBrokenLinks(state, applyOperation(state, removeSpanOperation(state, key('entity', 'Russie')), context), textOf)).toEqual(['la position « Pour faire cesser » n’a plus de cible']);
		// Unlinking on purpose, removing the quote itself, or an edit that keeps the span: nothing broken.
		const unlinked = applyOperation(state, linkOperation(state, 'speaker', key('quote', '« Pour faire cesser la guerre »'), null), context);
		expect(describeBrokenLinks(state, unlinked, textOf)).toEqual([]);
		expect(describeBrokenLinks(state, applyOperation(state, removeSpanOperation(state, key('quote', '« Pour faire cesser la guerre »')), context), textOf)).toEqual([]);
		expect(describeBrokenLinks(state, applyOperation(state, updateSpanOperation(state, key('entity', 'Lavrov'), { label: 'ORG' }), context), textOf)).toEqual([]);
	});

	it('refuses links of the wrong shape', () => {
		expect(() => applyOperation(base, linkOperation(base, 'speaker', 'entity:0-6', { to: 'quote:10-40' }), context)).toThrow(/part d’une annotation « citation »/);
		expect(() => applyOperation(base, linkOperation(base, 'speaker', 'quote:10-40', { toName: 'article' }), context)).toThrow(EditError);
		const stance = applyOperation(base, { type: 'add', span: span('stance', 10, 40, 'STANCE') }, context);
		const held = applyOperation(stance, linkOperation(stance, 'holder', 'stance:10-40', { toName: 'article' }), context);
		expect(held.links.get('holder@stance:10-40')).toEqual({ kind: 'holder', from: 'stance:10-40', to: null, toName: 'article' });
	});

	it('every operation is undone by its inverse', () => {
		const suggestion = toSuggestion({ provenance: 'model:x@1', layer: 'entity', start: 50, end: 55, label: 'ORG', origin: 'model', score: 0.9, attributes: {} });
		const ops: Operation[] = [
			{ type: 'add', span: span('entity', 50, 60) },
			removeSpanOperation(base, 'quote:10-40'),
			updateSpanOperation(base, 'entity:0-6', { label: 'LOC' }),
			acceptOperation(suggestion),
			{ type: 'reject', suggestion },
			linkOperation(base, 'speaker', 'quote:10-40', { to: 'entity:0-6' }),
			{ type: 'status', before: 'in_progress', after: 'done' },
			{ type: 'batch', description: 'two', operations: [{ type: 'add', span: span('entity', 60, 62) }, { type: 'add', span: span('entity', 70, 72) }] }
		];
		for (const op of ops) roundTrip(base, op);
	});
});

describe('paragraph breaks', () => {
	// An emoji before the break: offsets are code points, not UTF-16 units.
	const text = 'Le groupe 🇫🇷 Gauche démocratique.\n\nLe ministre a parlé. « Nous\n\nrefusons », a-t-il dit.';
	const index = new OffsetIndex(text);
	const at = (needle: string) => index.toCodePoint(text.indexOf(needle));
	const paragraphs: EditContext = {
		textLength: index.length,
		paragraphBreaks: findParagraphBreaks(text),
		entityLabels: ['PER', 'LOC', 'ORG', 'MISC'],
		textOf: (range) => excerptForMessage(index.slice(range.start, range.end))
	};
	const across = span('entity', at('Gauche'), at('ministre') - 1, 'ORG');

	it('keeps an entity, a mention, a cue and a stance in their paragraph, and says which words in French', () => {
		expect(() => applyOperation(emptyState(), { type: 'add', span: across }, paragraphs)).toThrow('l’entité ORG « Gauche démocratique. Le » passe d’un paragraphe à l’autre : seule une citation peut en couvrir plusieurs');
		for (const layer of ['mention', 'cue', 'stance'] as const) {
			expect(() => applyOperation(emptyState(), { type: 'add', span: span(layer, at('Gauche'), at('ministre') - 1) }, paragraphs)).toThrow(EditError);
		}
		expect(() => applyOperation(emptyState(), acceptOperation(toSuggestion({ ...across, origin: 'model', score: 0.9, provenance: 'model:x@1' })), paragraphs)).toThrow(/passe d’un paragraphe/);
		// Up to the break is fine.
		expect(applyOperation(emptyState(), { type: 'add', span: span('entity', at('Gauche'), at('.\n')) }, paragraphs).spans.size).toBe(1);
	});

	it('lets a quote run over several paragraphs', () => {
		const quote = span('quote', at('«'), at(', a-t-il'), 'QUOTE');
		expect(applyOperation(emptyState(), { type: 'add', span: quote }, paragraphs).spans.size).toBe(1);
	});

	it('refuses a word move that takes an entity into the next paragraph', () => {
		const state = applyOperation(emptyState(), { type: 'add', span: span('entity', at('Gauche'), at('.\n')) }, paragraphs);
		const widen = updateSpanOperation(state, `entity:${at('Gauche')}-${at('.\n')}`, { end: at('ministre') - 1 });
		expect(() => applyOperation(state, widen, paragraphs)).toThrow(/« Gauche démocratique\. Le » passe d’un paragraphe à l’autre/);
	});

	it('keeps an entity imported across a break editable: relabel, narrow, remove and undo, but not widen', () => {
		const imported = createState({ spans: [{ ...across, origin: 'import', provenance: 'import:corpus.jsonl' }], status: 'in_progress' });
		const key = spanKey(across);
		const relabelled = applyOperation(imported, updateSpanOperation(imported, key, { label: 'MISC' }), paragraphs);
		expect(relabelled.spans.get(key)?.label).toBe('MISC');
		const narrowed = applyOperation(imported, updateSpanOperation(imported, key, { end: at('démocratique') + 'démocratique'.length }), paragraphs);
		expect(narrowed.spans.size).toBe(1);
		roundTrip(imported, removeSpanOperation(imported, key));
		expect(() => applyOperation(imported, updateSpanOperation(imported, key, { end: at('refusons') + 'refusons'.length }), paragraphs)).toThrow(/passe d’un paragraphe/);
		// The same span sent as a new one (no links: not the undo of a removal) is refused.
		const removed = applyOperation(imported, removeSpanOperation(imported, key), paragraphs);
		expect(() => applyOperation(removed, { type: 'add', span: across }, paragraphs)).toThrow(/passe d’un paragraphe/);
	});
});

describe('suggestions', () => {
	const suggestion = toSuggestion({ provenance: 'model:x@1', layer: 'entity', start: 10, end: 15, label: 'PER', origin: 'model', score: 0.8, attributes: {} });

	it('accepting copies provenance and score; another label makes it edited', () => {
		const op = acceptOperation(suggestion);
		expect(op).toMatchObject({ span: { provenance: 'model:x@1', origin: 'model', score: 0.8, decision: 'accepted' } });
		expect(acceptOperation(suggestion, 'ORG')).toMatchObject({ span: { label: 'ORG', decision: 'edited' } });
	});

	it('editing an accepted span marks it edited', () => {
		const state = applyOperation(createState({ spans: [] }), acceptOperation(suggestion), context);
		const op = updateSpanOperation(state, spanKey(suggestion), { end: 17 });
		expect(op).toMatchObject({ after: { decision: 'edited', provenance: 'model:x@1' } });
	});

	it('hides rejected, accepted and overlapped suggestions', () => {
		const other = toSuggestion({ ...suggestion, provenance: 'rules:y@1', start: 12, end: 20 });
		const empty = createState({ spans: [] });
		expect(visibleSuggestions(empty, [suggestion, other])).toHaveLength(2);
		const rejected = applyOperation(empty, { type: 'reject', suggestion }, context);
		expect(visibleSuggestions(rejected, [suggestion, other]).map((s) => s.key)).toEqual([other.key]);
		const accepted = applyOperation(empty, acceptOperation(suggestion), context);
		expect(visibleSuggestions(accepted, [suggestion, other])).toEqual([]);
		expect(() => applyOperation(rejected, acceptOperation(suggestion), context)).toThrow(/rejetée/);
	});

	it('a rejected model suggestion stays rejected when another model, revision or style proposes the same span and label', () => {
		const rejected = applyOperation(createState({ spans: [] }), { type: 'reject', suggestion }, context);
		const retrained = (provenance: string, label = 'PER') => toSuggestion({ ...suggestion, provenance, label });
		const same = ['model:x@2', 'model:x-20260101T1200@3', 'model:x@1~bio', 'model:other@9'].map((provenance) => retrained(provenance));
		expect(visibleSuggestions(rejected, same)).toEqual([]);
		for (const again of same) expect(() => applyOperation(rejected, acceptOperation(again), context)).toThrow(/rejetée/);
		// Another label at that range is another suggestion; the rules, the gazetteer and the memory keep their own rejections.
		const others = [retrained('model:x@2', 'ORG'), retrained('rules:gazetteer@1'), retrained('memory:default')];
		expect(visibleSuggestions(rejected, others)).toEqual(others);
		const byGazetteer = applyOperation(createState({ spans: [] }), { type: 'reject', suggestion: retrained('rules:gazetteer@1') }, context);
		expect(visibleSuggestions(byGazetteer, [suggestion, retrained('rules:gazetteer@2')])).toEqual([suggestion, retrained('rules:gazetteer@2')]);
		// Undo, on the new model's suggestion or the old one's, and the round trip through a snapshot agree.
		expect(visibleSuggestions(applyOperation(rejected, { type: 'unreject', suggestion: same[0] }, context), same)).toEqual(same);
		expect(visibleSuggestions(fromSnapshot(toSnapshot(rejected)), same)).toEqual([]);
		expect(visibleSuggestions(createState({ spans: [], rejected: [suggestion.key] }), same)).toEqual([]);
	});

	it('hides a gold suggestion once a span taken from it, carrying its annotator’s provenance, was given another range', () => {
		// The gold set's suggestions are annotators' spans; a quote alice took from the rules keeps the rules' provenance in gold.
		const quote = {
			...toSuggestion({ provenance: 'human:alice', layer: 'quote', start: 10, end: 40, label: 'QUOTE', origin: 'human', score: null, attributes: { kind: 'direct' } }),
			carries: { origin: 'rules' as const, score: null, provenance: 'rules:quotes@1', decision: 'accepted' as const }
		};
		const taken = applyOperation(createState({ spans: [] }), acceptOperation(quote), context);
		expect(taken.spans.get('quote:10-40')).toMatchObject({ origin: 'rules', provenance: 'rules:quotes@1', decision: 'accepted' });
		const moved = applyOperation(taken, updateSpanOperation(taken, 'quote:10-40', { end: 38 }), context);
		expect(moved.spans.get('quote:10-38')).toMatchObject({ provenance: 'rules:quotes@1', decision: 'edited' });
		expect(visibleSuggestions(moved, [quote])).toEqual([]);
	});

	it('replays a list of operations in order', () => {
		const state = applyOperations(createState({ spans: [] }), [{ type: 'add', span: span('entity', 0, 3) }, { type: 'add', span: span('quote', 0, 30) }], context);
		expect([...state.spans.keys()]).toEqual(['entity:0-3', 'quote:0-30']);
	});
});

describe('concurrent decisions', () => {
	it('refuses to reject a suggestion that was accepted meanwhile, as it refuses the converse', () => {
		const suggestion = { provenance: 'model:m@1', layer: 'entity' as const, start: 0, end: 6, label: 'PER' };
		const accepted = applyOperation(createState({ spans: [] }), acceptOperation({ ...suggestion, origin: 'model', score: 0.9, attributes: {} }), context);
		expect(() => applyOperation(accepted, { type: 'reject', suggestion }, context)).toThrow('cette suggestion a été acceptée ou remplacée entre-temps');
		const rejected = applyOperation(createState({ spans: [] }), { type: 'reject', suggestion }, context);
		expect(() => applyOperation(rejected, acceptOperation({ ...suggestion, origin: 'model', score: 0.9, attributes: {} }), context)).toThrow('rejetée entre-temps');
	});
	it('refuses to replay a relabel, a polarity change or a removal over a span another tab changed meanwhile', () => {
		// Both tabs saw ORG; the other tab saved LOC first. Replaying "ORG → MISC" must not erase LOC unseen.
		const seen = createState({ spans: [span('entity', 0, 6, 'ORG')] });
		const relabelled = applyOperation(seen, updateSpanOperation(seen, 'entity:0-6', { label: 'LOC' }), context);
		expect(() => applyOperation(relabelled, updateSpanOperation(seen, 'entity:0-6', { label: 'MISC' }), context)).toThrow(
			'l’annotation « LOC 0–6 » a été modifiée entre-temps'
		);
		expect(() => applyOperation(relabelled, removeSpanOperation(seen, 'entity:0-6'), context)).toThrow('modifiée entre-temps');

		const stance = { ...span('stance', 10, 20, 'STANCE'), attributes: { polarity: 'favor' } };
		const stanceSeen = createState({ spans: [stance] });
		const against = applyOperation(stanceSeen, updateSpanOperation(stanceSeen, 'stance:10-20', { attributes: { polarity: 'against' } }), context);
		expect(() => applyOperation(against, updateSpanOperation(stanceSeen, 'stance:10-20', { attributes: { polarity: 'neutral' } }), context)).toThrow(
			'l’annotation « position 10–20 » a été modifiée entre-temps'
		);
		// Unchanged meanwhile, the same operations still replay.
		expect(applyOperation(seen, updateSpanOperation(seen, 'entity:0-6', { label: 'MISC' }), context).spans.get('entity:0-6')?.label).toBe('MISC');
	});

	it('refuses to replay a link over one another tab set meanwhile', () => {
		const seen = createState({ spans: [span('quote', 10, 40, 'QUOTE'), span('entity', 0, 6), span('entity', 50, 56)] });
		const linkedElsewhere = applyOperation(seen, linkOperation(seen, 'speaker', 'quote:10-40', { to: 'entity:0-6' }), context);
		expect(() => applyOperation(linkedElsewhere, linkOperation(seen, 'speaker', 'quote:10-40', { to: 'entity:50-56' }), context)).toThrow(
			'le lien « locuteur » a été changé entre-temps'
		);
		const relinked = applyOperation(linkedElsewhere, linkOperation(linkedElsewhere, 'speaker', 'quote:10-40', { to: 'entity:50-56' }), context);
		expect(relinked.links.get('speaker@quote:10-40')?.to).toBe('entity:50-56');
	});
});

describe('a replayed change another tab already made', () => {
	it('is recognised as already there when it was made the same way, and not when it differs', () => {
		const suggestion = { provenance: 'model:m@1', layer: 'entity' as const, start: 0, end: 6, label: 'PER' };
		const accept = acceptOperation({ ...suggestion, origin: 'model', score: 0.9, attributes: {} });
		const empty = createState({ spans: [] });
		const acceptedElsewhere = applyOperation(empty, accept, context);
		// The replay fails (the span is there), and the state already holds it.
		expect(() => applyOperation(acceptedElsewhere, accept, context)).toThrow(EditError);
		expect(isAlreadyApplied(acceptedElsewhere, accept)).toBe(true);
		expect(isAlreadyApplied(acceptedElsewhere, acceptOperation({ ...suggestion, origin: 'model', score: 0.9, attributes: {} }, 'ORG'))).toBe(false);
		expect(isAlreadyApplied(empty, accept)).toBe(false);

		const reject: Operation = { type: 'reject', suggestion };
		expect(isAlreadyApplied(applyOperation(empty, reject, context), reject)).toBe(true);
		expect(isAlreadyApplied(acceptedElsewhere, reject)).toBe(false);

		const seen = createState({ spans: [span('quote', 10, 40, 'QUOTE'), span('entity', 0, 6)] });
		const link = linkOperation(seen, 'speaker', 'quote:10-40', { to: 'entity:0-6' });
		const linked = applyOperation(seen, link, context);
		expect(isAlreadyApplied(linked, link)).toBe(true);
		const acceptOther = acceptOperation({ ...suggestion, start: 50, end: 56, origin: 'model', score: 0.9, attributes: {} });
		expect(isAlreadyApplied(linked, { type: 'batch', description: 'acceptation avec ses liens', operations: [link, acceptOther] })).toBe(false);
		expect(isAlreadyApplied(linked, { type: 'batch', description: 'acceptation avec ses liens', operations: [accept, link] })).toBe(true);
		const relabel = updateSpanOperation(seen, 'entity:0-6', { label: 'LOC' });
		expect(isAlreadyApplied(applyOperation(seen, relabel, context), relabel)).toBe(true);
		expect(isAlreadyApplied(seen, relabel)).toBe(false);
	});
});

describe('a status replayed by a stale tab', () => {
	it('is refused over a status another tab set meanwhile, and says which', () => {
		// Both tabs saw « en cours »; the other tab saved « terminé » first.
		const done = createState({ spans: [], status: 'done' });
		expect(() => applyOperation(done, { type: 'status', before: 'in_progress', after: 'skipped' }, context)).toThrow(
			'le statut a été changé entre-temps (il est maintenant « terminé »)'
		);
		// The same choice made in both tabs overwrites nothing.
		expect(applyOperation(done, { type: 'status', before: 'in_progress', after: 'done' }, context).status).toBe('done');
		expect(applyOperation(createState({ spans: [], status: 'in_progress' }), { type: 'status', before: 'in_progress', after: 'skipped' }, context).status).toBe('skipped');
	});
});

describe('the undo history after the set was changed elsewhere', () => {
	it('keeps the steps that still apply and drops those another tab changed the ground of', () => {
		// This tab added Paris, then relabelled Lavrov PER → ORG; another tab then made Lavrov MISC.
		const seen = createState({ spans: [span('entity', 10, 16)], status: 'in_progress' });
		const addParis: Operation = { type: 'add', span: span('entity', 0, 5, 'LOC') };
		const afterAdd = applyOperation(seen, addParis, context);
		const relabel = updateSpanOperation(afterAdd, 'entity:10-16', { label: 'ORG' });
		const mine = applyOperation(afterAdd, relabel, context);
		const server = applyOperation(mine, updateSpanOperation(mine, 'entity:10-16', { label: 'MISC' }), context);
		// A redo of a span the other tab has added too no longer applies either.
		const redoAdd: Operation = { type: 'add', span: span('entity', 30, 35, 'LOC') };
		const elsewhere = applyOperation(server, redoAdd, context);

		const kept = keepApplicableHistory(elsewhere, { undo: [addParis, relabel], redo: [redoAdd] }, context);
		expect(kept).toEqual({ undo: [addParis], redo: [], dropped: 2 });
		// What is kept still undoes, and leaves the other tab's MISC alone.
		const undone = applyOperation(elsewhere, invertOperation(kept.undo[0]), context);
		expect([...undone.spans.values()].map((s) => `${s.start}:${s.label}`)).toEqual(['10:MISC', '30:LOC']);
	});

	it('tries each undo step on the state the later ones leave', () => {
		// Add then relabel the same span: the add is undone on the span the relabel's undo gives back.
		const empty = createState({ spans: [], status: 'in_progress' });
		const add: Operation = { type: 'add', span: span('entity', 0, 5) };
		const added = applyOperation(empty, add, context);
		const relabel = updateSpanOperation(added, 'entity:0-5', { label: 'LOC' });
		const state = applyOperation(added, relabel, context);
		expect(keepApplicableHistory(state, { undo: [add, relabel], redo: [] }, context)).toEqual({ undo: [add, relabel], redo: [], dropped: 0 });
	});
});

describe('relabelOperation', () => {
	it('renames the entity labels an operation carries or names, and nothing else', () => {
		const renamed = (label: string) => (label === 'LOC' ? 'LIEU' : label);
		const suggestion = { provenance: 'model:m@1', layer: 'entity' as const, start: 20, end: 25, label: 'LOC' };
		const op: Operation = {
			type: 'batch',
			description: 'tout accepter',
			operations: [
				{ type: 'add', span: span('entity', 0, 6, 'LOC') },
				{ type: 'update', before: span('entity', 0, 6, 'LOC'), after: span('entity', 0, 7, 'LOC') },
				{ type: 'accept', suggestion, span: { ...span('entity', 20, 25, 'LOC'), origin: 'model' } },
				{ type: 'reject', suggestion: { ...suggestion, start: 30, end: 35 } },
				{ type: 'add', span: span('cue', 40, 45, 'LOC') },
				{ type: 'status', before: 'todo', after: 'done' }
			]
		};
		const labels = (value: unknown): string[] => JSON.stringify(value).match(/"label":"[^"]+"/g) ?? [];
		expect(labels(relabelOperation(op, renamed))).toEqual([...Array(6).fill('"label":"LIEU"'), '"label":"LOC"']);
		// What the renamed operation does is what the original did under the new name.
		const state = applyOperation(createState({ spans: [], status: 'todo' }), relabelOperation(op, renamed), { ...context, entityLabels: ['PER', 'LIEU'] });
		expect([...state.spans.values()].map((s) => `${s.start}-${s.end}:${s.label}`)).toEqual(['0-7:LIEU', '20-25:LIEU', '40-45:LOC']);
	});

	it('refuses a quote kind or a polarity the schema does not list, unless an update keeps the one the span had', () => {
		const schema: EditContext = { ...context, quoteKinds: ['direct', 'indirect'], stancePolarities: ['favor', 'against'] };
		const quote = (kind: string) => ({ ...span('quote', 0, 20, 'QUOTE'), attributes: { kind } });
		const stance = (polarity: string) => ({ ...span('stance', 30, 40, 'STANCE'), attributes: { polarity } });
		const empty = createState({ spans: [] });
		expect(() => applyOperation(empty, { type: 'add', span: quote('mixte') }, schema)).toThrow(
			'le type de citation « mixte » n’est pas (ou plus) dans le schéma du projet (direct, indirect) : rechargez la page pour prendre le schéma actuel'
		);
		expect(() => applyOperation(createState({ spans: [stance('favor')] }), { type: 'update', before: stance('favor'), after: stance('neutral') }, schema)).toThrow(/la polarité « neutral » n’est pas \(ou plus\)/);
		expect(applyOperation(empty, { type: 'add', span: quote('indirect') }, schema).spans.size).toBe(1);
		// An imported quote of another kind can still be moved; it keeps its kind.
		const imported = createState({ spans: [quote('mixte')] });
		const moved = applyOperation(imported, { type: 'update', before: quote('mixte'), after: { ...quote('mixte'), end: 25 } }, schema);
		expect(moved.spans.get('quote:0-25')?.attributes.kind).toBe('mixte');
	});

	it('says in French that a label is not in the schema, and what to do', () => {
		expect(() => applyOperation(createState({ spans: [] }), { type: 'add', span: span('entity', 0, 6, 'PERSONNE') }, context)).toThrow(
			'l’étiquette PERSONNE n’est pas (ou plus) dans le schéma du projet (PER, LOC, ORG, MISC) : rechargez la page pour prendre le schéma actuel'
		);
	});
});

describe('describeOperation', () => {
	it('names what changed in French, for undo notices and the audit trail', () => {
		const stance = { ...span('stance', 10, 20), attributes: { polarity: 'favor' } };
		expect(describeOperation({ type: 'update', before: stance, after: { ...stance, attributes: { polarity: 'against' } } })).toBe(
			'modification position 10–20 : favor → against'
		);
		expect(describeOperation({ type: 'update', before: span('entity', 0, 6), after: span('entity', 0, 8) })).toBe('modification PER 0–6 → PER 0–8');
		expect(describeOperation({ type: 'link', kind: 'target', from: 'stance:10-20', before: null, after: { kind: 'target', from: 'stance:10-20', to: 'entity:0-6', name: null } as never })).toBe('lien cible');
		expect(describeOperation({ type: 'status', before: 'in_progress', after: 'done' })).toBe('statut terminé');
	});

	it('names spans by their words when given the text, so that an undo notice says which one', () => {
		const text = 'Lavrov a parlé à l’Otan.';
		const textOf = (range: { start: number; end: number }) => [...text].slice(range.start, range.end).join('');
		const otan = { provenance: 'model:x@1', layer: 'entity' as const, start: 19, end: 23, label: 'ORG' };
		expect(describeOperation({ type: 'reject', suggestion: otan }, textOf)).toBe('rejet ORG « Otan »');
		expect(describeOperation({ type: 'update', before: span('entity', 0, 6), after: span('entity', 0, 8) }, textOf)).toBe('modification PER « Lavrov » → PER « Lavrov a »');
	});
});

describe('gold set rules', () => {
	const gold: EditContext = { ...context, goldSet: true };
	const done = createState({ spans: [span('entity', 0, 6)], status: 'done' });

	it('locks a finished review: only reopening it applies, also inside a batch', () => {
		const add: Operation = { type: 'add', span: span('entity', 20, 25, 'LOC') };
		expect(() => applyOperation(done, add, gold)).toThrow(/la relecture est terminée/);
		expect(() => applyOperation(done, { type: 'batch', description: 'lot', operations: [add] }, gold)).toThrow(/la relecture est terminée/);
		expect(() => applyOperation(done, removeSpanOperation(done, 'entity:0-6'), gold)).toThrow(/la relecture est terminée/);
		const reopened = applyOperations(done, [{ type: 'status', before: 'done', after: 'in_progress' }, add], gold);
		expect([...reopened.spans.keys()]).toEqual(['entity:0-6', 'entity:20-25']);
		// An annotator's finished set stays editable.
		expect(applyOperation(done, add, context).spans.size).toBe(2);
	});

	it('has no « to do » or « skipped » status', () => {
		const open = createState({ spans: [], status: 'in_progress' });
		expect(() => applyOperation(open, { type: 'status', before: 'in_progress', after: 'skipped' }, gold)).toThrow(/pas de statut « ignoré »/);
		expect(() => applyOperation(open, { type: 'status', before: 'in_progress', after: 'todo' }, gold)).toThrow(/pas de statut « à faire »/);
		expect(applyOperation(open, { type: 'status', before: 'in_progress', after: 'done' }, gold).status).toBe('done');
	});
});

describe('doubts', () => {
	const text = 'Lavrov a parlé au Kremlin, dit-il.';
	const textOf = (range: { start: number; end: number }) => [...text].slice(range.start, range.end).join('');
	const kremlin = { ...span('entity', 18, 25, 'LOC'), origin: 'model' as const, score: 0.8, provenance: 'model:x@1', decision: 'accepted' as const };
	const base = createState({ spans: [kremlin, { ...span('quote', 0, 30), attributes: { kind: 'direct' } }], status: 'in_progress' });

	it('marks a span of any layer with a note, keeping its label, range, kind and decision; undo lifts it', () => {
		const op = doubtOperation(base, 'entity:18-25', { note: '  LOC ou\nORG ici ? ' });
		const doubted = applyOperation(base, op, context);
		expect(doubted.spans.get('entity:18-25')).toEqual({ ...kremlin, attributes: { doubt: { note: 'LOC ou ORG ici ?' } } });
		const quote = applyOperation(base, doubtOperation(base, 'quote:0-30', { note: '' }), context);
		expect(quote.spans.get('quote:0-30')?.attributes).toEqual({ kind: 'direct', doubt: { note: null } });
		roundTrip(base, op);
		expect(describeOperation(op, textOf)).toBe('doute sur LOC « Kremlin » : « LOC ou ORG ici ? »');
		expect(describeOperation(invertOperation(op), textOf)).toBe('doute levé sur LOC « Kremlin »');
	});

	it('is lifted by a null doubt, and stays on the span through a relabel', () => {
		const doubted = applyOperation(base, doubtOperation(base, 'entity:18-25', { note: 'ORG ?' }), context);
		const relabelled = applyOperation(doubted, updateSpanOperation(doubted, 'entity:18-25', { label: 'ORG' }), context);
		expect(relabelled.spans.get('entity:18-25')?.attributes).toEqual({ doubt: { note: 'ORG ?' } });
		const lifted = applyOperation(relabelled, doubtOperation(relabelled, 'entity:18-25', null), context);
		expect(lifted.spans.get('entity:18-25')?.attributes).toEqual({});
	});

	it('refuses, as the save service replays it, a doubt that is not { note } or a note too long', () => {
		const sent = (doubt: unknown): Operation => ({ type: 'update', before: kremlin, after: { ...kremlin, attributes: { doubt } as never } });
		expect(() => applyOperation(base, sent('LOC ?'), context)).toThrow('un doute est un objet { note }');
		expect(() => applyOperation(base, sent({ note: 3 }), context)).toThrow('la note d’un doute est un texte');
		expect(() => applyOperation(base, doubtOperation(base, 'entity:18-25', { note: 'x'.repeat(281) }), context)).toThrow(/280 caractères/);
		expect(() => applyOperation(base, { type: 'add', span: { ...span('entity', 0, 6), attributes: { doubt: {} as never } } }, context)).toThrow(/objet/);
	});

	it('is a change of the span another tab must not overwrite: a stale relabel is refused, the same doubt is already done', () => {
		const doubt = doubtOperation(base, 'entity:18-25', { note: 'ORG ?' });
		const elsewhere = applyOperation(base, doubt, context);
		expect(() => applyOperation(elsewhere, updateSpanOperation(base, 'entity:18-25', { label: 'ORG' }), context)).toThrow(/modifiée entre-temps/);
		expect(isAlreadyApplied(elsewhere, doubt)).toBe(true);
	});
});
