// Background jobs: corpus pre-annotation and uploaded imports off the request path, with progress
// (and an import's summary) in the `jobs` table.
//
// Why a child process and not a worker thread: inference keeps onnxruntime's threads and a few
// hundred MB of native memory busy for minutes; in a separate process they cannot stall the web
// server's event loop or grow its heap, a crash takes only the job down, and cancelling can end
// the process if it does not stop by itself. The child runs the same CLI the engineers use
// (`scripts/preannotate/index.ts --job <id>`), i.e. the same service as everything else.
// Imports go the same way: better-sqlite3 is synchronous, so a 30 MB upload imported inside the
// request froze every other request for as long (17 s measured); the form stores the files under
// uploads/<job id>/ beside the database and `scripts/import-articles/index.ts --job <id>` imports them.
//
// How it is started: `node --import <tsx loader> scripts/<kind's script>/index.ts --job <id>`, from
// PROJECT_ROOT, with the tsx loader resolved from the project's node_modules. The built server
// (build/ from adapter-node) has no source files, so it relies on the project folder it runs
// from (PROJECT_ROOT: scripts/, src/, node_modules/ with tsx), which is how this app is deployed
// (`npm start` from the checkout). Where tsx is missing (an install without dev dependencies)
// starting a job fails with a message that says so, instead of a job stuck in `queued`.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { PROJECT_ROOT } from '../config';
import type { Db } from '../db/client';
import { jobs } from '../db/schema';

export const PREANNOTATE_JOB_KIND = 'preannotate';
export const IMPORT_JOB_KIND = 'import';
export type JobKind = typeof PREANNOTATE_JOB_KIND | typeof IMPORT_JOB_KIND;

/** The CLI each kind of job runs with `--job <id>`, relative to the project folder. */
const JOB_SCRIPTS: Record<JobKind, string> = {
	[PREANNOTATE_JOB_KIND]: 'scripts/preannotate/index.ts',
	[IMPORT_JOB_KIND]: 'scripts/import-articles/index.ts'
};

export type JobStatus = (typeof jobs.$inferSelect)['status'];
type JobRow = typeof jobs.$inferSelect;

export interface PreannotationJobParams {
	mode: 'only-new' | 'all';
	model?: string;
	dtype?: 'q8' | 'fp32';
	limit?: number;
	threads?: number;
	batchSize?: number;
}

/** One uploaded file as the import job finds it: the name people gave it, where it was stored. */
export interface StoredUpload {
	name: string;
	path: string;
}

export interface ImportJobParams {
	files: StoredUpload[];
}

export interface JobProgress {
	id: number;
	projectId: number;
	kind: string;
	status: JobStatus;
	done: number;
	total: number;
	/** 0–100, or null while the total is unknown. */
	percent: number | null;
	message: string | null;
	params: Record<string, unknown>;
	/** Set by the worker when it ends (an import's summary). */
	result: Record<string, unknown> | null;
	createdAt: string;
	finishedAt: string | null;
	/** Measured over the run so far; null before the first document. */
	documentsPerSecond: number | null;
	etaSeconds: number | null;
	/** queued or running */
	active: boolean;
}

export interface StartJobOptions {
	/** Extra environment for the worker (tests point NER_MODEL/MODELS_DIR at a fixture). */
	env?: Record<string, string>;
}

const ACTIVE: JobStatus[] = ['queued', 'running'];

/**
 * A project runs one job of a kind at a time (one SQLite writer; a second import of the same
 * files would only find duplicates); the message is French, for the page that started it.
 */
export class JobAlreadyRunningError extends Error {
	override name = 'JobAlreadyRunningError';
	constructor(
		readonly jobId: number,
		kind: JobKind = PREANNOTATE_JOB_KIND
	) {
		super(
			kind === IMPORT_JOB_KIND
				? `L’import n° ${jobId} est déjà en cours pour ce projet : attendez qu’il finisse avant d’en lancer un autre.`
				: `La pré-annotation n° ${jobId} est déjà en cours pour ce projet : attendez qu’elle finisse, ou annulez-la, avant d’en lancer une autre.`
		);
	}
}

/** The uploaded files could not be stored for the import job (disk full, no permission): French, for the Importer page. */
export class UploadNotStoredError extends Error {
	override name = 'UploadNotStoredError';
	constructor(cause: Error) {
		super(`Les fichiers envoyés n’ont pas pu être enregistrés sur le serveur (${cause.message}) : rien n’a été importé.`);
	}
}

const workers = new Map<number, ChildProcess>();
/**
 * Progress a worker sends over its IPC channel. An import writes a whole file in one transaction,
 * so what it writes to its jobs row meanwhile is seen only at the file's end: a 30 MB file would
 * show no progress at all. Lost with the server; the row's own figures are used then.
 */
