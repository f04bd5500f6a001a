// Shared plumbing for the command-line scripts: a prefixed logger, a progress bar that only
// draws on a terminal, and one way to fail (message on stderr, non-zero exit).
import cliProgress from 'cli-progress';

export function createLogger(prefix: string) {
	return {
		info: (message: string) => console.log(`[${prefix}] ${message}`),
		warn: (message: string) => console.warn(`[${prefix}] warning: ${message}`),
		error: (message: string) => console.error(`[${prefix}] error: ${message}`)
	};
}

export function fail(prefix: string, message: string, code = 1): never {
	console.error(`[${prefix}] error: ${message}`);
	process.exit(code);
}

/** A progress bar on a TTY; a no-op elsewhere (CI logs, pipes). */
export function createProgressBar(format: string) {
	if (!process.stderr.isTTY) return { start: () => {}, update: () => {}, stop: () => {} };
	const bar = new cliProgress.SingleBar(
		{ format, stream: process.stderr, hideCursor: true, etaBuffer: 50, fps: 10 },
		cliProgress.Presets.shades_classic
	);
	return {
		start: (total: number, payload: Record<string, unknown> = {}) => bar.start(total, 0, payload),
		update: (value: number, payload: Record<string, unknown> = {}) => bar.update(value, payload),
		stop: () => bar.stop()
	};
}
