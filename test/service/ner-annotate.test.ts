// The whole text -> suggestions path on the fixture models: windows within the model's length
// (the fixtures' position table fails on a longer input), every word labelled exactly once,
// spans exact to the character.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLabelResolver } from '../../src/lib/domain/ner/labels';
import { OffsetIndex } from '../../src/lib/domain/offsets';
import { annotateText, annotateTexts } from '../../src/lib/server/ner/annotate';
import { disposeNerModels, getNerModel, type NerModel } from '../../src/lib/server/ner/model';

const MODELS_DIR = path.resolve('test/fixtures/models');
const PROJECT = ['PER', 'LOC', 'ORG', 'MISC'];

function load(name: string, overrides: { maxLength?: number; labelMap?: Record<string, string | null>; style?: string } = {}): Promise<NerModel> {
	return getNerModel({
		name,
		modelsDir: MODELS_DIR,
		dtype: 'q8',
		threads: 1,
		allowRemote: false,
		labelMap: overrides.labelMap ?? {},
		maxLength: overrides.maxLength,
		style: overrides.style
	});
}

afterAll(() => disposeNerModels());

const SAMPLE = 'Selon l’Otan, M. Sergueï Lavrov a déclaré à Moscou\u00a0: «\u202fParis\u202f!\u202f» 😀 puis l\'Otan a répondu.';

