// Background jobs: corpus pre-annotation off the request path, with progress in the `jobs` table.
//
// Why a child process and not a worker thread: inference keeps onnxruntime's threads and a few
// hundred MB of native memory busy for minutes; in a separate process they cannot stall the web
// server's event loop or grow its heap, a crash takes only the job down, and cancelling can end
// the process if it does not stop by itself. The child runs the same CLI the engineers use
// (`scripts/preannotate/index.ts --job <id>`), i.e. the same service as everything else.
//
// How it is started: `node --import <tsx loader> scripts/preannotate/index.ts --job <id>`, from
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

/** A project runs one pre-annotation job at a time; the message is French, for the Pré-annoter page. */
export class JobAlreadyRunningError extends Error {
	override name = 'JobAlreadyRunningError';
	constructor(readonly jobId: number) {
		super(`La pré-annotation n° ${jobId} est déjà en cours pour ce projet : attendez qu’elle finisse, ou annulez-la, avant d’en lancer une autre.`);
	}
}
const workers = new Map<number, ChildProcess>();

/**
 * Queues a pre-annotation job for a project and starts its worker process. Throws when the
 * project already has an active pre-annotation job (one at a time: one SQLite writer).
 */
export function startPreannotationJob(db: Db, projectId: number, params: PreannotationJobParams, options: StartJobOptions = {}): JobProgress {
	const active = db
		.select({ id: jobs.id })
		.from(jobs)
		.where(and(eq(jobs.projectId, projectId), eq(jobs.kind, PREANNOTATE_JOB_KIND), inArray(jobs.status, ACTIVE)))
		.get();
	if (active) {
		if (isWorkerAlive(db, active.id)) throw new JobAlreadyRunningError(active.id);
		finishJob(db, active.id, 'failed', 'le processus de pré-annotation a disparu (serveur redémarré ?)');
	}
	const databaseFile = db.$client.name;
	if (!databaseFile || databaseFile === ':memory:') throw new Error('cannot start a pre-annotation job on an in-memory database: the worker process opens the same file');
	const loader = resolveTsxLoader();
	const script = path.join(PROJECT_ROOT, 'scripts', 'preannotate', 'index.ts');
	if (!fs.existsSync(script)) throw new Error(`cannot start a pre-annotation job: ${script} is missing`);
	const job = db
		.insert(jobs)
		.values({ projectId, kind: PREANNOTATE_JOB_KIND, status: 'queued', params: { ...params } as Record<string, unknown> })
		.returning()
		.get();
	const child = spawn(process.execPath, ['--import', pathToFileURL(loader).href, script, '--job', String(job.id)], {
		cwd: PROJECT_ROOT,
		env: { ...process.env, ...options.env, DATABASE_PATH: databaseFile },
		stdio: ['ignore', 'ignore', 'pipe']
	});
	workers.set(job.id, child);
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
		if (!db.$client.open) return;
		// The worker records its own outcome; this covers a crash before it could.
		const row = db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, job.id)).get();
		if (row && ACTIVE.includes(row.status)) {
			const last = stderrTail.trim().split('\n').at(-1) ?? '';
			finishJob(db, job.id, 'failed', `le processus s’est arrêté (${signal ?? `code ${code}`})${last ? ` : ${last}` : ''}`);
		}
	});
	child.on('error', (error) => {
		if (db.$client.open) finishJob(db, job.id, 'failed', `le processus n’a pas pu démarrer : ${error.message}`);
	});
	return getJobProgress(db, job.id)!;
}

/** Progress of one job, for polling from the UI. */
export function getJobProgress(db: Db, jobId: number): JobProgress | undefined {
	const row = db.select().from(jobs).where(eq(jobs.id, jobId)).get();
	return row ? toProgress(row) : undefined;
}

/** Recent jobs of a project, newest first. */
export function listJobs(db: Db, projectId: number, limit = 20): JobProgress[] {
	return db.select().from(jobs).where(eq(jobs.projectId, projectId)).orderBy(desc(jobs.id)).limit(limit).all().map(toProgress);
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

/** Final status; a job already cancelled stays cancelled (its message is updated). */
export function finishJob(db: Db, jobId: number, status: 'done' | 'failed' | 'cancelled', message: string): void {
	const now = new Date().toISOString();
	db.update(jobs)
		.set({ status, message, finishedAt: now })
		.where(and(eq(jobs.id, jobId), inArray(jobs.status, ACTIVE)))
		.run();
	if (status !== 'cancelled') return;
	db.update(jobs).set({ message }).where(and(eq(jobs.id, jobId), eq(jobs.status, 'cancelled'))).run();
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
		return true;
	} catch {
		return false;
	}
}

function toProgress(row: JobRow): JobProgress {
	const active = ACTIVE.includes(row.status);
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
		throw new Error(`cannot start a pre-annotation job: the tsx loader is not installed in ${PROJECT_ROOT}/node_modules (install dev dependencies, or run \`npm run preannotate\`)`);
	}
}
