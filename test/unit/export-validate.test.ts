// The export validator on hand-broken files: each kind of corruption is caught, on its line,
// and the valid exports of the fixture corpus pass.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConllChecker, validateExportLine, type RecordProblem } from '../../src/lib/domain/export/validate-record';

const FIXTURES = path.resolve(__dirname, '../fixtures/export');

function validate(name: string): RecordProblem[] {
	const lines = fs.readFileSync(path.join(FIXTURES, name), 'utf8').split('\n');
	if (name.endsWith('.conll')) {
		const checker = createConllChecker();
		return lines.flatMap((line, i) => checker.check(line, i + 1));
	}
	return lines.flatMap((line, i) => (line.trim() === '' ? [] : validateExportLine(line).map((message) => ({ line: i + 1, message }))));
}

describe('export validator', () => {
	it.each(['valid-spans.jsonl', 'valid-bio.jsonl', 'valid.conll'])('accepts %s', (name) => {
		expect(validate(name)).toEqual([]);
	});

	it.each([
		['invalid-utf16-offsets.jsonl', /entities\[\d\] "e\d": text "Otan" differs from the text at \d+–\d+/],
		['invalid-out-of-bounds.jsonl', /entities\[8\] "e9": offsets \d+–\d+ are outside the text/],
		['invalid-dangling-link.jsonl', /quotes\[0\] "q1": speaker "e99" is not a span of this record/],
		['invalid-wrong-link-kind.jsonl', /quotes\[0\] "q1": cue "e1" is one of entities, expected cues/],
		['invalid-bio-sequence.jsonl', /tokens\[1\]\.ner: "I-LOC" follows "B-PER"/],
		['invalid-ner-mismatch.jsonl', /tokens\[0\]\.ner is "B-LOC" but the entities give "B-PER"/],
		['invalid-tokens-overlap.jsonl', /tokens\[3\]: starts at 14, before the previous token ends \(15\)/],
		['invalid-token-missing.jsonl', /tokens\[5\]: " la " at \d+–\d+ is not whitespace and is in no token/],
		['invalid-token-text.jsonl', /tokens\[2\]: text "Munik" differs from the text/],
		['invalid-offset-unit.jsonl', /offset_unit is "utf16", expected "codepoint"/],
		['invalid-duplicate-id.jsonl', /entities\[1\] "e1": id is also used by entities/],
		['invalid-span-text.jsonl', /entities\[0\] "e1": text "Lavrov " differs from the text at 0–6 \("Lavrov"\)/],
		['invalid-json.jsonl', /not valid JSON/]
	])('catches %s on line 2', (name, message) => {
		const problems = validate(name);
		expect(problems.length).toBeGreaterThan(0);
		expect(problems.every((problem) => problem.line === 2)).toBe(true);
		expect(problems.map((p) => p.message).join('\n')).toMatch(message);
	});

	it('accepts a span’s doubt {note} and names a malformed one', () => {
		const line = fs.readFileSync(path.join(FIXTURES, 'valid-spans.jsonl'), 'utf8').split('\n')[0];
		const withDoubt = (doubt: unknown) => {
			const record = JSON.parse(line);
			record.entities[0].doubt = doubt;
			return validateExportLine(JSON.stringify(record));
		};
		expect(withDoubt({ note: 'LOC ou ORG ?' })).toEqual([]);
		expect(withDoubt({ note: null })).toEqual([]);
		expect(withDoubt(true)).toEqual([expect.stringMatching(/^entities\[0\] "e1": doubt must be \{"note": text or null\} \(got true\)$/)]);
		expect(withDoubt({ note: 'x'.repeat(281) })).toEqual([expect.stringMatching(/doubt\.note is longer than 280 characters/)]);
	});

	it('reports one wrong token once, without knock-on problems on the tokens after it', () => {
		expect(validate('invalid-token-text.jsonl').map((p) => p.message)).toEqual([expect.stringMatching(/^tokens\[2\]: text "Munik" differs from the text/)]);
	});

	it('shifts every span after an emoji when offsets are UTF-16 units', () => {
		const problems = validate('invalid-utf16-offsets.jsonl');
		// The flag (2 code points, 4 UTF-16 units) precedes all spans but e1 and e2.
		const shifted = problems.filter((p) => /differs from the text/.test(p.message)).length;
		expect(shifted).toBeGreaterThanOrEqual(10);
		expect(problems.some((p) => /"e1"|"e2"/.test(p.message))).toBe(false);
	});

	it('catches token records with missing tags and broken sequences', () => {
		const problems = validate('invalid-bio-records.jsonl');
		expect(problems).toEqual([
			{ line: 2, message: expect.stringMatching(/^\d+ tokens but \d+ ner_tags$/) },
			{ line: 3, message: expect.stringMatching(/^ner_tags\[0\]: "I-PER" follows "O"/) }
		]);
	});

	it('catches CoNLL lines without a tab and I- tags that continue nothing', () => {
		expect(validate('invalid-columns.conll')).toEqual([
			{ line: 4, message: expect.stringMatching(/expected "token<TAB>tag"/) },
			{ line: 6, message: expect.stringMatching(/"I-ORG" follows "B-LOC"/) }
		]);
	});

	it('accepts integer tag ids and refuses mixed tags', () => {
		expect(validateExportLine(JSON.stringify({ id: 'a#1', tokens: ['M.', 'Lavrov'], ner_tags: [0, 1] }))).toEqual([]);
		expect(validateExportLine(JSON.stringify({ id: 'a#1', tokens: ['M.', 'Lavrov'], ner_tags: ['O', 1] }))).toEqual([
			'ner_tags must be all strings (O, B-X, I-X) or all label ids (integers ≥ 0)'
		]);
	});

	it('reads tag ids and checks tags against the manifest label list', () => {
		const nerLabels = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
		const line = (tags: unknown[]) => JSON.stringify({ id: 'a#1', tokens: ['M.', 'Lavrov', 'ici'], ner_tags: tags });
		expect(validateExportLine(line([0, 1, 2]), { nerLabels })).toEqual([]);
		expect(validateExportLine(line([0, 2, 0]), { nerLabels })).toEqual(['ner_tags[1]: "I-PER" follows "O": an I- tag must continue a B- or I- of the same label']);
		expect(validateExportLine(line([0, 1, 9]), { nerLabels })).toEqual(["ner_tags[2]: id 9 is not in the manifest's ner_labels (5 labels)"]);
		expect(validateExportLine(line(['O', 'B-FOO', 'O']), { nerLabels })).toEqual(['ner_tags[1]: "B-FOO" is not in the manifest\'s ner_labels']);
		// Without a manifest, ids cannot be read and any X is a label.
		expect(validateExportLine(line([0, 2, 0]))).toEqual([]);
		expect(validateExportLine(line(['O', 'B-FOO', 'O']))).toEqual([]);
	});
});
