// npm run export -- --out <file|folder> [options]: writes a JSONL (or CoNLL) corpus and its
// manifest from the database. Same service as the download page (src/lib/server/export).
import os from 'node:os';
import { parseExportOptions, type ExportOptions } from '../../src/lib/domain/export/options';
import { loadConfig } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/client';
import { DEFAULT_PROJECT_SLUG, getProjectBySlug } from '../../src/lib/server/db/projects';
import { exportToFiles, planExportLayout } from '../../src/lib/server/export';
import { fail, parseCommandLine, plural } from '../lib/cli';

const USAGE = `usage: npm run export -- --out <file.jsonl[.gz] | folder/> [options]
  --project <slug>        project (default: ${DEFAULT_PROJECT_SLUG})
  --set <which>           latest (default: the gold set where reviewed, else the most recently
                          finished annotator set), gold,
                          all-annotators (one record per annotator), or a username
  --status done|any       only finished sets (default), or any status
  --layers <list>         entity,quote,stance (default: all); quotes bring cues and mentions
  --format spans|bio|conll  full records (default), token/BIO records, or CoNLL columns
  --unit sentence|document  bio records per sentence (default) or per document
  --tag-ids               bio tags as ids into the manifest's ner_labels (HF ClassLabel)
  --split <spec>          e.g. train=0.8,dev=0.1,test=0.1: one file per split, --out is a folder
  --seed <n>              split seed (default 13)
  --gzip                  gzip the files (implied by an --out ending in .gz)`;

const NAME = 'export';
// Progress and the files written go to stderr: stdout holds only the summary line.
const log = (message: string) => console.error(`[${NAME}] ${message}`);

async function main(): Promise<void> {
	const { values } = parseCommandLine(NAME, USAGE, OPTIONS);
	if (!values.out) fail(NAME, `--out is required: a file (corpus.jsonl, corpus.jsonl.gz, corpus.conll) or a folder ending in /\n${USAGE}`, 2);
	const parsed = parseExportOptions({
		set: values.set,
		status: values.status,
		layers: values.layers,
		format: values.format,
		unit: values.unit,
		tagIds: values['tag-ids'],
		split: values.split,
		seed: values.seed,
		gzip: values.gzip || values.out.toLowerCase().endsWith('.gz')
	});
	if (!parsed.ok) fail(NAME, `${parsed.errors.join(`\n[${NAME}] error: `)}\n${USAGE}`, 2);
	// A bad --out is a usage error like a bad option: refused before the database is opened.
	const layout = planExportLayout(values.out, parsed.options);
	if (typeof layout === 'string') fail(NAME, layout, 2);

	const config = loadConfig();
	const db = openDatabase(config.databasePath, { existing: true });
	let project;
	try {
		project = getProjectBySlug(db, values.project ?? DEFAULT_PROJECT_SLUG);
	} catch (error) {
		db.$client.close();
		fail(NAME, (error as Error).message, 2);
	}
	// Ctrl-C stops the export at the next chunk; the service then removes its .partial files.
	const interrupted = new AbortController();
	let stoppedBy: NodeJS.Signals | undefined;
	const interrupt = (signal: NodeJS.Signals) => {
		if (stoppedBy) return;
		stoppedBy = signal;
		log(`${signal}: stopping, removing the partial files`);
		interrupted.abort(new Error(`interrupted by ${signal}: no file written`));
	};
	process.on('SIGINT', interrupt);
	process.on('SIGTERM', interrupt);
	try {
		const started = performance.now();
		const result = await exportToFiles(db, {
			project,
			options: parsed.options,
			out: values.out,
			command: ['npm run export --', ...process.argv.slice(2)].join(' '),
			onProgress: (documents) => log(`${documents.toLocaleString('en')} documents…`),
			signal: interrupted.signal
		});
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		const { stats } = result;
		const parts = Object.entries(stats.parts).map(([name, part]) => `${name} ${part.documents.toLocaleString('en')}`);
		const perPart = parsed.options.split ? ` (documents: ${parts.join(', ')})` : '';
		for (const file of result.files) log(`wrote ${file}`);
		log(`wrote ${result.manifestPath}`);
		const skipped = stats.skippedDocuments;
		if (skipped) log(`${plural(skipped, 'document has', 'documents have')} no ${parsed.options.status === 'done' ? 'finished ' : ''}set matching --set ${parsed.options.set}: not exported`);
		console.log(`[${NAME}] ${plural(stats.documents, 'document')}, ${describeRecords(stats.records, parsed.options)}${perPart} in ${seconds} s`);
	} catch (error) {
		// Ctrl-C is the user's choice, not a failure.
		if (stoppedBy) log((error as Error).message);
		else console.error(`[${NAME}] error: ${(error as Error).message}`);
		// 128 + the signal's number, as a shell reports a process the signal stopped.
		process.exitCode = stoppedBy ? 128 + os.constants.signals[stoppedBy] : 1;
	} finally {
		db.$client.close();
	}
}

/** What the records of each format are: `12 records`, `40 token records (one per sentence)`, `12 CoNLL documents`. */
function describeRecords(records: number, options: ExportOptions): string {
	if (options.format === 'bio') return `${plural(records, 'token record')} (one per ${options.unit})`;
	if (options.format === 'conll') return plural(records, 'CoNLL document');
	return plural(records, 'record');
}

const OPTIONS = {
	strict: true,
	allowPositionals: false,
	options: {
		out: { type: 'string', short: 'o' },
		project: { type: 'string' },
		set: { type: 'string' },
		status: { type: 'string' },
		layers: { type: 'string' },
		format: { type: 'string' },
		unit: { type: 'string' },
		'tag-ids': { type: 'boolean' },
		split: { type: 'string' },
		seed: { type: 'string' },
		gzip: { type: 'boolean' },
		help: { type: 'boolean', short: 'h' }
	}
} as const;

await main();
