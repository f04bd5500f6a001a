// Shared plumbing for the command-line scripts: strict option parsing with --help, a prefixed
// logger, a progress bar that only draws on a terminal, and one way to fail (message on stderr,
// non-zero exit).
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import cliProgress from 'cli-progress';

/** The prefix of this script's lines: set by createLogger / parseCommandLine, else from its path. */
let scriptPrefix = defaultPrefix(process.argv[1] ?? 'script');

function defaultPrefix(entry: string): string {
	const folder = path.basename(path.dirname(entry));
	const stem = path.basename(entry).replace(/\.[cm]?[jt]s$/, '');
	return stem === 'index' ? folder : `${folder}:${stem}`;
}

// A database that cannot be opened (DATABASE_PATH names a folder, say) or a variable of the
// environment that cannot be used (NER_THREADS=abc) is the operator's to fix: one line naming it
// and the reason, wherever the script met it (exit 1 for the database, 2 for the configuration, a
// usage error). Anything else is a bug and keeps its stack trace. Matched by name
// (src/lib/server/db/client.ts, src/lib/server/config.ts) so that this module loads neither.
process.on('uncaughtException', (error) => {
	if (error.name === 'DatabaseOpenError' || error.name === 'ConfigError') console.error(`[${scriptPrefix}] error: ${error.message}`);
	else console.error(error);
	process.exit(error.name === 'ConfigError' ? 2 : 1);
});

// `npm run agreement | head -3`: once the reader has closed the pipe it wants no more; stop
// quietly, as Unix tools do, rather than with a stack trace about EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
	throw error;
});

/** `1 file`, `2 files`, `12,000 files`: counts with thousands separators, as progress lines print them. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
	return `${count.toLocaleString('en')} ${count === 1 ? singular : pluralForm}`;
}

export function createLogger(prefix: string) {
	scriptPrefix = prefix;
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

/** Parses the command line with `config` (pass `strict: true`): an unknown or malformed option
 * fails with the usage (exit 2); `--help` prints the usage and exits 0. */
export function parseCommandLine<T extends ParseArgsConfig>(prefix: string, usage: string, config: T): ReturnType<typeof parseArgs<T>> {
	scriptPrefix = prefix;
	let parsed: ReturnType<typeof parseArgs<T>>;
	try {
		parsed = parseArgs(config);
	} catch (error) {
		fail(prefix, `${(error as Error).message}\n${usage}`, 2);
	}
	if ((parsed.values as { help?: boolean }).help) {
		console.log(usage);
		process.exit(0);
	}
	return parsed;
}

/** A `--flag` value that must be a positive integer; absent stays undefined, anything else fails (exit 2). */
export function positiveInteger(prefix: string, flag: string, value: string | number | undefined): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1) fail(prefix, `--${flag} must be a positive integer (got "${value}")`, 2);
	return n;
}

/** A progress bar on a TTY; a no-op elsewhere (CI logs, pipes). */
export function createProgressBar(format: string) {
	if (!process.stderr.isTTY) return { start: () => {}, update: () => {}, setTotal: () => {}, stop: () => {} };
	const bar = new cliProgress.SingleBar(
		{ format, stream: process.stderr, hideCursor: true, etaBuffer: 50, fps: 10 },
		cliProgress.Presets.shades_classic
	);
	return {
		start: (total: number, payload: Record<string, unknown> = {}) => bar.start(total, 0, payload),
		update: (value: number, payload: Record<string, unknown> = {}) => bar.update(value, payload),
		setTotal: (total: number) => bar.setTotal(total),
		stop: () => bar.stop()
	};
}
