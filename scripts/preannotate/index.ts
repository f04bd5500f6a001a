// npm run preannotate -- [--project slug] [--model name] [--only-new | --all | --unreviewed] [--limit N]
//                        [--batch-size N] [--threads N] [--dtype q8|fp32] [--style name]
// Also the background worker of the web app: --job <id> reads its parameters from the jobs table
// and reports progress there (see src/lib/server/jobs).
import { loadConfig } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/client';
import { DEFAULT_PROJECT_SLUG, getProjectBySlug, type Project } from '../../src/lib/server/db/projects';
import { projects } from '../../src/lib/server/db/schema';
import { finishJob, markJobRunning, readJob, reportJobProgress, type PreannotationJobParams } from '../../src/lib/server/jobs';
import { disposeNerModels, getNerModel, nerSettingsFromConfig, type NerModelSettings } from '../../src/lib/server/ner/model';
import { defaultSteps, preannotateCorpus, type CorpusSummary, type PreannotateMode } from '../../src/lib/server/preannotate';
import { formatCount, formatDecimal } from '../../src/lib/ui/numbers-fr';
import { createLogger, createProgressBar, fail, parseCommandLine, positiveInteger } from '../lib/cli';
import { checkNerChoices } from '../lib/ner-options';
import { eq } from 'drizzle-orm';

const NAME = 'preannotate';
const log = createLogger(NAME);
const usage = `usage: npm run preannotate -- [options]
  Pre-annotates documents with the local NER model, the quote rules, the gazetteer and the
  entity memory, each writing its own machine set (model:<id>@<revision>, rules:quotes@<version>,
  …); annotator and gold sets are never touched.
  --project <slug>      project (default: ${DEFAULT_PROJECT_SLUG})
  --model <name>        model folder under MODELS_DIR, or a Hub id with NER_ALLOW_REMOTE=1 (default: NER_MODEL)
  --only-new            documents without a set of this model revision (default)
  --unreviewed          every document nobody has finished and without gold (after a new model)
  --all                 every document (replaces this model's sets; annotator and gold sets are never touched)
  --limit <n>           at most n documents
  --batch-size <n>      windows per inference run (default 1: with q8, larger batches can be
                        faster on several threads but make results depend on batch-mates)
  --threads <n>         onnxruntime intra-op threads (default NER_THREADS)
  --dtype <q8|fp32>     model file: onnx/model_quantized.onnx or onnx/model.onnx (default NER_DTYPE)
  --style <name>        annotation style of a model trained with several (default NER_STYLE)
  --job <id>            run a job queued by the web app, with the options it was queued with
                        (alone: no other option)`;

const args = parseCommandLine(NAME, usage, {
	strict: true,
	options: {
		// No defaults: what was given is what --job refuses alongside it.
		project: { type: 'string' },
		model: { type: 'string' },
		'only-new': { type: 'boolean' },
		unreviewed: { type: 'boolean' },
		all: { type: 'boolean' },
		limit: { type: 'string' },
		'batch-size': { type: 'string' },
		threads: { type: 'string' },
		dtype: { type: 'string' },
		style: { type: 'string' },
		job: { type: 'string' },
		help: { type: 'boolean', short: 'h' }
	}
});

// A job's options are in the jobs table, set by the web app: an option given here would be ignored.
const withJob = Object.keys(args.values).filter((option) => option !== 'job');
if (args.values.job !== undefined && withJob.length) {
	fail(NAME, `--job runs a queued job with the options it was queued with: it takes no other option (got --${withJob.join(', --')})`, 2);
}

let config;
try {
	config = loadConfig();
} catch (error) {
	fail(NAME, (error as Error).message, 2);
}
const db = openDatabase(config.databasePath, { existing: true });

const jobId = positiveInteger(NAME, 'job', args.values.job);
let project: Project;
let mode: PreannotateMode;
let limit: number | undefined;
let batchSize: number | undefined;
const overrides: Partial<NerModelSettings> = {};

