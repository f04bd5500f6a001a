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
});
