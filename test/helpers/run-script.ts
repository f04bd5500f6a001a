// Runs a script of scripts/ as `npm run` does (`node --import tsx`: one process, so that signals reach it).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Runs `script` (relative to the project root) to the end. */
export function runScript(script: string, args: string[], env: Record<string, string> = {}) {
	return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
}

export interface ScriptResult {
	status: number | null;
	stdout: string;
	stderr: string;
}

/** Runs `script` to the end without blocking the test: independent runs can then overlap
 * (`Promise.all`, `it.concurrent`), which uses the second core while one script starts. */
export function runScriptAsync(script: string, args: string[], env: Record<string, string> = {}): Promise<ScriptResult> {
	return new Promise((resolve, reject) => {
		const child = startScript(script, args, env);
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
		child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
		child.on('error', reject);
		// 'close', not 'exit': the output is complete once the pipes are.
		child.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}

/** Starts `script` without waiting, for tests that signal it while it runs. */
export function startScript(script: string, args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
	return spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
}

/** A stack trace line, which an expected failure must not print. */
export const STACK_LINE = /^\s+at /m;
