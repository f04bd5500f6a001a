// npm run ner:eval -- --data <file.jsonl[.gz]> [--model name] [--dtype q8|fp32] [--decoding constrained|argmax] [--touching join|split] [--person-titles exclude|include|model] [--style name] [--json] [--limit N]
// Entity-level precision / recall / F1 of the pre-annotation path, exact and relaxed (overlap).
import { DEFAULT_LABEL_SCHEMA, entityLabelNames } from '../../src/lib/domain/label-schema';
import type { MatchReport } from '../../src/lib/domain/ner/metrics';
import { PERSON_TITLE_CONVENTIONS, type PersonTitleConvention } from '../../src/lib/domain/ner/person-titles';
import { loadConfig } from '../../src/lib/server/config';
import { evaluateNerModel, readTaggedSentences } from '../../src/lib/server/ner/evaluate';
import { disposeNerModels, getNerModel, nerSettingsFromConfig, type NerModelSettings } from '../../src/lib/server/ner/model';
import { createLogger, createProgressBar, fail, parseCommandLine, positiveInteger } from '../lib/cli';
import { checkNerChoices } from '../lib/ner-options';

const NAME = 'ner:eval';
const log = createLogger(NAME);
const usage = `usage: npm run ner:eval -- --data <file.jsonl[.gz]> [options]
  Evaluates the NER pre-annotation path on {"tokens": [...], "tags": [...]} sentences (BIO tags).
  --data <file>        JSONL, optionally gzipped
  --model <name>       model folder under MODELS_DIR (default: NER_MODEL)
  --dtype <q8|fp32>    (default: NER_DTYPE)
  --threads <n>        (default: NER_THREADS)
  --batch-size <n>     windows per inference run (default 1, as the app: q8 results then
                       never depend on which windows share a run)
  --decoding <mode>    constrained (default: the best label sequence BIO allows, as the app
                       decodes) or argmax (each word's own best label, to compare)
  --touching <mode>    join (default, as the app: entities of one label that touch become
                       one, \`M. Paul\` + \`Deschanel\`) or split (as decoded, to compare)
  --person-titles <c>  the data's convention for titles in person spans: exclude (default,
                       Guillemet's guideline, WikiNEuRal, Sequoia: \`Lavrov\`), include
                       (HIPE/NewsEye: \`M. Lavrov\`), or model (the spans as decoded, no rule)
  --style <name>       annotation style, for a model trained with several (its config.json
                       lists them under guillemet.styles; the shipped model has none);
                       default: NER_STYLE, else the model's first
  --limit <n>          first n sentences
  --json               one JSON object on stdout instead of tables`;

const args = parseCommandLine(NAME, usage, {
	strict: true,
	options: {
		data: { type: 'string' },
		model: { type: 'string' },
		dtype: { type: 'string' },
		threads: { type: 'string' },
		'batch-size': { type: 'string' },
		decoding: { type: 'string', default: 'constrained' },
		touching: { type: 'string', default: 'join' },
		'person-titles': { type: 'string', default: 'exclude' },
		style: { type: 'string' },
		limit: { type: 'string' },
		json: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h' }
	}
});
const values = args.values;
if (!values.data) fail(NAME, `--data is required\n${usage}`, 2);
if (values.dtype !== undefined && values.dtype !== 'q8' && values.dtype !== 'fp32') fail(NAME, `--dtype must be q8 or fp32`, 2);
if (values.decoding !== 'constrained' && values.decoding !== 'argmax') fail(NAME, `--decoding must be constrained or argmax`, 2);
const decoding = values.decoding as 'constrained' | 'argmax';
if (values.touching !== 'join' && values.touching !== 'split') fail(NAME, `--touching must be join or split`, 2);
const touching = values.touching as 'join' | 'split';
const titlesOption = values['person-titles'] as string;
if (titlesOption !== 'model' && !(PERSON_TITLE_CONVENTIONS as readonly string[]).includes(titlesOption)) {
	fail(NAME, `--person-titles must be ${PERSON_TITLE_CONVENTIONS.join(', ')} or model`, 2);
}
const personTitles = titlesOption === 'model' ? undefined : (titlesOption as PersonTitleConvention);

