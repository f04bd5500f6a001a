// Which local model is the default: `models/DEFAULT` names its folder when a retrained model was
// promoted (`npm run model:train`); otherwise the shipped `guillemet-ner-fr`. NER_MODEL, when set,
// wins over both. Promoting never deletes the previous folder.
import fs from 'node:fs';
import path from 'node:path';

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

/** The model folders under `modelsDir` (those with a config.json), sorted: what NER_MODEL and --model may name. */
export function listModelFolders(modelsDir: string): string[] {
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
