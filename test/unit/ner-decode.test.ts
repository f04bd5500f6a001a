// Label schemes, label mapping, span decoding (whole words, elision, scores) and windows.
import { describe, expect, it } from 'vitest';
import { tokenizeWords } from '../../src/lib/domain/tokens';
import { createLabelResolver, detectTaggingScheme, parseLabelMap, parseModelLabel } from '../../src/lib/domain/ner/labels';
import { decodeEntitySpans, decodeWordLabels, joinTouchingSpans, logSoftmaxRow, transitionAllowed, type WordPrediction } from '../../src/lib/domain/ner/decode';
import { chooseWindowPerWord, planWindows } from '../../src/lib/domain/ner/windows';
import { bioTagsToSpans, EntityScorer, joinTokensWithOffsets } from '../../src/lib/domain/ner/metrics';
import { sliceCodePoints } from '../../src/lib/domain/offsets';
import { groupWordsIntoUnits, wordsToUnits } from '../../src/lib/domain/ner/units';

const PROJECT = ['PER', 'LOC', 'ORG', 'MISC'];

/** Decodes `text` with one label per word given as a string (model labels). */
function decode(text: string, id2label: string[], labels: string[], options: { map?: Record<string, string | null>; warn?: (m: string) => void } = {}) {
	const words = tokenizeWords(text);
	expect(labels, 'one label per word').toHaveLength(words.length);
	const resolver = createLabelResolver(id2label, { projectLabels: PROJECT, ...options });
	const predictions: WordPrediction[] = labels.map((label, i) => ({ labelId: id2label.indexOf(label), probability: 0.5 + i / 100 }));
	for (const p of predictions) expect(p.labelId).toBeGreaterThanOrEqual(0);
	return decodeEntitySpans(words, predictions, resolver).map((s) => ({ ...s, text: sliceCodePoints(text, s.start, s.end) }));
}

const BIO = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG', 'B-MISC', 'I-MISC'];

describe('labels', () => {
	it('parses prefixes and detects schemes', () => {
		expect(parseModelLabel('B-PER')).toEqual({ prefix: 'B', type: 'PER' });
		expect(parseModelLabel('E-ORG')).toEqual({ prefix: 'L', type: 'ORG' });
		expect(parseModelLabel('S_LOC')).toEqual({ prefix: 'U', type: 'LOC' });
		expect(parseModelLabel('PERSON')).toEqual({ prefix: null, type: 'PERSON' });
		expect(parseModelLabel('O')).toEqual({ prefix: 'O', type: null });
		expect(detectTaggingScheme(BIO)).toBe('bio');
		expect(detectTaggingScheme(['O', 'I-PER', 'I-LOC', 'B-LOC'])).toBe('iob1');
		expect(detectTaggingScheme(['O', 'B-PER', 'I-PER', 'L-PER', 'U-PER'])).toBe('bilou');
		expect(detectTaggingScheme(['O', 'B-PER', 'I-PER', 'E-PER', 'S-PER'])).toBe('bilou');
		expect(detectTaggingScheme(['O', 'PER', 'LOC'])).toBe('plain');
	});

	it('parses the configured label map and refuses malformed entries', () => {
		expect(parseLabelMap('PERSON=PER, GPE=LOC,DATE=')).toEqual({ PERSON: 'PER', GPE: 'LOC', DATE: null });
		expect(() => parseLabelMap('PERSON')).toThrow(/not FROM=TO/);
	});

	it('maps long names, drops unknown labels with one warning per label', () => {
		const warnings: string[] = [];
		const id2label = ['O', 'B-PERSON', 'I-PERSON', 'B-DATE', 'I-DATE', 'B-GPE'];
		const resolver = createLabelResolver(id2label, { projectLabels: PROJECT, warn: (m) => warnings.push(m) });
		expect(resolver.resolve(1)).toEqual(expect.objectContaining({ prefix: 'B', type: 'PER' }));
		expect(resolver.resolve(5)).toEqual(expect.objectContaining({ prefix: 'B', type: 'LOC' }));
		for (let i = 0; i < 5; i++) expect(resolver.resolve(3).type).toBeNull();
		resolver.resolve(4);
		resolver.resolve(4);
		expect(warnings).toHaveLength(2);
		expect(warnings[0]).toMatch(/"B-DATE"/);
		expect(warnings[1]).toMatch(/"I-DATE"/);
	});

	it('a label renamed on the settings page receives its former name, directly or through the defaults', () => {
		const warnings: string[] = [];
		const renamed = ['PERS', 'LOC', 'ORG', 'EVT'];
		const resolver = createLabelResolver(['O', 'B-PER', 'B-PERSON', 'B-MISC', 'B-DATE'], {
			projectLabels: renamed,
			formerNames: { PER: 'PERS', MISC: 'EVT' },
			warn: (m) => warnings.push(m)
		});
		expect([1, 2, 3, 4].map((id) => resolver.resolve(id).type)).toEqual(['PERS', 'PERS', 'EVT', null]);
		expect(warnings).toEqual([expect.stringMatching(/"B-DATE"/)]);
	});

	it('an explicit map wins, and an empty target drops silently', () => {
		const warnings: string[] = [];
		const resolver = createLabelResolver(['O', 'B-DATE', 'B-PER', 'B-X'], { projectLabels: PROJECT, map: { DATE: 'MISC', PER: null, 'B-X': 'ORG' }, warn: (m) => warnings.push(m) });
		expect(resolver.resolve(1).type).toBe('MISC');
		expect(resolver.resolve(2).type).toBeNull();
		expect(resolver.resolve(3).type).toBe('ORG');
		expect(warnings).toEqual([]);
	});
});

