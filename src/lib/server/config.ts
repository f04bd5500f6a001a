// All configuration, read and validated in one place, with defaults that run out of the box.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readDefaultModelName } from './ner/registry';

/** The project root, found from this file so scripts and the built server agree. */
export const PROJECT_ROOT = findProjectRoot();

function findProjectRoot(): string {
	if (process.env.GUILLEMET_ROOT) return path.resolve(process.env.GUILLEMET_ROOT);
	// src/lib/server/config.ts in dev and scripts; build/server/chunks/*.js once built.
	const here = path.dirname(fileURLToPath(import.meta.url));
	const marker = `${path.sep}src${path.sep}lib${path.sep}server`;
	if (here.includes(marker)) return here.slice(0, here.lastIndexOf(marker));
	const build = `${path.sep}build${path.sep}`;
	if (here.includes(build)) return here.slice(0, here.lastIndexOf(build));
	return process.cwd();
}

const envSchema = z.object({
	DATABASE_PATH: z.string().min(1).default('data/guillemet.db'),
	MODELS_DIR: z.string().min(1).default('models'),
	/** Unset: the promoted model named in models/DEFAULT, else the shipped guillemet-ner-fr (see ner/registry.ts). */
	NER_MODEL: z.string().min(1).optional(),
	NER_DTYPE: z.enum(['fp32', 'q8']).default('q8'),
	NER_THREADS: z.coerce.number().int().min(1).max(64).default(1),
	/**
	 * Longest window sent to the model, in tokens. Small models trained on sentence-length chunks
	 * (the shipped one) lose most of their accuracy on long multi-sentence windows; 128 keeps a
	 * sentence or two of context. The model's own limit applies anyway.
	 */
	NER_MAX_LENGTH: z.coerce.number().int().min(16).max(8192).default(128),
	/**
	 * Annotation style, for a model trained on corpora with different conventions (`train.py --styles`;
	 * its config.json lists them; the shipped model has none). Empty: the model's default style.
	 */
	NER_STYLE: z.string().default(''),
	NER_ALLOW_REMOTE: z
		.enum(['0', '1', 'true', 'false'])
		.default('0')
		.transform((v) => v === '1' || v === 'true'),
	/** Model label -> project label, e.g. `PERSON=PER,GPE=LOC,DATE=` (empty target: drop). See domain/ner/labels.ts. */
	NER_LABEL_MAP: z
		.string()
		.default('')
		.refine((v) => v.split(',').every((entry) => entry.trim() === '' || /^[^=\s]+\s*=\s*\S*$/.test(entry.trim())), 'use FROM=TO pairs separated by commas, e.g. PERSON=PER,GPE=LOC'),
	SAMPLES_ON_FIRST_START: z
		.enum(['0', '1', 'true', 'false'])
		.default('1')
		.transform((v) => v === '1' || v === 'true'),
	/** Pre-annotate the samples imported at first start (a background job), so they open with suggestions. */
	SAMPLES_PREANNOTATE: z
		.enum(['0', '1', 'true', 'false'])
		.default('1')
		.transform((v) => v === '1' || v === 'true'),
	UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024)
});

export type Config = Omit<z.infer<typeof envSchema>, 'NER_MODEL'> & { NER_MODEL: string; databasePath: string; modelsDir: string };

/** A variable of the environment that cannot be used: the operator's to fix, said in one line. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Reads the environment once; throws a ConfigError `X is invalid: …` naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const picked = Object.fromEntries(Object.keys(envSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]));
	const parsed = envSchema.safeParse(picked);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new ConfigError(`${issue.path.join('.')} is invalid: ${issue.message}`);
	}
	const config = parsed.data;
	const modelsDir = path.resolve(PROJECT_ROOT, config.MODELS_DIR);
	return {
		...config,
		NER_MODEL: config.NER_MODEL ?? readPromotedModelName(modelsDir),
		databasePath: config.DATABASE_PATH === ':memory:' ? ':memory:' : path.resolve(PROJECT_ROOT, config.DATABASE_PATH),
		modelsDir
	};
}

/** models/DEFAULT naming a folder that is not there is a setting to fix, said like the others. */
function readPromotedModelName(modelsDir: string): string {
	try {
		return readDefaultModelName(modelsDir);
	} catch (error) {
		throw new ConfigError(`NER_MODEL is not set and ${(error as Error).message}`);
	}
}