if (jobId !== undefined) {
	const job = readJob(db, jobId);
	if (!job) fail(NAME, `job #${jobId} does not exist`, 2);
	if (job.status !== 'queued') {
		log.info(`job #${jobId} is ${job.status}; nothing to do`);
		process.exit(0);
	}
	const params = job.params as unknown as PreannotationJobParams;
	const row = db.select().from(projects).where(eq(projects.id, job.projectId)).get();
	if (!row) fail(NAME, `job #${jobId}: project ${job.projectId} does not exist`, 2);
	project = row;
	mode = params.mode === 'all' ? 'all' : 'only-new';
	limit = positiveInteger(NAME, 'limit', params.limit);
	batchSize = positiveInteger(NAME, 'batch-size', params.batchSize);
	if (params.model) overrides.name = params.model;
	if (params.dtype) overrides.dtype = params.dtype;
	if (params.threads) overrides.threads = positiveInteger(NAME, 'threads', params.threads);
} else {
	if ([args.values['only-new'], args.values.all, args.values.unreviewed].filter(Boolean).length > 1) fail(NAME, '--only-new, --all and --unreviewed exclude each other', 2);
	try {
		project = getProjectBySlug(db, args.values.project ?? DEFAULT_PROJECT_SLUG);
	} catch (error) {
		fail(NAME, (error as Error).message, 2);
	}
	mode = args.values.all ? 'all' : args.values.unreviewed ? 'unreviewed' : 'only-new';
	limit = positiveInteger(NAME, 'limit', args.values.limit);
	batchSize = positiveInteger(NAME, 'batch-size', args.values['batch-size']);
	if (args.values.model) overrides.name = args.values.model;
	if (args.values.style !== undefined) overrides.style = args.values.style;
	if (args.values.threads) overrides.threads = positiveInteger(NAME, 'threads', args.values.threads);
	if (args.values.dtype) {
		if (args.values.dtype !== 'q8' && args.values.dtype !== 'fp32') fail(NAME, `--dtype must be q8 or fp32 (got "${args.values.dtype}")`, 2);
		overrides.dtype = args.values.dtype;
	}
}

let stopRequested = false;
const stop = () => {
	if (stopRequested) process.exit(130);
	stopRequested = true;
	log.info('stopping after the current document (again to quit now)');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const settings = nerSettingsFromConfig(config, overrides);
// A queued job's model was chosen on the Pré-annoter page: a failure there is the job's, recorded below.
if (jobId === undefined) checkNerChoices(NAME, settings, { model: args.values.model, style: args.values.style });
let summary: CorpusSummary;
let cancelled = false;
try {
	const loadStarted = performance.now();
	const model = await getNerModel(settings);
	log.info(
		`model ${model.owner} (${settings.dtype}, ${settings.threads} thread${settings.threads > 1 ? 's' : ''}, ${model.scheme} labels, windows of ${model.windowBudget} pieces) loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`
	);
	const steps = await defaultSteps(project, { model, batchSize, warn: log.warn, db });
	const bar = jobId === undefined ? createProgressBar(`[${NAME}] {bar} {percentage}% | {value}/{total} docs | {rate} docs/s | {wps} words/s | ETA {eta_formatted}`) : null;
	const started = performance.now();
	let lastReport = 0;
	summary = await preannotateCorpus(db, project, {
		steps,
		mode,
		limit,
		shouldStop: () => stopRequested || cancelled,
		onProgress: (progress) => {
			const seconds = (performance.now() - started) / 1000 || 1e-9;
			if (progress.done === 0) {
				bar?.start(progress.total, { rate: '0.0', wps: '0' });
				if (jobId !== undefined) markJobRunning(db, jobId, progress.total);
			} else {
				bar?.update(progress.done, { rate: (progress.done / seconds).toFixed(1), wps: Math.round(progress.words / seconds) });
			}
			// The job row is updated at most 4 times a second, and always at the end.
			if (jobId !== undefined && (progress.done === progress.total || performance.now() - lastReport > 250)) {
				lastReport = performance.now();
				if (!reportJobProgress(db, jobId, progress.done, progress.total)) cancelled = true;
			}
		}
	});
	bar?.stop();
} catch (error) {
	const message = (error as Error).message;
	if (jobId !== undefined) finishJob(db, jobId, 'failed', message);
	await disposeNerModels();
	fail(NAME, message);
}
await disposeNerModels();
for (const problem of summary.problems.slice(0, 20)) log.error(`document ${problem.documentId}: ${problem.message}`);
const seconds = Math.max(summary.seconds, 1e-9);
const line = `${summary.done} of ${summary.total} documents${summary.stopped ? ' (stopped)' : ''}, ${summary.spans} suggestions, ${summary.words} words, ${summary.failed} failed, ${(summary.done / seconds).toFixed(2)} docs/s, ${Math.round(summary.words / seconds)} words/s, ${seconds.toFixed(1)} s (${summary.owners.join(', ')}, project ${project.slug}, ${mode})`;
if (jobId !== undefined) {
	// The job's line is read on the Pré-annoter page, in French.
	const jobLine = `${formatCount(summary.done)} document${summary.done === 1 ? '' : 's'} sur ${formatCount(summary.total)}${summary.stopped ? ' (arrêté)' : ''}, ${formatCount(summary.spans)} suggestion${summary.spans === 1 ? '' : 's'}, ${summary.failed} en échec, ${formatCount(Math.round(summary.words / seconds))} mots/s, ${formatDecimal(seconds)} s (${summary.owners.join(', ')})`;
	finishJob(db, jobId, cancelled ? 'cancelled' : summary.failed ? 'failed' : stopRequested ? 'cancelled' : 'done', jobLine, { done: summary.done });
}
log.info(line);
db.$client.close();
process.exit(summary.failed ? 1 : summary.stopped && !cancelled ? 130 : 0);
