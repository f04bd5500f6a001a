// Export options (shared by the CLI and the download form) and the split rule.
import { describe, expect, it } from 'vitest';
import { formatExportCommand, parseExportOptions, parseSplitSpec, rawOptionsFromQuery, splitForBucket } from '../../src/lib/domain/export/options';

describe('parseExportOptions', () => {
	it('defaults to the latest finished human set, all layers, full records', () => {
		const parsed = parseExportOptions({});
		expect(parsed).toEqual({
			ok: true,
			options: expect.objectContaining({ set: 'latest', status: 'done', layers: ['entity', 'quote', 'stance'], format: 'spans', split: null, seed: 13 })
		});
	});

	it('reads every option', () => {
		const parsed = parseExportOptions({
			set: 'alice',
			status: 'any',
			layers: 'stance, entity',
			format: 'bio',
			unit: 'document',
			tagIds: true,
			split: 'train=0.8,dev=0.1,test=0.1',
			seed: '7',
			gzip: true
		});
		expect(parsed.ok && parsed.options).toEqual({
			set: 'alice',
			status: 'any',
			layers: ['entity', 'stance'],
			format: 'bio',
			unit: 'document',
			tagIds: true,
			split: [
				{ name: 'train', ratio: 0.8 },
				{ name: 'dev', ratio: 0.1 },
				{ name: 'test', ratio: 0.1 }
			],
			seed: 7,
			gzip: true
		});
	});

	it.each([
		[{ format: 'csv' }, '--format "csv" is invalid: expected spans, bio, conll'],
		[{ format: 'xml' }, '--format "xml" is invalid: expected spans, bio, conll'],
		[{ status: 'finished' }, '--status "finished" is invalid: expected done or any'],
		[{ layers: 'entity,relation' }, '--layers: unknown layer "relation" (known: entity, quote, stance)'],
		[{ format: 'bio', layers: 'quote' }, '--format bio writes entity tags: --layers must include entity'],
		[{ format: 'conll', layers: 'quote' }, '--format conll writes entity tags: --layers must include entity'],
		[{ unit: 'document' }, '--unit applies to --format bio only (conll is always per sentence)'],
		[{ format: 'conll', tagIds: true }, '--tag-ids applies to --format bio only'],
		[{ seed: '-1' }, '--seed "-1" is invalid: expected a non-negative integer'],
		[{ split: 'train=0.8,test=0.1' }, '--split: the ratios add up to 0.9, not 1'],
		[{ split: 'train:0.8' }, '--split: "train:0.8" is invalid: expected name=ratio, e.g. train=0.8,dev=0.1,test=0.1'],
		[{ split: 'a=0.5,a=0.5' }, '--split: "a" is listed twice'],
		[{ split: 'manifest=1' }, '--split: "manifest" is reserved for the manifest file'],
		[{ set: 'two words' }, '--set "two words" is invalid: expected latest, gold, all-annotators or a username']
	])('refuses %j', (raw, message) => {
		expect(parseExportOptions(raw)).toEqual({ ok: false, errors: [message] });
	});

	it('reports every problem at once', () => {
		const parsed = parseExportOptions({ format: 'xml', status: 'x' });
		expect(parsed.ok).toBe(false);
		expect(!parsed.ok && parsed.errors).toHaveLength(2);
	});
});

describe('splits', () => {
	it('gives each part a consecutive interval of [0, 1)', () => {
		const parts = parseSplitSpec('train=0.8,dev=0.1,test=0.1');
		if (typeof parts === 'string') throw new Error(parts);
		expect(splitForBucket(parts, 0)).toBe('train');
		expect(splitForBucket(parts, 0.7999)).toBe('train');
		expect(splitForBucket(parts, 0.8)).toBe('dev');
		expect(splitForBucket(parts, 0.85)).toBe('dev');
		expect(splitForBucket(parts, 0.95)).toBe('test');
		expect(splitForBucket(parts, 0.9999999999)).toBe('test');
	});
});

describe('the download form and its command line', () => {
	it('reads the form query with the CLI names, and an unchecked layer list as empty', () => {
		const query = new URLSearchParams('layers-sent=1&set=gold&status=any&layers=entity&layers=stance&format=bio&unit=document&tag-ids=on&split=train%3D0.9%2Ctest%3D0.1&seed=5&gzip=on');
		expect(rawOptionsFromQuery(query)).toEqual({
			set: 'gold',
			status: 'any',
			layers: 'entity,stance',
			format: 'bio',
			unit: 'document',
			tagIds: true,
			split: 'train=0.9,test=0.1',
			seed: '5',
			gzip: true
		});
		const none = parseExportOptions(rawOptionsFromQuery(new URLSearchParams('layers-sent=1&format=spans')));
		expect(none).toEqual({ ok: false, errors: ['--layers is empty: give one or more of entity, quote, stance'] });
		// Fields of another format are ignored rather than refused: the form keeps them around.
		expect(rawOptionsFromQuery(new URLSearchParams('format=spans&unit=document&tag-ids=on')).unit).toBeUndefined();
	});

	it('prints the equivalent npm run export command, defaults left out', () => {
		const parsed = parseExportOptions({ set: 'gold', format: 'bio', unit: 'document', split: 'train=0.9,test=0.1', seed: '5', gzip: true });
		if (!parsed.ok) throw new Error(parsed.errors.join());
		expect(formatExportCommand(parsed.options, 'corpus/')).toBe(
			'npm run export -- --out corpus/ --set gold --format bio --unit document --split train=0.9,test=0.1 --seed 5 --gzip'
		);
		const defaults = parseExportOptions({});
		expect(defaults.ok && formatExportCommand(defaults.options, 'corpus.jsonl')).toBe('npm run export -- --out corpus.jsonl');
	});
});
