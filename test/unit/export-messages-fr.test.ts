// Every error the export options can give, produced by the real parser, reads in French (with the
// Exporter form's field names) on the page; the command line keeps its `--flag` wording.
import { describe, expect, it } from 'vitest';
import { parseExportOptions, type RawExportOptions } from '../../src/lib/domain/export/options';
import { exportOptionErrorInFrench } from '../../src/lib/ui/export-messages-fr';

const ENGLISH = /\b(is|invalid|expected|unknown|known|empty|give|applies|only|must|listed|twice|reserved|add up|not)\b|--/;

describe('export option errors in French', () => {
	const bad: RawExportOptions[] = [
		{ format: 'xml' },
		{ set: 'deux mots' },
		{ status: 'fini' },
		{ layers: 'entity,tokens' },
		{ layers: ',' },
		{ format: 'bio', unit: 'paragraph' },
		{ format: 'spans', unit: 'document' },
		{ format: 'spans', tagIds: true },
		{ format: 'conll', layers: 'quote' },
		{ split: 'train' },
		{ split: 'train=1.5' },
		{ split: 'a=0.5,a=0.5' },
		{ split: 'manifest=1' },
		{ split: ',' },
		{ split: 'train=0.8,test=0.3' },
		{ split: 'train=1', seed: '-3' }
	];
	it.each(bad.map((raw) => [JSON.stringify(raw), raw] as const))('%s', (_, raw) => {
		const parsed = parseExportOptions(raw);
		expect(parsed.ok).toBe(false);
		for (const error of parsed.ok ? [] : parsed.errors) {
			const french = exportOptionErrorInFrench(error);
			expect(french, error).not.toBe(error);
			expect(french, error).not.toMatch(ENGLISH);
		}
	});

	it('names the form field and keeps the figures', () => {
		expect(exportOptionErrorInFrench('--split: the ratios add up to 1.1, not 1')).toBe('Parts : les proportions font 1,1 au total, pas 1');
	});
});
