// npm run bench:learning -- [--data dev.jsonl.gz] [--doc-size 10] [--steps 10] [--model name] [--dtype q8|fp32]
// Simulates a team annotating: a dev set's sentences, grouped into documents, are the corpus;
// documents are "annotated" one after another (their gold labels revealed as if saved), and at
// each step the suggestions for the not-yet-annotated part are scored (exact entity F1): the
// model alone, the entity memory alone, and both merged. Prints a table and a small chart.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_LABEL_SCHEMA, entityLabelNames } from '../../src/lib/domain/label-schema';
import { createLabelResolver } from '../../src/lib/domain/ner/labels';
import { bioTagsToSpans, EntityScorer, joinTokensWithOffsets, type LabelledSpan } from '../../src/lib/domain/ner/metrics';
import { decideMemorySuggestion, type MemoryCounts } from '../../src/lib/domain/suggestions/memory';
import { mergeSuggestions, resolveConflicts } from '../../src/lib/domain/suggestions/merge';
import { SurfaceMatcher } from '../../src/lib/domain/suggestions/surface-matcher';
import { sliceCodePoints } from '../../src/lib/domain/offsets';
import { loadConfig } from '../../src/lib/server/config';
import { annotateTexts } from '../../src/lib/server/ner/annotate';
import { readTaggedSentences } from '../../src/lib/server/ner/evaluate';
import { disposeNerModels, getNerModel, nerSettingsFromConfig } from '../../src/lib/server/ner/model';
import { createLogger, fail } from '../lib/cli';
import { checkNerChoices } from '../lib/ner-options';