let config;
try {
	config = loadConfig();
} catch (error) {
	fail(NAME, (error as Error).message, 2);
}
const overrides: Partial<NerModelSettings> = {};
if (values.model) overrides.name = values.model;
if (values.dtype) overrides.dtype = values.dtype as 'q8' | 'fp32';
if (values.style !== undefined) overrides.style = values.style;
if (values.threads) overrides.threads = positiveInteger(NAME, 'threads', values.threads);
const settings = nerSettingsFromConfig(config, overrides);
checkNerChoices(NAME, settings, { model: values.model, style: values.style });

let read;
try {
	read = readTaggedSentences(values.data, positiveInteger(NAME, 'limit', values.limit));
} catch (error) {
	fail(NAME, `cannot read ${values.data}: ${(error as Error).message}`, 2);
}
for (const problem of read.problems.slice(0, 10)) log.error(`${values.data}:${problem.line}: ${problem.message}`);
if (!read.sentences.length) fail(NAME, `no sentences in ${values.data}`);

const say = values.json ? (m: string) => console.error(`[${NAME}] ${m}`) : log.info;
let model;
try {
	model = await getNerModel(settings);
} catch (error) {
	fail(NAME, (error as Error).message);
}
say(`model ${model.owner} (${model.settings.dtype}, ${model.style ? `style ${model.style}, ` : ''}${decoding} decoding, touching entities: ${touching}, person titles: ${titlesOption}), ${read.sentences.length} sentences from ${values.data}`);
const bar = createProgressBar(`[${NAME}] {bar} {percentage}% | {value}/{total} sentences | ETA {eta_formatted}`);
bar.start(read.sentences.length);
const result = await evaluateNerModel(model, read.sentences, {
	projectLabels: entityLabelNames(DEFAULT_LABEL_SCHEMA),
	batchSize: positiveInteger(NAME, 'batch-size', values['batch-size']),
	decoding,
	touching,
	personTitles,
	onProgress: (done) => bar.update(done),
	warn: (m) => say(`warning: ${m}`)
});
bar.stop();
await disposeNerModels();

if (values.json) {
	console.log(JSON.stringify({ data: values.data, model: model.owner, dtype: model.settings.dtype, style: model.style, decoding, touching, personTitles: titlesOption, ...result }));
} else {
	const table = (title: string, report: MatchReport) => {
		console.log(`\n${title}`);
		console.log(`  ${'label'.padEnd(8)} ${'P'.padStart(6)} ${'R'.padStart(6)} ${'F1'.padStart(6)} ${'gold'.padStart(6)} ${'pred'.padStart(6)}`);
		const row = (label: string, s: MatchReport['micro']) =>
			console.log(
				`  ${label.padEnd(8)} ${(s.precision * 100).toFixed(1).padStart(6)} ${(s.recall * 100).toFixed(1).padStart(6)} ${(s.f1 * 100).toFixed(1).padStart(6)} ${String(s.support).padStart(6)} ${String(s.tp + s.fp).padStart(6)}`
			);
		for (const [label, scores] of Object.entries(report.perLabel)) row(label, scores);
		row('micro', report.micro);
	};
	table('exact match (same start, end and label)', result.exact);
	table('relaxed (overlap, same label)', result.relaxed);
	console.log('');
}
say(
	`exact F1 ${(result.exact.micro.f1 * 100).toFixed(1)}, relaxed F1 ${(result.relaxed.micro.f1 * 100).toFixed(1)} on ${result.sentences} sentences (${result.words} words) in ${result.seconds.toFixed(1)} s, ${model.owner} ${model.settings.dtype}, ${decoding} decoding, touching entities: ${touching}, person titles: ${titlesOption}`
);
process.exit(read.problems.length ? 1 : 0);
