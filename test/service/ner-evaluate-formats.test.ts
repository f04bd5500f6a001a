// ner:eval and model:train read both the open datasets' {tokens, tags} and Guillemet's own bio
// export {id, tokens, ner_tags}, and say which line is wrong otherwise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTaggedSentences } from '../../src/lib/server/ner/evaluate';

describe('reading tagged sentences', () => {
	it('accepts tags and ner_tags, and reports bad lines with their number', () => {
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-eval-')), 'mixed.jsonl');
		fs.writeFileSync(
			file,
			[
				JSON.stringify({ tokens: ['Lavrov', 'parle'], tags: ['B-PER', 'O'] }),
				JSON.stringify({ id: 'd1:0', tokens: ['à', 'Munich'], ner_tags: ['O', 'B-LOC'] }),
				JSON.stringify({ id: 'd1:1', tokens: ['à', 'Munich'], ner_tags: [0, 3] }),
				JSON.stringify({ tokens: ['seul'] })
			].join('\n')
		);
		const { sentences, problems } = readTaggedSentences(file);
		expect(sentences).toEqual([
			{ tokens: ['Lavrov', 'parle'], tags: ['B-PER', 'O'] },
			{ tokens: ['à', 'Munich'], tags: ['O', 'B-LOC'] }
		]);
		expect(problems.map((p) => p.line)).toEqual([3, 4]);
		expect(problems[0].message).toMatch(/tags must be strings/);
	});

	it('refuses lines that are not UTF-8 instead of scoring their words with U+FFFD, and reads a BOM-prefixed file', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-eval-'));
		const latin1 = path.join(dir, 'latin1.jsonl');
		fs.writeFileSync(
			latin1,
			Buffer.concat([
				Buffer.from(JSON.stringify({ tokens: ['Lavrov', 'parle'], tags: ['B-PER', 'O'] }) + '\n', 'utf8'),
				Buffer.from(JSON.stringify({ tokens: ['à', 'Genève'], tags: ['O', 'B-LOC'] }) + '\n', 'latin1')
			])
		);
		const read = readTaggedSentences(latin1);
		expect(read.sentences).toEqual([{ tokens: ['Lavrov', 'parle'], tags: ['B-PER', 'O'] }]);
		expect(read.problems).toEqual([{ line: 2, message: 'not valid UTF-8: re-encode the file as UTF-8' }]);

		const bom = path.join(dir, 'bom.jsonl');
		fs.writeFileSync(bom, '\uFEFF' + JSON.stringify({ tokens: ['à', 'Genève'], tags: ['O', 'B-LOC'] }) + '\r\n');
		expect(readTaggedSentences(bom)).toEqual({ sentences: [{ tokens: ['à', 'Genève'], tags: ['O', 'B-LOC'] }], problems: [] });
	});
});