const liveProgress = new Map<number, { done: number; total: number }>();

/** Called by a worker inside a long transaction: progress for the server that started it, if any. */
export function sendLiveProgress(done: number, total: number): void {
	if (process.send && process.connected) process.send({ progress: { done, total } });
}

/**
 * Queues a pre-annotation job for a project and starts its worker process. Throws when the
 * project already has an active pre-annotation job.
 */
export function startPreannotationJob(db: Db, projectId: number, params: PreannotationJobParams, options: StartJobOptions = {}): JobProgress {
	const job = queueJob(db, projectId, PREANNOTATE_JOB_KIND, { ...params });
	return spawnWorker(db, job.id, PREANNOTATE_JOB_KIND, options);
}

/**
 * Stores uploaded files under uploads/<job id>/ beside the database and starts an import job on
 * them; the folder is removed when the job ends, however it ends. Throws JobAlreadyRunningError
 * when an import of the project is still running, UploadNotStoredError when the files cannot be
 * written (the job is then recorded as failed, and nothing is imported).
 */
export function startImportJob(db: Db, projectId: number, uploads: readonly { name: string; bytes: Uint8Array }[], options: StartJobOptions = {}): JobProgress {
	const job = queueJob(db, projectId, IMPORT_JOB_KIND, {});
	const folder = uploadFolder(db, job.id);
	let files: StoredUpload[];
	try {
		fs.mkdirSync(folder, { recursive: true });
		// Stored by position: an uploaded name may hold anything, and two files may share one.
		files = uploads.map((upload, i) => {
			const file = path.join(folder, `${i}${storedExtension(upload.name)}`);
			fs.writeFileSync(file, upload.bytes);
			return { name: upload.name, path: file };
		});
	} catch (error) {
		finishJob(db, job.id, 'failed', `les fichiers envoyés n’ont pas pu être enregistrés : ${(error as Error).message}`);
		removeUploads(db, job.id);
		throw new UploadNotStoredError(error as Error);
	}
	const params: ImportJobParams = { files };
	db.update(jobs)
		.set({ params: params as unknown as Record<string, unknown> })
		.where(eq(jobs.id, job.id))
		.run();
	return spawnWorker(db, job.id, IMPORT_JOB_KIND, options);
}

/** Where an import job's uploaded files wait: beside the database, so on the same disk and backed up with it. */
export function uploadFolder(db: Db, jobId: number): string {
	return path.join(path.dirname(databaseFileOf(db)), 'uploads', String(jobId));
}

/** Removes an import job's uploaded files; called by the worker when it ends and by the server when the worker is gone. */
export function removeUploads(db: Db, jobId: number): void {
	// Called from a child's exit handler too, where a throw would take the server down: a folder
	// that cannot be removed is said, and failAbandonedJobs tries again at the next start.
	try {
		fs.rmSync(uploadFolder(db, jobId), { recursive: true, force: true });
	} catch (error) {
		console.warn(`[guillemet] the uploads of job #${jobId} were not removed: ${(error as Error).message}`);
	}
}

/**
 * At server start: a job whose worker is gone (the server or the machine stopped under it) would
 * show as running for ever. It is marked failed, and upload folders of jobs that are over are
 * removed. An import stopped mid-file left nothing of that file: each file is one transaction.
 */
export function failAbandonedJobs(db: Db): number {
	let failed = 0;
	for (const row of db.select().from(jobs).where(inArray(jobs.status, ACTIVE)).all()) {
		if (isWorkerAlive(db, row.id)) continue;
		finishJob(db, row.id, 'failed', abandonedMessage(row.kind));
		failed++;
	}
	const uploads = path.join(path.dirname(databaseFileOf(db)), 'uploads');
	if (fs.existsSync(uploads)) {
		const active = new Set(db.select({ id: jobs.id }).from(jobs).where(inArray(jobs.status, ACTIVE)).all().map((row) => String(row.id)));
		for (const entry of fs.readdirSync(uploads)) if (!active.has(entry)) fs.rmSync(path.join(uploads, entry), { recursive: true, force: true });
	}
	return failed;
}

/**
 * Resolves when the job is over or after `ms`, without blocking the server: a small upload's
 * result can come back with the form's answer instead of after a first poll.
 */
