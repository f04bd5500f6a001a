// What `npm run model:train -- --from-corpus` trains on, chooses its checkpoint on and judges the
// candidate on. Three slices of the project's done documents, by document and seeded (the export's
// split rule), so that no sentence of a document is in two of them:
//   train    80%  trained on;
//   dev      10%  chooses train.py's best checkpoint (with the open dev sets when they are there);
//   heldout  10%  decides the promotion, with the open dev sets and --eval sets; training never
//                 sees it, and neither does the checkpoint choice, which would flatter the candidate.
// The held-out documents are those of the `test` part of
// `npm run export -- --split train=0.8,dev=0.1,test=0.1 --seed 13`, and stay so when the corpus grows.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_EXPORT_OPTIONS } from '../../domain/export/options';
import type { Db } from '../db/client';
import type { Project } from '../db/projects';
import { exportToFiles } from '../export';

const TRAINING_SPLIT = [
	{ name: 'train', ratio: 0.8 },
	{ name: 'dev', ratio: 0.1 },
	{ name: 'heldout', ratio: 0.1 }
] as const;
const TRAINING_SEED = 13;

export type TrainingPart = (typeof TRAINING_SPLIT)[number]['name'];

export interface TrainingCorpus {
	/** `<folder>/<part>.jsonl` of each part: BIO sentences ({tokens, ner_tags}), beside the export's manifest. */
	files: Record<TrainingPart, string>;
	/** Sentences in each part; 0 when no document fell in it (its file may then be absent). */
	sentences: Record<TrainingPart, number>;
}

/** Exports the project's done documents (the gold set where reviewed) into `folder`, split as above. */
export async function exportTrainingCorpus(db: Db, project: Project, folder: string, command: string): Promise<TrainingCorpus> {
	await exportToFiles(db, {
		project,
		options: { ...DEFAULT_EXPORT_OPTIONS, format: 'bio', layers: ['entity'], split: TRAINING_SPLIT.map((part) => ({ ...part })), seed: TRAINING_SEED },
		out: `${folder}/`,
		command,
		// No done document yet is not an error here: the caller says so, and --candidate still runs.
		allowEmpty: true
	});
	const files = Object.fromEntries(TRAINING_SPLIT.map(({ name }) => [name, path.join(folder, `${name}.jsonl`)])) as Record<TrainingPart, string>;
	const countLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);
	const sentences = Object.fromEntries(TRAINING_SPLIT.map(({ name }) => [name, countLines(files[name])])) as Record<TrainingPart, number>;
	return { files, sentences };
}

export interface TrainerRun {
	trainScript: string;
	/** The model folder training continues from. */
	initFrom: string;
	/** Open data training specs (`file[@flag…][:weight[:repeat]]`), none with `--open-data none`. */
	openTrain: readonly string[];
	/** The project's training slice. */
	projectTrain: string;
	/** Sets train.py chooses its best checkpoint on (`name=file`): never the held-out slice. */
	checkpointSets: readonly { name: string; file: string }[];
	minutes: number;
	checkpointDir: string;
	out: string;
}

/** How often the project's sentences are repeated per epoch: its few sentences against the open data's many. */
const PROJECT_REPEAT = 3;

/** train.py's arguments for a model:train run. */
export function trainerArguments(run: TrainerRun): string[] {
	if (run.checkpointSets.length === 0) throw new Error('train.py needs at least one set to choose its checkpoint on');
	return [
		run.trainScript,
		'--init-from-model', run.initFrom,
		// The project's corpus once, with its weight, whether or not open data comes with it.
		'--train', ...run.openTrain, `${run.projectTrain}:1:${PROJECT_REPEAT}`,
		// Sequoia's README invites merging its test split into training (see scripts/train-model).
		...(run.openTrain.length ? ['--allow-test-split'] : []),
		'--dev', ...run.checkpointSets.map((set) => `${set.name}=${set.file}`),
		'--time-budget-minutes', String(run.minutes),
		// train.py keeps 4 minutes of the budget for the export by default, all of a short run's;
		// the export of one model takes well under a minute
		'--export-reserve-minutes', String(Math.min(4, run.minutes / 4)),
		'--ckpt-dir', run.checkpointDir,
		'--out', run.out
	];
}
