// Which local model is the default: `models/DEFAULT` names its folder when a retrained model was
// promoted (`npm run model:train`); otherwise the shipped `guillemet-ner-fr`. NER_MODEL, when set,
// wins over both. Promoting never deletes the previous folder. Also what a model name or style
// may be (the folders there, the styles a model lists), checked before anything loads the model.
import fs from 'node:fs';
import path from 'node:path';
import type { NerModelSettings } from './model';

/** What says which model and style to use, whoever passes it (the scripts' full settings, the server's configuration). */
type NerChoice = Pick<NerModelSettings, 'name' | 'modelsDir' | 'allowRemote' | 'style'>;

export const SHIPPED_MODEL = 'guillemet-ner-fr';
export const DEFAULT_MODEL_FILE = 'DEFAULT';

export function readDefaultModelName(modelsDir: string): string {
	const file = path.join(modelsDir, DEFAULT_MODEL_FILE);
	if (!fs.existsSync(file)) return SHIPPED_MODEL;
	const name = fs.readFileSync(file, 'utf8').trim();
	if (!/^[\w.-]+$/.test(name) || !fs.existsSync(path.join(modelsDir, name, 'config.json'))) {
		throw new Error(`${file} names "${name}", which is not a model folder in ${modelsDir}`);
	}
	return name;
}

/** The folder a model name stands for: itself when absolute, else a folder of `modelsDir` (a Hub id has none there). */
export function modelFolder(modelsDir: string, name: string): string {
	return path.isAbsolute(name) ? name : path.join(modelsDir, name);
}

/** The model folders under `modelsDir` (those with a config.json), sorted: what NER_MODEL and --model may name. */
function listModelFolders(modelsDir: string): string[] {
	if (!fs.existsSync(modelsDir)) return [];
	return fs
		.readdirSync(modelsDir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && fs.existsSync(path.join(modelsDir, entry.name, 'config.json')))
		.map((entry) => entry.name)
		.sort();
}

export function promoteModel(modelsDir: string, name: string): void {
	if (!fs.existsSync(path.join(modelsDir, name, 'config.json'))) throw new Error(`cannot promote "${name}": ${path.join(modelsDir, name)} is not a model folder`);
	const file = path.join(modelsDir, DEFAULT_MODEL_FILE);
	fs.writeFileSync(`${file}.partial`, `${name}\n`);
	fs.renameSync(`${file}.partial`, file);
}

/** A model or style that does not exist, found before anything is loaded: the setting, its value and what it could be. */
export interface NerChoiceProblem {
	setting: 'model' | 'style';
	value: string;
	/** The model folders under modelsDir, or the model's styles (empty: it has none). */
	choices: string[];
	/** The model's folder (a model problem: the folder that is not one). */
	folder: string;
}

/**
 * Checks the model's name and style against what is on disk, without loading it: a mistyped
 * `--model` or `--style` is the caller's to fix (the scripts' usage error, the server's bad
 * setting), not a model that failed. A Hub id (allowRemote) and a config.json that cannot be
 * read are left to `loadNerModel`, which says what is wrong with them.
 */
export function findNerChoiceProblem(settings: NerChoice): NerChoiceProblem | null {
	const folder = modelFolder(settings.modelsDir, settings.name);
	const configFile = path.join(folder, 'config.json');
	if (!fs.existsSync(configFile)) return settings.allowRemote ? null : { setting: 'model', value: settings.name, choices: listModelFolders(settings.modelsDir), folder };
	if (!settings.style) return null;
	let config: Record<string, unknown>;
	try {
		config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
	} catch {
		return null; // loadNerModel reports the broken file itself, as for any other model
	}
	const styles = readModelStyles(config, settings.name);
	return styles.includes(settings.style) ? null : { setting: 'style', value: settings.style, choices: styles, folder };
}

/** The problem in one English line, naming the option or variable it came from (`--model`, `NER_MODEL`…). */
export function describeNerChoiceProblem(problem: NerChoiceProblem, name: string, settings: NerChoice): string {
	if (problem.setting === 'model') {
		const known = problem.choices.length ? `the models there: ${problem.choices.join(', ')}` : 'there is none';
		return `${name} "${problem.value}" is not a model folder in ${settings.modelsDir} (no ${path.join(problem.folder, 'config.json')}); ${known}${settings.allowRemote ? '' : ' (NER_ALLOW_REMOTE=1 for a Hugging Face hub id)'}`;
	}
	return problem.choices.length
		? `${name} "${problem.value}" is not a style of the model "${settings.name}"; its styles: ${problem.choices.join(', ')}`
		: `${name} "${problem.value}": the model "${settings.name}" has no annotation styles; leave ${name} unset`;
}

/** The annotation styles a model's config.json lists under guillemet.styles (none for most models); the first is its default. */
export function readModelStyles(config: Record<string, unknown>, name: string): string[] {
	const styles = (config.guillemet as { styles?: unknown } | undefined)?.styles;
	if (styles === undefined) return [];
	if (!Array.isArray(styles) || !styles.every((s) => typeof s === 'string' && s.length > 0)) {
		throw new Error(`NER model "${name}": guillemet.styles in its config.json must be a list of style names`);
	}
	const typeVocabSize = config.type_vocab_size;
	if (typeof typeVocabSize === 'number' && styles.length > typeVocabSize) {
		throw new Error(`NER model "${name}" lists ${styles.length} styles but has ${typeVocabSize} token types`);
	}
	return styles;
}