const NAME = 'bench:learning';
const log = createLogger(NAME);
const defaultData = path.resolve(import.meta.dirname, '../../../shared/data/ner-fr-sequoia/dev.jsonl.gz');
let args;
try {
	args = parseArgs({
		strict: true,
		options: {
			data: { type: 'string', default: defaultData },
			'doc-size': { type: 'string', default: '10' },
			steps: { type: 'string', default: '10' },
			model: { type: 'string' },
			dtype: { type: 'string' },
			limit: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
} catch (error) {
	fail(NAME, (error as Error).message, 2);
}
if (args.values.help) {
	console.log('usage: npm run bench:learning -- [--data file.jsonl.gz] [--doc-size 10] [--steps 10] [--model name] [--dtype q8|fp32] [--limit N]');
	process.exit(0);
}
const dataFile = args.values.data!;
if (!fs.existsSync(dataFile)) fail(NAME, `--data ${dataFile}: no such file (the default is ../shared/data/ner-fr-sequoia/dev.jsonl.gz)`, 2);
const docSize = Number(args.values['doc-size']);
const steps = Number(args.values.steps);
if (!(docSize >= 1) || !(steps >= 2)) fail(NAME, '--doc-size must be ≥ 1 and --steps ≥ 2', 2);

const { sentences, problems } = readTaggedSentences(dataFile, args.values.limit ? Number(args.values.limit) : undefined);
if (problems.length) log.warn(`${problems.length} bad lines skipped (first: line ${problems[0].line}: ${problems[0].message})`);
const rebuilt = sentences.map((s) => joinTokensWithOffsets(s.tokens));
const gold = sentences.map((s, i) => bioTagsToSpans(s.tags, rebuilt[i].offsets));

const config = loadConfig();
const overrides: Record<string, string> = {};
if (args.values.model) overrides.name = args.values.model;
if (args.values.dtype) overrides.dtype = args.values.dtype;
const settings = nerSettingsFromConfig(config, overrides);
checkNerChoices(NAME, settings, { model: args.values.model });
let model;
try {
	model = await getNerModel(settings);
} catch (error) {
	// A model folder without its ONNX file: said in one line, as ner:eval says it.
	fail(NAME, (error as Error).message);
}
const projectLabels = entityLabelNames(DEFAULT_LABEL_SCHEMA);
const resolver = createLabelResolver(model.id2label, { projectLabels, map: model.settings.labelMap, warn: log.warn });
const started = performance.now();
const modelSpans: (LabelledSpan & { score: number })[][] = [];
for (let from = 0; from < rebuilt.length; from += 64) {
	const annotations = await annotateTexts(model, rebuilt.slice(from, from + 64).map((r) => r.text), { resolver, batchSize: 16 });
	for (const a of annotations) modelSpans.push(a.spans.map(({ start, end, label, score }) => ({ start, end, label, score })));
}
log.info(`${sentences.length} sentences in ${Math.ceil(sentences.length / docSize)} documents; model run once in ${((performance.now() - started) / 1000).toFixed(1)} s (${model.settings.name}, ${model.settings.dtype})`);

const documentCount = Math.ceil(sentences.length / docSize);
const sentencesOf = (doc: number) => Array.from({ length: Math.min(docSize, sentences.length - doc * docSize) }, (_, k) => doc * docSize + k);

interface Row {
	annotated: number;
	model: number;
	memory: number;
	memoryPrecision: number;
	merged: number;
	forms: number;
}
const rows: Row[] = [];
for (let step = 0; step < steps; step++) {
	const revealedDocs = Math.floor((step / steps) * documentCount);
	// The memory as saves would have built it: labelled occurrences, then unlabelled sightings.
	const counts = new Map<string, MemoryCounts>();
	for (let doc = 0; doc < revealedDocs; doc++) {
		for (const i of sentencesOf(doc)) {
			for (const span of gold[i]) {
				const surface = sliceCodePoints(rebuilt[i].text, span.start, span.end);
				const entry = counts.get(surface) ?? { labels: {}, unlabelled: 0, forcedLabel: null, blocked: false };
				entry.labels[span.label] = (entry.labels[span.label] ?? 0) + 1;
				counts.set(surface, entry);
			}
		}
	}
	const known = new SurfaceMatcher<string>();
	for (const surface of counts.keys()) known.add(surface, surface);
	for (let doc = 0; doc < revealedDocs; doc++) {
		for (const i of sentencesOf(doc)) {
			for (const match of known.match(rebuilt[i].text)) {
				if (!gold[i].some((g) => g.start < match.end && match.start < g.end)) counts.get(match.value)!.unlabelled++;
			}
		}
	}
	const memory = new SurfaceMatcher<{ label: string; confidence: number }>();
	for (const [surface, c] of counts) {
		const verdict = decideMemorySuggestion(c);
		if (verdict) memory.add(surface, verdict);
	}
	const scorers = { model: new EntityScorer(), memory: new EntityScorer(), merged: new EntityScorer() };
	for (let i = revealedDocs * docSize; i < sentences.length; i++) {
		const fromMemory = memory.match(rebuilt[i].text).map((m) => ({ start: m.start, end: m.end, label: m.value.label, score: m.value.confidence }));
		scorers.model.add(gold[i], modelSpans[i]);
		scorers.memory.add(gold[i], fromMemory);
		const merged = resolveConflicts(
			mergeSuggestions([
				...modelSpans[i].map((s) => ({ ...s, source: 'model' })),
				...fromMemory.map((s) => ({ ...s, source: 'memory' }))
			])
		);
		scorers.merged.add(gold[i], merged);
	}
	const memoryReport = scorers.memory.report().exact.micro;
	rows.push({
		annotated: revealedDocs / documentCount,
		model: scorers.model.report().exact.micro.f1,
		memory: memoryReport.f1,
		memoryPrecision: memoryReport.precision,
		merged: scorers.merged.report().exact.micro.f1,
		forms: memory.size
	});
}
await disposeNerModels();

const pct = (x: number) => `${(100 * x).toFixed(1)}`.padStart(5);
console.log(`\nExact entity F1 (micro, %) on the not-yet-annotated part of ${path.basename(path.dirname(dataFile))}/${path.basename(dataFile)}`);
console.log('annotated | model | memory (precision) | merged | forms in memory');
for (const r of rows) console.log(`   ${pct(r.annotated)}% | ${pct(r.model)} | ${pct(r.memory)} (${pct(r.memoryPrecision)})    | ${pct(r.merged)}  | ${r.forms}`);
console.log('\nmerged F1 as the corpus grows (each █ = 2 points):');
for (const r of rows) console.log(`${pct(r.annotated)}% ${'█'.repeat(Math.round((100 * r.merged) / 2))} ${pct(r.merged)}`);
