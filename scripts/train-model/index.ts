// npm run model:train -- --from-corpus [--project slug] [--minutes 60] [--candidate <folder>] [--eval name=file …] [--no-preannotate]
// Retrains the NER model on the project's own finished annotations, together with the open data
// when it is there, and makes the result the default only when it is better:
//   1. export the project's done (gold where reviewed) documents as BIO sentences, split by
//      document into train (80%), a dev slice that chooses the checkpoint (10%) and a held-out
//      slice (10%) that neither training nor the checkpoint choice sees (ner/training-corpus.ts);
//   2. continue training the current default model on them (scripts/train-ner-model/train.py
//      --init-from-model, Python with Debian's torch and onnx) into a new folder models/<name>-<time>,
//      its best checkpoint chosen on the open dev sets (when ../shared/data is there) and the dev slice;
//   3. evaluate current and candidate with the same path as `npm run ner:eval` on the open dev
//      sets, the held-out slice and the --eval sets;
//   4. promote (models/DEFAULT) or keep, by src/lib/domain/ner/promotion.ts; the old folder stays;
//   5. after a promotion, pre-annotate again the documents nobody has reviewed.
// --candidate skips training and judges an already trained folder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entityLabelNames } from '../../src/lib/domain/label-schema';
import { decidePromotion, DEFAULT_PROMOTION_POLICY } from '../../src/lib/domain/ner/promotion';
import { loadConfig, PROJECT_ROOT } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/client';
import { getProjectBySlug, type Project } from '../../src/lib/server/db/projects';
import { evaluateNerModel, readTaggedSentences } from '../../src/lib/server/ner/evaluate';
import { disposeNerModels, loadNerModel, nerSettingsFromConfig } from '../../src/lib/server/ner/model';
import { modelFolder, promoteModel } from '../../src/lib/server/ner/registry';
import { exportTrainingCorpus, trainerArguments } from '../../src/lib/server/ner/training-corpus';
import { defaultSteps, preannotateCorpus } from '../../src/lib/server/preannotate';
import { createLogger, fail, parseCommandLine } from '../lib/cli';

const NAME = 'model:train';
const log = createLogger(NAME);
const usage = `usage: npm run model:train -- --from-corpus [options]
  --project <slug>        project whose done documents are used (default: default)
  --minutes <n>           training time budget (default 60)
  --candidate <folder>    skip training: judge this already trained model folder (under MODELS_DIR or absolute)
  --eval <name=file>      extra evaluation set(s) of {tokens, tags} sentences (repeatable)
  --open-data <folder>    the open NER data (ner-fr-*/train|dev.jsonl.gz) trained and evaluated on too
                          (default ../shared/data when present; 'none' for the project's corpus alone)
  --min-gain <pt>         required gain of the mean exact F1, in points (default ${100 * DEFAULT_PROMOTION_POLICY.minGain})
  --max-loss <pt>         largest drop tolerated on one set, in points (default ${100 * DEFAULT_PROMOTION_POLICY.maxLoss})
  --no-preannotate        do not pre-annotate unreviewed documents after a promotion`;