export function waitForJob(jobId: number, ms: number): Promise<void> {
	const worker = workers.get(jobId);
	if (!worker || worker.exitCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, ms);
		worker.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

function abandonedMessage(kind: string): string {
	return kind === IMPORT_JOB_KIND
		? 'le processus d’import a disparu (serveur redémarré ?) : le fichier en cours n’a pas été importé, relancez l’import (les articles déjà importés seront reconnus)'
		: 'le processus de pré-annotation a disparu (serveur redémarré ?)';
}

function storedExtension(name: string): string {
	const lower = name.toLowerCase();
	return lower.endsWith('.jsonl.gz') ? '.jsonl.gz' : path.extname(lower).replace(/[^a-z.]/g, '');
}

function databaseFileOf(db: Db): string {
	const databaseFile = db.$client.name;
	if (!databaseFile || databaseFile === ':memory:') throw new Error('cannot run a background job on an in-memory database: the worker process opens the same file');
	return databaseFile;
}

/** Inserts a queued job after the one-at-a-time check; a job left active by a vanished worker is failed first. */
function queueJob(db: Db, projectId: number, kind: JobKind, params: Record<string, unknown>): JobRow {
	const active = db
		.select({ id: jobs.id })
		.from(jobs)
		.where(and(eq(jobs.projectId, projectId), eq(jobs.kind, kind), inArray(jobs.status, ACTIVE)))
		.get();
	if (active) {
		if (isWorkerAlive(db, active.id)) throw new JobAlreadyRunningError(active.id, kind);
		finishJob(db, active.id, 'failed', abandonedMessage(kind));
		if (kind === IMPORT_JOB_KIND) removeUploads(db, active.id);
	}
	databaseFileOf(db);
	resolveTsxLoader();
	const script = path.join(PROJECT_ROOT, JOB_SCRIPTS[kind]);
	if (!fs.existsSync(script)) throw new Error(`cannot start a ${kind} job: ${script} is missing`);
	return db.insert(jobs).values({ projectId, kind, status: 'queued', params }).returning().get();
}

function spawnWorker(db: Db, jobId: number, kind: JobKind, options: StartJobOptions): JobProgress {
	const databaseFile = databaseFileOf(db);
	const job = readJob(db, jobId)!;
	const params = job.params;
	const child = spawn(process.execPath, ['--import', pathToFileURL(resolveTsxLoader()).href, path.join(PROJECT_ROOT, JOB_SCRIPTS[kind]), '--job', String(job.id)], {
		cwd: PROJECT_ROOT,
		env: { ...process.env, ...options.env, DATABASE_PATH: databaseFile },
		stdio: ['ignore', 'ignore', 'pipe', 'ipc']
	});
	workers.set(job.id, child);
	child.on('message', (message: { progress?: { done?: unknown; total?: unknown } }) => {
		const { done, total } = message?.progress ?? {};
		if (typeof done === 'number' && typeof total === 'number') liveProgress.set(job.id, { done, total });
	});
	let stderrTail = '';
	child.stderr?.setEncoding('utf8');
	child.stderr?.on('data', (chunk: string) => {
		stderrTail = (stderrTail + chunk).slice(-2000);
	});
	db.update(jobs)
		.set({ params: { ...params, pid: child.pid ?? null } as Record<string, unknown> })
		.where(eq(jobs.id, job.id))
		.run();
	child.on('exit', (code, signal) => {
		workers.delete(job.id);
		liveProgress.delete(job.id);
		if (!db.$client.open) return;
		// The worker removes its uploads; this covers a crash before it could.
		if (kind === IMPORT_JOB_KIND) removeUploads(db, job.id);
		// The worker records its own outcome; this covers a crash before it could.
		const row = db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, job.id)).get();
		if (row && ACTIVE.includes(row.status)) {
			const last = stderrTail.trim().split('\n').at(-1) ?? '';
			finishJob(db, job.id, 'failed', `le processus s’est arrêté (${signal ?? `code ${code}`})${last ? ` : ${last}` : ''}`);
		}
	});
	child.on('error', (error) => {
		if (!db.$client.open) return;
		finishJob(db, job.id, 'failed', `le processus n’a pas pu démarrer : ${error.message}`);
		if (kind === IMPORT_JOB_KIND) removeUploads(db, job.id);
	});
	return getJobProgress(db, job.id)!;
}

/** Progress of one job, for polling from the UI. */
export function getJobProgress(db: Db, jobId: number): JobProgress | undefined {
	const row = db.select().from(jobs).where(eq(jobs.id, jobId)).get();
	return row ? toProgress(row) : undefined;
}

/** Recent jobs of a project (of one kind when given), newest first. */
export function listJobs(db: Db, projectId: number, limit = 20, kind?: JobKind): JobProgress[] {
	const where = kind ? and(eq(jobs.projectId, projectId), eq(jobs.kind, kind)) : eq(jobs.projectId, projectId);
	return db.select().from(jobs).where(where).orderBy(desc(jobs.id)).limit(limit).all().map(toProgress);
}