describe('annotateText', () => {
	it('finds the fixture entities with exact code-point offsets, for each tokenizer kind', async () => {
		const index = new OffsetIndex(SAMPLE);
		for (const name of ['bert-wordpiece-cased', 'bert-wordpiece-uncased', 'sentencepiece-unigram', 'roberta-bytelevel']) {
			const model = await load(name);
			const resolver = createLabelResolver(model.id2label, { projectLabels: PROJECT });
			const result = await annotateText(model, SAMPLE, { resolver });
			const found = result.spans.map((s) => `${s.label}:${index.slice(s.start, s.end)}`);
			// The BIO fixtures tag each name word B-PER; touching entities of one label are joined
			// (plain labels, the roberta fixture, make one run of them anyway).
			expect(found, name).toEqual(['ORG:Otan', 'PER:Sergueï Lavrov', 'LOC:Moscou', 'LOC:Paris', 'ORG:Otan']);
			if (name !== 'roberta-bytelevel') {
				const split = await annotateText(model, SAMPLE, { resolver, touching: 'split' });
				expect(split.spans.map((s) => index.slice(s.start, s.end)).slice(1, 3), name).toEqual(['Sergueï', 'Lavrov']);
			}
			for (const span of result.spans) {
				expect(span.score).toBeGreaterThan(0.5);
				expect(span.score).toBeLessThanOrEqual(1);
			}
			expect(model.owner).toMatch(new RegExp(`^model:${name}@[0-9a-f]{12}$`));
		}
	});

	it('labels every word of a 10,000-word article exactly once, across many 512-token windows', async () => {
		const model = await load('bert-wordpiece-cased');
		expect(model.maxLength).toBe(512);
		const sentence = 'Selon le ministre russe Sergueï Lavrov, les négociations anticonstitutionnellement longues reprendront à Moscou.';
		const paragraphs: string[] = [];
		let words = 0;
		while (words < 10_000) {
			// One very long sentence now and then: it must be cut between words.
			const long = paragraphs.length % 7 === 3 ? Array.from({ length: 400 }, (_, i) => `mot${i}`).join(' ') + '.' : sentence;
			paragraphs.push(long);
			words += long.split(' ').length;
		}
		const text = paragraphs.join('\n\n');
		const resolver = createLabelResolver(model.id2label, { projectLabels: PROJECT });
		let inferences = 0;
		let longest = 0;
		const result = await annotateText(model, text, {
			resolver,
			onInference: (_ms, inputs) => {
				inferences++;
				longest = Math.max(longest, inputs.length);
			}
		});
		expect(result.words.length).toBeGreaterThan(10_000);
		expect(result.pieceCount).toBeGreaterThan(5 * 512);
		expect(result.windows.length).toBeGreaterThan(5);
		expect(longest).toBeLessThanOrEqual(512);
		expect(inferences).toBeGreaterThan(0);
		// Exactly one prediction per word, each from a window that contains it.
		expect(result.predictions.filter(Boolean)).toHaveLength(result.words.length);
		result.windowOfWord.forEach((w, i) => expect(result.windows[w].start <= i && i < result.windows[w].end).toBe(true));
		// Windows overlap and together cover every word.
		for (let w = 1; w < result.windows.length; w++) expect(result.windows[w].start).toBeLessThan(result.windows[w - 1].end);
		// Entities are found all the way to the end.
		const index = new OffsetIndex(text);
		const lavrovs = result.spans.filter((s) => index.slice(s.start, s.end) === 'Sergueï Lavrov');
		const expected = paragraphs.filter((p) => p === sentence).length;
		expect(lavrovs).toHaveLength(expected);
		expect(result.spans.at(-1)!.end).toBeGreaterThan(text.length - 20);
	});

	it('small models (64 positions, RoBERTa offset) get windows that fit, and batching changes nothing', async () => {
		for (const name of ['sentencepiece-unigram', 'roberta-bytelevel']) {
			const model = await load(name);
			expect(model.maxLength).toBe(64);
			const text = Array.from({ length: 40 }, (_, i) => `Phrase ${i} où Emmanuel Macron rencontre Sergueï Lavrov à Paris, selon l’Otan.`).join(' ');
			const resolver = createLabelResolver(model.id2label, { projectLabels: PROJECT });
			const one = await annotateText(model, text, { resolver, batchSize: 1 });
			const many = await annotateText(model, text, { resolver, batchSize: 16 });
			expect(one.windows.length).toBeGreaterThan(10);
			expect(many.spans).toEqual(one.spans);
			expect(one.spans.filter((s) => s.label === 'LOC')).toHaveLength(40);
		}
	});

	it('several texts batched together give the same spans as one at a time', async () => {
		const model = await load('bert-wordpiece-cased', { maxLength: 24 });
		expect(model.windowBudget).toBe(22);
		const resolver = createLabelResolver(model.id2label, { projectLabels: PROJECT });
		const texts = [SAMPLE, 'Emmanuel Macron à Kiev.', SAMPLE + ' ' + SAMPLE, '', '😀'];
		const together = await annotateTexts(model, texts, { resolver, batchSize: 4 });
		for (let i = 0; i < texts.length; i++) {
			expect(together[i].spans).toEqual((await annotateText(model, texts[i], { resolver, batchSize: 1 })).spans);
		}
		expect(together[3].words).toEqual([]);
	});

	it('labels a hyphenated compound as one unit, so its span covers it whole', async () => {
		const model = await load('bert-wordpiece-cased');
		const resolver = createLabelResolver(model.id2label, { projectLabels: PROJECT });
		const text = 'Le campus Paris-Saclay et Moscou-Ville.';
		const result = await annotateText(model, text, { resolver });
		expect(result.spans.map((s) => text.slice(s.start, s.end))).toEqual(['Paris-Saclay', 'Moscou-Ville']);
	});

	it('a label map turns long names into project labels', async () => {
		const model = await load('sentencepiece-unigram', { labelMap: { DATE: 'MISC' } });
		expect(model.scheme).toBe('bilou');
		const resolver = createLabelResolver(model.id2label, { projectLabels: PROJECT, map: model.settings.labelMap });
		const result = await annotateText(model, 'Le Mondial à Paris.', { resolver });
		const index = new OffsetIndex('Le Mondial à Paris.');
		expect(result.spans.map((s) => `${s.label}:${index.slice(s.start, s.end)}`)).toEqual(['MISC:Mondial', 'LOC:Paris']);
	});

	it('follows the annotation style asked for, fed as the token type, and owns its sets apart', async () => {
		const text = 'M. Lavrov est à Moscou.';
		const index = new OffsetIndex(text);
		const found = async (model: NerModel) => {
			const resolver = createLabelResolver(model.id2label, { projectLabels: PROJECT });
			return (await annotateText(model, text, { resolver })).spans.map((s) => `${s.label}:${index.slice(s.start, s.end)}`);
		};
		const byDefault = await load('bert-wordpiece-styles');
		expect(byDefault.styles).toEqual(['toutes', 'sans-lieux']);
		expect(byDefault.style).toBe('toutes');
		expect(await found(byDefault)).toEqual(['PER:Lavrov', 'LOC:Moscou']);
		const named = await load('bert-wordpiece-styles', { style: 'toutes' });
		expect(named.owner).toBe(byDefault.owner);
		// the "sans-lieux" token-type row pushes LOC down: the same weights tag no place
		const noPlaces = await load('bert-wordpiece-styles', { style: 'sans-lieux' });
		expect(noPlaces.style).toBe('sans-lieux');
		expect(await found(noPlaces)).toEqual(['PER:Lavrov']);
		expect(noPlaces.owner).toBe(`${byDefault.owner}~sans-lieux`);
		const inputs = noPlaces.buildInputs([[5, 6, 7]]);
		expect([...(inputs.feeds.token_type_ids.data as BigInt64Array)]).toEqual([1n, 1n, 1n, 1n, 1n]);
	});

	it('names the styles a model has when asked for another, and refuses a style for a model without any', async () => {
		await expect(load('bert-wordpiece-styles', { style: 'newseye' })).rejects.toThrow(/no style "newseye"; its styles: toutes, sans-lieux/);
		await expect(load('bert-wordpiece-cased', { style: 'newseye' })).rejects.toThrow(/has no annotation styles/);
		expect((await load('bert-wordpiece-cased')).styles).toEqual([]);
		expect((await load('bert-wordpiece-cased')).style).toBeNull();
	});

	it('says which folder it expected when a model is missing', async () => {
		await expect(load('no-such-model')).rejects.toThrow(/no-such-model.*is not in/);
	});
});
