// The web app's process-wide context: configuration, the database and the default project,
// created once at start-up (hooks.server.ts `init`). Scripts and tests build their own.
import fs from 'node:fs';
import path from 'node:path';
import { checkAdminFromEnvironment } from './auth/accounts';
import { ConfigError, loadConfig, PROJECT_ROOT, type Config } from './config';
import { openDatabase, type Db } from './db/client';
import { countDocuments } from './db/documents';
import { ensureDefaultProject } from './db/projects';
import { ensureUser, LOCAL_USERNAME } from './db/users';
import { collectImportFiles, importFiles, type ImportSummary } from './import';
import { failAbandonedJobs, startPreannotationJob } from './jobs';
import { describeNerChoiceProblem, findNerChoiceProblem } from './ner/registry';

export interface AppContext {
	config: Config;
	db: Db;
}

let context: AppContext | null = null;

/** How long a write of the web server waits for another connection's write (see startApp). */
export const WEB_BUSY_TIMEOUT_MS = 1000;

export const SAMPLES_DIR = path.join(PROJECT_ROOT, 'src', 'lib', 'server', 'samples');

export function startApp(): AppContext {
	if (context) return context;
	const config = loadConfig();
	// Every setting is checked before the database is created: a bad one leaves nothing behind.
	checkNerSettings(config);
	checkAdminFromEnvironment();
	// While better-sqlite3 waits for the write lock it holds the server's one thread, and every
	// request with it: a save that meets a long write (an import job, `npm run import`) gives up
	// after a second (SQLITE_BUSY, said in French by handleError, retried by the workspace) instead
	// of freezing everyone for five.
	const db = openDatabase(config.databasePath, { busyTimeoutMs: WEB_BUSY_TIMEOUT_MS });
	const project = ensureDefaultProject(db);
	ensureUser(db, LOCAL_USERNAME, 'admin');
	// A job that was running when the server stopped would show as running for ever.
	const abandoned = failAbandonedJobs(db);
	if (abandoned) console.warn(`[guillemet] ${abandoned} background job${abandoned === 1 ? '' : 's'} stopped with the last server: marked failed`);
	if (config.SAMPLES_ON_FIRST_START && countDocuments(db) === 0) {
		const summary = importSampleArticles(db, project);
		console.log(`[guillemet] first start: imported ${summary.imported} sample articles`);
		if (summary.imported > 0 && config.SAMPLES_PREANNOTATE) preannotateSamples(db, project.id);
	}
	context = { config, db };
	return context;
}

/**
 * A NER_MODEL that is not a model folder, or a NER_STYLE the model does not have, would only show
 * when the first pre-annotation fails: the server refuses it at start instead, naming the choices.
 */
function checkNerSettings(config: Config): void {
	// Built here rather than by nerSettingsFromConfig, whose module loads the ONNX runtime.
	const settings = { name: config.NER_MODEL, modelsDir: config.modelsDir, allowRemote: config.NER_ALLOW_REMOTE, style: config.NER_STYLE || undefined };
	const problem = findNerChoiceProblem(settings);
	if (problem) throw new ConfigError(describeNerChoiceProblem(problem, problem.setting === 'model' ? 'NER_MODEL' : 'NER_STYLE', settings));
}

export function getApp(): AppContext {
	return context ?? startApp();
}

/**
 * The samples open with the model's and the rules' suggestions, as a user's own articles would
 * after `Pré-annoter`: a background job, so the server answers at once. A failure (no model
 * folder, say) is reported and leaves the app usable; the Pré-annoter page can run it again.
 */
function preannotateSamples(db: Db, projectId: number): void {
	try {
		const job = startPreannotationJob(db, projectId, { mode: 'only-new' });
		console.log(`[guillemet] first start: pre-annotating the samples (job #${job.id}, see Pré-annoter)`);
	} catch (error) {
		console.warn(`[guillemet] first start: the samples were not pre-annotated: ${(error as Error).message}`);
	}
}

function importSampleArticles(db: Db, project: ReturnType<typeof ensureDefaultProject>): ImportSummary {
	if (!fs.existsSync(SAMPLES_DIR)) return { files: 0, imported: 0, duplicates: 0, setsImported: 0, problems: [], sameTextOtherId: [] };
	return importFiles(db, project, collectImportFiles([SAMPLES_DIR]).files);
}