/**
 * Asks a job to stop: it is marked cancelled at once (the worker checks between documents and
 * exits; what it finished stays stored) and its process gets SIGTERM, which it handles the same
 * way. Cancelling a finished job changes nothing.
 */
export function cancelJob(db: Db, jobId: number): JobProgress | undefined {
	const row = db.select().from(jobs).where(eq(jobs.id, jobId)).get();
	if (!row) return undefined;
	if (ACTIVE.includes(row.status)) {
		finishJob(db, jobId, 'cancelled', 'annulé');
		const pid = workerPid(row);
		if (pid) {
			try {
				process.kill(pid, 'SIGTERM');
			} catch {
				// already gone
			}
		}
	}
	return getJobProgress(db, jobId);
}

/** Called by the worker: marks the job running with its total. */
export function markJobRunning(db: Db, jobId: number, total: number): void {
	db.update(jobs).set({ status: 'running', total, done: 0 }).where(and(eq(jobs.id, jobId), inArray(jobs.status, ACTIVE))).run();
}

/** Called by the worker after each document. Returns false when the job was cancelled. */
export function reportJobProgress(db: Db, jobId: number, done: number, total: number, message?: string): boolean {
	const result = db
		.update(jobs)
		.set({ done, total, ...(message === undefined ? {} : { message }) })
		.where(and(eq(jobs.id, jobId), inArray(jobs.status, ACTIVE)))
		.run();
	return result.changes > 0;
}

export function isJobCancelled(db: Db, jobId: number): boolean {
	return db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId)).get()?.status === 'cancelled';
}

/**
 * Final status (and what the job hands back to its page); a job already cancelled stays cancelled,
 * its message and its count of finished documents (`done`: the worker ends the document it was on
 * after the cancel) brought up to date.
 */
export function finishJob(
	db: Db,
	jobId: number,
	status: 'done' | 'failed' | 'cancelled',
	message: string,
	final: { result?: Record<string, unknown>; done?: number } = {}
): void {
	const now = new Date().toISOString();
	const done = final.done === undefined ? {} : { done: final.done };
	db.update(jobs)
		.set({ status, message, finishedAt: now, ...done, ...(final.result === undefined ? {} : { result: final.result }) })
		.where(and(eq(jobs.id, jobId), inArray(jobs.status, ACTIVE)))
		.run();
	if (status !== 'cancelled') return;
	db.update(jobs).set({ message, ...done }).where(and(eq(jobs.id, jobId), eq(jobs.status, 'cancelled'))).run();
}

export function readJob(db: Db, jobId: number): JobRow | undefined {
	return db.select().from(jobs).where(eq(jobs.id, jobId)).get();
}

function workerPid(row: JobRow): number | null {
	const pid = (row.params as { pid?: unknown }).pid;
	return typeof pid === 'number' ? pid : null;
}

function isWorkerAlive(db: Db, jobId: number): boolean {
	const worker = workers.get(jobId);
	if (worker) return worker.exitCode === null;
	const row = readJob(db, jobId);
	const pid = row ? workerPid(row) : null;
	if (!pid) return false;
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}
	// After a reboot the pid may belong to another process (even this server): a job would then
	// show as running for ever and refuse every new one. Where /proc says, it must be this job's worker.
	try {
		const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
		return args.some((arg, i) => arg === '--job' && args[i + 1] === String(jobId));
	} catch {
		return true;
	}
}

function toProgress(stored: JobRow): JobProgress {
	const active = ACTIVE.includes(stored.status);
	const live = liveProgress.get(stored.id);
	const row = active && live && live.done > stored.done ? { ...stored, ...live } : stored;
	const started = Date.parse(row.createdAt);
	const end = row.finishedAt ? Date.parse(row.finishedAt) : Date.now();
	const elapsed = (end - started) / 1000;
	const rate = row.done > 0 && elapsed > 0 ? row.done / elapsed : null;
	return {
		id: row.id,
		projectId: row.projectId,
		kind: row.kind,
		status: row.status,
		done: row.done,
		total: row.total,
		percent: row.total > 0 ? Math.min(100, (100 * row.done) / row.total) : null,
		message: row.message,
		params: row.params,
		result: row.result ?? null,
		createdAt: row.createdAt,
		finishedAt: row.finishedAt,
		documentsPerSecond: rate,
		etaSeconds: active && rate ? Math.max(0, (row.total - row.done) / rate) : null,
		active
	};
}

function resolveTsxLoader(): string {
	try {
		return createRequire(path.join(PROJECT_ROOT, 'package.json')).resolve('tsx');
	} catch {
		throw new Error(`cannot start a background job: the tsx loader is not installed in ${PROJECT_ROOT}/node_modules (install dev dependencies, or run \`npm run preannotate\` / \`npm run import\`)`);
	}
}