describe('decodeEntitySpans', () => {
	it('BIO: spans of whole words, I after O starts an entity, B splits', () => {
		const spans = decode('Emmanuel Macron et Sergueï Lavrov à Paris', BIO, ['B-PER', 'I-PER', 'O', 'I-PER', 'B-PER', 'O', 'B-LOC']);
		expect(spans.map((s) => [s.label, s.text])).toEqual([
			['PER', 'Emmanuel Macron'],
			['PER', 'Sergueï'],
			['PER', 'Lavrov'],
			['LOC', 'Paris']
		]);
	});

	it('joinTouchingSpans: touching entities of one label become one, with the mean score of their words', () => {
		const text = 'M. Paul Deschanel reçoit Wilson , Lloyd George à Paris Lyon';
		const words = tokenizeWords(text);
		const tags = ['B-PER', 'I-PER', 'I-PER', 'B-PER', 'O', 'B-PER', 'O', 'B-PER', 'B-PER', 'O', 'B-LOC', 'B-ORG'];
		const resolver = createLabelResolver(BIO, { projectLabels: PROJECT });
		const predictions: WordPrediction[] = tags.map((tag, i) => ({ labelId: BIO.indexOf(tag), probability: i % 2 ? 0.9 : 0.5 }));
		const joined = joinTouchingSpans(decodeEntitySpans(words, predictions, resolver), predictions);
		expect(joined.map((s) => [s.label, sliceCodePoints(text, s.start, s.end)])).toEqual([
			['PER', 'M. Paul Deschanel'],
			['PER', 'Wilson'],
			['PER', 'Lloyd George'],
			['LOC', 'Paris'],
			['ORG', 'Lyon']
		]);
		// M. (0.5) . (0.9) Paul (0.5) Deschanel (0.9): the tokeniser splits `M.` in two words.
		expect(words.slice(0, 4).map((w) => w.text)).toEqual(['M', '.', 'Paul', 'Deschanel']);
		expect(joined[0].score).toBeCloseTo(0.7);
		expect([joined[0].firstWord, joined[0].lastWord]).toEqual([0, 4]);
		expect(joinTouchingSpans([], [])).toEqual([]);
	});

	it('IOB1: I- everywhere, B- only between adjacent entities of one type', () => {
		const id2label = ['O', 'I-PER', 'B-PER', 'I-LOC'];
		const spans = decode('Jean Dupont Marie Curie à Lyon', id2label, ['I-PER', 'I-PER', 'B-PER', 'I-PER', 'O', 'I-LOC']);
		expect(spans.map((s) => s.text)).toEqual(['Jean Dupont', 'Marie Curie', 'Lyon']);
	});

	it('BILOU / BIOES', () => {
		const id2label = ['O', 'B-PERSON', 'I-PERSON', 'L-PERSON', 'U-LOCATION', 'U-PERSON'];
		const spans = decode('Jean Pierre Dupont va à Lyon avec Marie', id2label, ['B-PERSON', 'I-PERSON', 'L-PERSON', 'O', 'O', 'U-LOCATION', 'O', 'U-PERSON']);
		expect(spans.map((s) => [s.label, s.text])).toEqual([
			['PER', 'Jean Pierre Dupont'],
			['LOC', 'Lyon'],
			['PER', 'Marie']
		]);
		const bioes = ['O', 'B-ORG', 'E-ORG', 'S-LOC'];
		expect(decode('Banque Mondiale Paris', bioes, ['B-ORG', 'E-ORG', 'S-LOC']).map((s) => s.text)).toEqual(['Banque Mondiale', 'Paris']);
		// Two U in a row are two entities.
		expect(decode('Paris Lyon', ['O', 'U-LOC'], ['U-LOC', 'U-LOC']).map((s) => s.text)).toEqual(['Paris', 'Lyon']);
	});

	it('plain labels: a run of one label is one entity', () => {
		const spans = decode('Le Kremlin de Moscou', ['O', 'ORG', 'LOC'], ['O', 'ORG', 'O', 'LOC']);
		expect(spans.map((s) => [s.label, s.text])).toEqual([
			['ORG', 'Kremlin'],
			['LOC', 'Moscou']
		]);
	});

	it('elision: Otan for l’Otan and l\'Otan, whatever the article was labelled', () => {
		for (const text of ['selon l’Otan .', "selon l'Otan ."]) {
			expect(decode(text, BIO, ['O', 'O', 'B-ORG', 'O']).map((s) => s.text)).toEqual(['Otan']);
			expect(decode(text, BIO, ['O', 'B-ORG', 'I-ORG', 'O']).map((s) => s.text)).toEqual(['Otan']);
			expect(decode(text, BIO, ['O', 'B-ORG', 'B-ORG', 'O']).map((s) => s.text)).toEqual(['Otan']);
		}
		// Inside a name an elision is kept: Banque d’Angleterre.
		expect(decode('la Banque d’Angleterre', BIO, ['O', 'B-ORG', 'I-ORG', 'I-ORG']).map((s) => s.text)).toEqual(['Banque d’Angleterre']);
	});

	it('punctuation: an entity never begins or ends with a comma, a quote or a dash, unless it opened the mark', () => {
		// The model ran the name onto the comma after it (seen on a real article).
		expect(decode('selon Michel Larqué , ancien joueur', BIO, ['O', 'B-PER', 'I-PER', 'I-PER', 'O', 'O']).map((s) => s.text)).toEqual(['Michel Larqué']);
		expect(decode('du « Daily Herald » de Londres', BIO, ['O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'O', 'B-LOC']).map((s) => s.text)).toEqual(['Daily Herald', 'Londres']);
		expect(decode('— Paris : la Seine', BIO, ['B-LOC', 'I-LOC', 'I-LOC', 'O', 'B-LOC']).map((s) => s.text)).toEqual(['Paris', 'Seine']);
		// A closing mark the entity opened stays; one it did not open goes.
		expect(decode('le Parti ( socialiste ) vote', BIO, ['O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'O']).map((s) => s.text)).toEqual(['Parti ( socialiste )']);
		expect(decode('( le Parti socialiste ) vote', BIO, ['O', 'O', 'B-ORG', 'I-ORG', 'I-ORG', 'O']).map((s) => s.text)).toEqual(['Parti socialiste']);
		expect(decode('le film " Le Cid " sort', BIO, ['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O']).map((s) => s.text)).toEqual(['Le Cid']);
		// `!`, `?` and `+` end names in the training data; they stay.
		expect(decode('sur Yahoo !', BIO, ['O', 'B-ORG', 'I-ORG']).map((s) => s.text)).toEqual(['Yahoo !']);
		// A span of punctuation alone is no span; two names a comma joined stay two.
		expect(decode('Lavrov , Stoltenberg', BIO, ['O', 'B-PER', 'O'])).toEqual([]);
		expect(decode('Lavrov , Stoltenberg', BIO, ['B-PER', 'I-PER', 'B-PER']).map((s) => [s.text, s.firstWord, s.lastWord])).toEqual([
			['Lavrov', 0, 1],
			['Stoltenberg', 2, 3]
		]);
	});

	it('emoji: an entity never begins or ends with one, whatever the model labelled it', () => {
		// The emoji is one unknown piece to the model, which ran the name onto it (seen on an import).
		expect(decode('Emmanuel Macron 😀 a parlé', BIO, ['B-PER', 'I-PER', 'I-PER', 'O', 'O']).map((s) => [s.text, s.start, s.end])).toEqual([['Emmanuel Macron', 0, 15]]);
		expect(decode('👩‍👩‍👧 Angela Merkel 🇩🇪 à Berlin', BIO, ['B-PER', 'I-PER', 'I-PER', 'I-PER', 'O', 'B-LOC']).map((s) => [s.text, s.start, s.end])).toEqual([
			['Angela Merkel', 6, 19],
			['Berlin', 25, 31]
		]);
		expect(decode('© AFP', BIO, ['B-ORG', 'I-ORG']).map((s) => s.text)).toEqual(['AFP']);
		// An emoji alone is no entity; digits, which emoji sequences may contain, stay in names.
		expect(decode('le 😀 rit', BIO, ['O', 'B-MISC', 'O'])).toEqual([]);
		expect(decode('sur Stade 2', BIO, ['O', 'B-MISC', 'I-MISC']).map((s) => s.text)).toEqual(['Stade 2']);
	});

	it('score is the mean probability of the span’s words; offsets are code points', () => {
		const text = '😀 Emmanuel Macron';
		const spans = decode(text, BIO, ['O', 'B-PER', 'I-PER']);
		expect(spans[0]).toMatchObject({ start: 2, end: 17, text: 'Emmanuel Macron' });
		expect(spans[0].score).toBeCloseTo((0.51 + 0.52) / 2, 10);
	});
});

/** Log-probabilities (words × labels) from per-word probability maps; unlisted labels share the rest. */
function wordScores(id2label: string[], words: Record<string, number>[]): Float32Array {
	const scores = new Float32Array(words.length * id2label.length);
	words.forEach((probabilities, w) => {
		const listed = Object.values(probabilities).reduce((a, b) => a + b, 0);
		const rest = (1 - listed) / (id2label.length - Object.keys(probabilities).length);
		id2label.forEach((label, k) => (scores[w * id2label.length + k] = Math.log(probabilities[label] ?? rest)));
	});
	return scores;
}

describe('decodeWordLabels (constrained decoding)', () => {
	const resolver = createLabelResolver(BIO, { projectLabels: PROJECT });
	const labelsOf = (predictions: WordPrediction[], id2label = BIO) => predictions.map((p) => id2label[p.labelId]);

	it('BIO: an I may only continue a B or I of its own type', () => {
		const allowed = (a: string | null, b: string | null) =>
			transitionAllowed('bio', a === null ? null : resolver.labels[BIO.indexOf(a)], b === null ? null : resolver.labels[BIO.indexOf(b)]);
		expect(allowed('B-PER', 'I-PER')).toBe(true);
		expect(allowed('I-PER', 'I-PER')).toBe(true);
		expect(allowed('O', 'I-PER')).toBe(false);
		expect(allowed(null, 'I-PER')).toBe(false);
		expect(allowed('B-LOC', 'I-PER')).toBe(false);
		expect(allowed('I-PER', 'B-PER')).toBe(true);
		expect(allowed('I-PER', null)).toBe(true);
	});

	it('repairs "O I-PER" with the probabilities: the B reading or the O reading, whichever is likelier', () => {
		// Word 1 is barely O; word 2 is surely inside a PER: the best valid path is B-PER I-PER.
		const begin = decodeWordLabels(wordScores(BIO, [{ O: 0.5, 'B-PER': 0.45 }, { 'I-PER': 0.9 }]), BIO.length, resolver);
		expect(labelsOf(begin)).toEqual(['B-PER', 'I-PER']);
		expect(begin[0].probability).toBeCloseTo(0.45, 5);
		// Word 1 is surely O and word 2 hesitates between I-PER and B-PER: B-PER.
		const alone = decodeWordLabels(wordScores(BIO, [{ O: 0.95 }, { 'I-PER': 0.5, 'B-PER': 0.4 }]), BIO.length, resolver);
		expect(labelsOf(alone)).toEqual(['O', 'B-PER']);
		// Unconstrained, the same scores give the invalid argmax sequence.
		expect(labelsOf(decodeWordLabels(wordScores(BIO, [{ O: 0.95 }, { 'I-PER': 0.5, 'B-PER': 0.4 }]), BIO.length, resolver, false))).toEqual(['O', 'I-PER']);
	});

	it('does not let a type change inside an entity', () => {
		const scores = wordScores(BIO, [{ 'B-ORG': 0.6, 'B-LOC': 0.3 }, { 'I-LOC': 0.5, 'I-ORG': 0.45 }, { 'I-LOC': 0.5, 'I-ORG': 0.45 }]);
		const labels = labelsOf(decodeWordLabels(scores, BIO.length, resolver));
		// Either one ORG or one LOC of three words, never B-ORG I-LOC.
		expect([
			['B-ORG', 'I-ORG', 'I-ORG'],
			['B-LOC', 'I-LOC', 'I-LOC']
		]).toContainEqual(labels);
		// 0.6·0.45·0.45 > 0.3·0.5·0.5: the ORG reading.
		expect(labels).toEqual(['B-ORG', 'I-ORG', 'I-ORG']);
	});

	it('keeps a valid argmax sequence unchanged', () => {
		const probabilities: Record<string, number>[] = [{ 'B-PER': 0.8 }, { 'I-PER': 0.7 }, { O: 0.9 }, { 'B-LOC': 0.6 }, { 'B-LOC': 0.55 }];
		expect(labelsOf(decodeWordLabels(wordScores(BIO, probabilities), BIO.length, resolver))).toEqual(['B-PER', 'I-PER', 'O', 'B-LOC', 'B-LOC']);
	});

	it('BILOU: an entity is closed by L, and U stands alone', () => {
		const id2label = ['O', 'B-PER', 'I-PER', 'L-PER', 'U-PER'];
		const bilou = createLabelResolver(id2label, { projectLabels: PROJECT });
		expect(bilou.scheme).toBe('bilou');
		// The argmax "B-PER O" leaves an entity open; the best closed reading is B-PER L-PER.
		const scores = wordScores(id2label, [{ 'B-PER': 0.7, 'U-PER': 0.25 }, { O: 0.5, 'L-PER': 0.45 }]);
		expect(labelsOf(decodeWordLabels(scores, id2label.length, bilou), id2label)).toEqual(['B-PER', 'L-PER']);
	});

	it('IOB1 and plain labels: every sequence is valid, so the argmax', () => {
		const id2label = ['O', 'I-PER', 'I-LOC', 'B-LOC'];
		const iob1 = createLabelResolver(id2label, { projectLabels: PROJECT });
		const scores = wordScores(id2label, [{ O: 0.9 }, { 'I-PER': 0.9 }, { 'I-LOC': 0.5, O: 0.4 }]);
		expect(labelsOf(decodeWordLabels(scores, id2label.length, iob1), id2label)).toEqual(['O', 'I-PER', 'I-LOC']);
	});

	it('a label that maps to no project label is O for the constraints too', () => {
		const id2label = ['O', 'B-PER', 'I-PER', 'B-DATE', 'I-DATE'];
		const dropped = createLabelResolver(id2label, { projectLabels: PROJECT, map: { DATE: null } });
		// I-PER after B-DATE (read as O) is invalid; B-PER is the valid alternative.
		const scores = wordScores(id2label, [{ 'B-DATE': 0.9 }, { 'I-PER': 0.6, 'B-PER': 0.3 }]);
		expect(labelsOf(decodeWordLabels(scores, id2label.length, dropped), id2label)).toEqual(['B-DATE', 'B-PER']);
	});

	it('reads logits through a log-softmax, and refuses mismatched shapes', () => {
		const out = new Float32Array(3);
		logSoftmaxRow([9, 1, 2, 3], 1, 3, out, 0);
		const probabilities = Array.from(out, Math.exp);
		expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
		expect(probabilities[2] / probabilities[1]).toBeCloseTo(Math.E, 5);
		expect(decodeWordLabels(new Float32Array(0), BIO.length, resolver)).toEqual([]);
		expect(() => decodeWordLabels(new Float32Array(10), BIO.length, resolver)).toThrow(/not a multiple/);
		expect(() => decodeWordLabels(new Float32Array(8), 4, resolver)).toThrow(/resolver has 9/);
	});
});

describe('windows', () => {
	const check = (counts: number[], starts: boolean[], budget: number, overlap: number) => {
		const windows = planWindows(counts, starts, budget, overlap);
		expect(windows[0].start).toBe(0);
		expect(windows.at(-1)!.end).toBe(counts.length);
		for (let w = 0; w < windows.length; w++) {
			const size = counts.slice(windows[w].start, windows[w].end).reduce((a, c) => a + Math.min(Math.max(c, 1), budget), 0);
			expect(size).toBeLessThanOrEqual(budget);
			if (w > 0) {
				expect(windows[w].start).toBeGreaterThan(windows[w - 1].start);
				expect(windows[w].start).toBeLessThanOrEqual(windows[w - 1].end);
			}
		}
		const chosen = chooseWindowPerWord(windows, counts, budget);
		chosen.forEach((w, i) => expect(windows[w].start <= i && i < windows[w].end).toBe(true));
		return { windows, chosen };
	};

	it('keeps sentences whole when they fit, with overlap', () => {
		// 10 sentences of 10 words of 1 piece; windows of 35 pieces.
		const counts = new Array(100).fill(1);
		const starts = counts.map((_, i) => i % 10 === 0);
		const { windows } = check(counts, starts, 35, 10);
		for (const window of windows) {
			expect(starts[window.start]).toBe(true);
			if (window.end < 100) expect(starts[window.end]).toBe(true);
		}
	});

	it('cuts a sentence longer than a window between words; a giant word still gets a window', () => {
		const counts = [...new Array(300).fill(2), 5000, ...new Array(50).fill(1)];
		const starts = counts.map((_, i) => i === 0 || i === 301);
		const { windows } = check(counts, starts, 64, 16);
		expect(windows.length).toBeGreaterThan(9);
	});

	it('a window cut back to a sentence start never makes the next one repeat it', () => {
		const counts = [...new Array(30).fill(1), ...new Array(20).fill(30), ...new Array(10).fill(1)];
		const starts = counts.map((_, i) => i === 0 || i === 30 || i === 50);
		const { windows } = check(counts, starts, 100, 48);
		for (let w = 1; w < windows.length; w++) expect(windows[w].end).toBeGreaterThan(windows[w - 1].end);
		expect(windows.length).toBeLessThanOrEqual(12);
	});

	it('takes each word from the window where it is furthest from an edge', () => {
		const counts = new Array(20).fill(1);
		const starts = counts.map((_, i) => i === 0);
		const { windows, chosen } = check(counts, starts, 10, 4);
		expect(windows[0]).toEqual({ start: 0, end: 10 });
		expect(windows[1].start).toBe(6);
		// Word 7 is 1 piece from the first window's edge but 1 from the second's start: the first wins ties;
		// word 9 is 0 from the first window's end and 3 from the second's start: the second wins.
		expect(chosen[9]).toBe(1);
		expect(chosen[2]).toBe(0);
	});
});

describe('model units', () => {
	const units = (text: string) => {
		const words = tokenizeWords(text);
		const groups = groupWordsIntoUnits(words);
		// Every word is in exactly one unit, in order.
		expect(groups.flatMap((g) => Array.from({ length: g.end - g.start }, (_, k) => g.start + k))).toEqual(words.map((_, i) => i));
		return wordsToUnits(words, groups).map((u) => sliceCodePoints(text, u.start, u.end));
	};

	it('glues hyphenated compounds and a split elision, as NER corpora tokenise them', () => {
		expect(units('Jean-Marie Le Pen aux États-Unis')).toEqual(['Jean-Marie', 'Le', 'Pen', 'aux', 'États-Unis']);
		expect(units('Saint-Martin-de-Ré 😀-x')).toEqual(['Saint-Martin-de-Ré', '😀', '-', 'x']);
		expect(units("la région d' Ancerville")).toEqual(['la', 'région', "d'", 'Ancerville']);
		expect(units('M. Lavrov et J. Stoltenberg à Paris.')).toEqual(['M.', 'Lavrov', 'et', 'J.', 'Stoltenberg', 'à', 'Paris', '.']);
	});

	it('keeps an elision attached to its word apart, and a free-standing dash alone', () => {
		expect(units('selon l’Otan - et l\'Onu')).toEqual(['selon', 'l’', 'Otan', '-', 'et', "l'", 'Onu']);
		expect(units('a -b')).toEqual(['a', '-', 'b']);
	});
});

describe('metrics', () => {
	it('rebuilds sentences with code-point offsets and reads BIO spans', () => {
		const { text, offsets } = joinTokensWithOffsets(['😀', 'Jean', 'Dupont', 'à', 'Paris']);
		expect(text).toBe('😀 Jean Dupont à Paris');
		const spans = bioTagsToSpans(['O', 'B-PER', 'I-PER', 'O', 'I-LOC'], offsets);
		expect(spans).toEqual([
			{ start: 2, end: 13, label: 'PER' },
			{ start: 16, end: 21, label: 'LOC' }
		]);
	});

	it('scores exact and relaxed matches', () => {
		const scorer = new EntityScorer();
		scorer.add(
			[
				{ start: 0, end: 10, label: 'PER' },
				{ start: 20, end: 25, label: 'LOC' }
			],
			[
				{ start: 0, end: 10, label: 'PER' },
				{ start: 18, end: 23, label: 'LOC' },
				{ start: 30, end: 35, label: 'ORG' }
			]
		);
		const report = scorer.report();
		expect(report.exact.micro).toMatchObject({ tp: 1, fp: 2, fn: 1 });
		expect(report.relaxed.micro).toMatchObject({ tp: 2, fp: 1, fn: 0 });
		expect(report.relaxed.perLabel.LOC.f1).toBe(1);
		expect(report.exact.micro.precision).toBeCloseTo(1 / 3);
	});
});