const args = parseCommandLine(NAME, usage, {
	strict: true,
	options: {
		'from-corpus': { type: 'boolean', default: false },
		project: { type: 'string', default: 'default' },
		minutes: { type: 'string', default: '60' },
		candidate: { type: 'string' },
		eval: { type: 'string', multiple: true, default: [] },
		'open-data': { type: 'string' },
		'min-gain': { type: 'string' },
		'max-loss': { type: 'string' },
		'no-preannotate': { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h' }
	}
});
if (!args.values['from-corpus']) fail(NAME, `--from-corpus is required (the only training source this command knows)\n${usage}`, 2);
const minutes = Number(args.values.minutes);
if (!(minutes > 0)) fail(NAME, `--minutes must be a positive number (got ${args.values.minutes})`, 2);
const policy = {
	minGain: args.values['min-gain'] === undefined ? DEFAULT_PROMOTION_POLICY.minGain : Number(args.values['min-gain']) / 100,
	maxLoss: args.values['max-loss'] === undefined ? DEFAULT_PROMOTION_POLICY.maxLoss : Number(args.values['max-loss']) / 100
};
if (!Number.isFinite(policy.minGain) || !Number.isFinite(policy.maxLoss)) fail(NAME, '--min-gain and --max-loss are numbers of F1 points', 2);

const config = loadConfig();
// A mistyped --candidate is said at once, not after the current model was scored on every set.
if (args.values.candidate) {
	const folder = modelFolder(config.modelsDir, args.values.candidate);
	if (!fs.existsSync(path.join(folder, 'config.json'))) fail(NAME, `--candidate ${args.values.candidate}: no model folder ${folder} (expected its config.json)`, 2);
}
// Folders and files named on the command line are checked before any work (export, scoring).
const sharedData = args.values['open-data'] === 'none' ? '' : path.resolve(args.values['open-data'] ?? path.join(PROJECT_ROOT, '..', 'shared', 'data'));
if (args.values['open-data'] && sharedData && !fs.existsSync(sharedData)) fail(NAME, `--open-data ${sharedData}: no such folder`, 2);
const extraEvalSets = args.values.eval!.map((spec) => {
	const [name, file] = spec.includes('=') ? spec.split(/=(.*)/s) : [path.basename(spec), spec];
	if (!fs.existsSync(file)) fail(NAME, `--eval ${spec}: no such file`, 2);
	return { name, file };
});
const db = openDatabase(config.databasePath, { existing: true });
let project: Project;
try {
	project = getProjectBySlug(db, args.values.project!);
} catch (error) {
	fail(NAME, (error as Error).message, 2);
}
const current = config.NER_MODEL;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-train-'));
// Removed however the script ends: fail() exits from anywhere below.
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

// 1. The project's own corpus, split by document (stable: the export's seeded split).
const corpus = await exportTrainingCorpus(db, project, path.join(work, 'corpus'), `npm run model:train -- --from-corpus --project ${project.slug}`);
const { train: trainSentences, dev: devSentences, heldout: heldoutSentences } = corpus.sentences;
log.info(
	`project ${project.slug}: ${trainSentences} training, ${devSentences} checkpoint-choice and ${heldoutSentences} held-out sentences from its done documents`
);

const openDev = (sharedData ? ['wikineural', 'sequoia', 'newseye'] : [])
	.map((name) => ({ name, file: path.join(sharedData, `ner-fr-${name}`, 'dev.jsonl.gz') }))
	.filter((set) => fs.existsSync(set.file));
const evalSets = [
	...openDev,
	...(heldoutSentences ? [{ name: `${project.slug}-heldout`, file: corpus.files.heldout }] : []),
	...extraEvalSets
];
if (evalSets.length === 0) fail(NAME, 'nothing to evaluate on: no open dev set (../shared/data) and no held-out documents; pass --eval name=file', 1);

// 2. The candidate: trained now, or given.
let candidate = args.values.candidate;
if (!candidate) {
	if (trainSentences === 0) fail(NAME, `project ${project.slug} has no done document to train on`, 1);
	// The checkpoint is chosen on sets that do not decide the promotion (never the held-out slice).
	const checkpointSets = [...openDev, ...(devSentences ? [{ name: `${project.slug}-dev`, file: corpus.files.dev }] : [])];
	if (checkpointSets.length === 0) {
		fail(NAME, `nothing to choose the checkpoint on: no open dev set (--open-data) and no document of project ${project.slug} in its dev slice (10% of the done documents); annotate more documents or use the open data`, 1);
	}
	const python = '/usr/bin/python3';
	const probe = spawnSync(python, ['-c', 'import torch, onnx'], { encoding: 'utf8' });
	if (probe.status !== 0) fail(NAME, `training needs Debian's PyTorch and ONNX: apt-get install -y python3-torch python3-onnx libopenblas0-pthread (${probe.stderr?.trim().split('\n').at(-1) ?? probe.error?.message})`, 1);
	candidate = `${path.basename(current)}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 13)}`;
	const currentFolder = modelFolder(config.modelsDir, current);
	// Open data trained on with the project's corpus, augmented like the shipped model's runs
	// (train.py @mentions, @ocr). Sequoia's README invites merging its test split into training.
	const openTrain = (sharedData ? ['wikineural/train@ocr', 'newseye/train@mentions@ocr:1:3', 'sequoia/train@mentions:1:2', 'sequoia/test@mentions:1:2'] : [])
		.map((spec) => {
			const [set, ...weight] = spec.split(':');
			const [file, ...flags] = set.split('@');
			const [name, split] = file.split('/');
			return { file: path.join(sharedData, `ner-fr-${name}`, `${split}.jsonl.gz`), flags, weight };
		})
		.filter((set) => fs.existsSync(set.file))
		.map((set) => [set.file + set.flags.map((flag) => `@${flag}`).join(''), ...set.weight].join(':'));
	const trainArgs = trainerArguments({
		trainScript: path.join(PROJECT_ROOT, 'scripts', 'train-ner-model', 'train.py'),
		initFrom: currentFolder,
		openTrain,
		projectTrain: corpus.files.train,
		checkpointSets,
		minutes,
		checkpointDir: path.join(work, 'checkpoints'),
		out: path.join(config.modelsDir, candidate)
	});
	log.info(`training ${candidate} from ${current} for ${minutes} min: ${python} ${trainArgs.join(' ')}`);
	const run = spawnSync(python, trainArgs, { stdio: 'inherit', cwd: PROJECT_ROOT });
	if (run.status !== 0) fail(NAME, `training failed (exit ${run.status}); nothing changed, ${current} stays the default`, 1);
}

// 3. Both models through the app's own evaluation path.
async function scoreModel(name: string): Promise<Record<string, number>> {
	const model = await loadNerModel(nerSettingsFromConfig(config, { name }));
	const scores: Record<string, number> = {};
	for (const set of evalSets) {
		const { sentences, problems } = readTaggedSentences(set.file);
		if (problems.length) fail(NAME, `${set.file}:${problems[0].line}: ${problems[0].message}`, 1);
		if (sentences.length === 0) fail(NAME, `${set.file}: no sentence to evaluate on`, 1);
		// As the project's pre-annotation would run it, person-title convention included.
		const result = await evaluateNerModel(model, sentences, { projectLabels: entityLabelNames(project.labelSchema), personTitles: project.labelSchema.personTitles });
		scores[set.name] = result.exact.micro.f1;
	}
	await model.dispose();
	return scores;
}
const currentScores = await scoreModel(current);
const candidateScores = await scoreModel(candidate);
const decision = decidePromotion(currentScores, candidateScores, policy);
console.log(`\nexact micro-F1     ${'current'.padStart(9)} ${'candidate'.padStart(10)}   Δ`);
for (const s of decision.perSet) console.log(`${s.name.padEnd(18)} ${(100 * s.current).toFixed(1).padStart(9)} ${(100 * s.candidate).toFixed(1).padStart(10)}   ${(100 * s.delta >= 0 ? '+' : '') + (100 * s.delta).toFixed(1)}`);
console.log(`${'mean'.padEnd(18)} ${(100 * decision.currentMean).toFixed(1).padStart(9)} ${(100 * decision.candidateMean).toFixed(1).padStart(10)}\n`);

// 4. Promote or keep; 5. refresh the suggestions of unreviewed documents.
if (!decision.promote) {
	log.info(`kept ${current} as the default: ${decision.reason}; the candidate stays in ${candidate}`);
} else {
	promoteModel(config.modelsDir, candidate);
	log.info(`promoted ${candidate} (was ${current}): ${decision.reason}; ${path.join(config.modelsDir, 'DEFAULT')} names it`);
	if (!args.values['no-preannotate']) {
		const model = await loadNerModel(nerSettingsFromConfig(config, { name: candidate }));
		const summary = await preannotateCorpus(db, project, { steps: await defaultSteps(project, { model, db }), mode: 'unreviewed' });
		log.info(`pre-annotated ${summary.done} unreviewed documents with ${model.owner}`);
	}
}
await disposeNerModels();
db.$client.close();
