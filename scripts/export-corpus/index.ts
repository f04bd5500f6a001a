// npm run export -- --out <file|folder> [options]: writes a JSONL (or CoNLL) corpus and its
// manifest from the database. Same service as the download page (src/lib/server/export).
import fs from 'node:fs';
import os from 'node:os';
import { parseExportOptions } from '../../src/lib/domain/export/options';
import { loadConfig } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/client';
import { DEFAULT_PROJECT_SLUG, getProjectBySlug } from '../../src/lib/server/db/projects';
import { exportToFiles } from '../../src/lib/server/export';
import { parseCommandLine, plural } from '../lib/cli';

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

const log = (message: string) => console.error(`[export] ${message}`);

function fail(message: string, showUsage = false): never {
	log(message);
	if (showUsage) console.error(USAGE);
	process.exit(2);
}

async function main(): Promise<void> {
	const { values } = parseCommandLine('export', USAGE, OPTIONS);
	if (!values.out) fail('--out is required: a file (corpus.jsonl, corpus.jsonl.gz, corpus.conll) or a folder ending in /', true);
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
	if (!parsed.ok) fail(parsed.errors.join('\n[export] '), true);

	const config = loadConfig();
	if (config.databasePath !== ':memory:' && !fs.existsSync(config.databasePath)) {
		fail(`database ${config.databasePath} does not exist (set DATABASE_PATH, or import articles first)`);
	}
	const db = openDatabase(config.databasePath);
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
		const project = getProjectBySlug(db, values.project ?? DEFAULT_PROJECT_SLUG);
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
		const parts = Object.entries(stats.parts).map(([name, part]) => `${name} ${part.documents}`);
		const perPart = parsed.options.split ? ` (documents: ${parts.join(', ')})` : '';
		for (const file of result.files) log(`wrote ${file}`);
		log(`wrote ${result.manifestPath}`);
		const skipped = stats.skippedDocuments;
		if (skipped) log(`${skipped} ${skipped === 1 ? 'document has' : 'documents have'} no ${parsed.options.status === 'done' ? 'finished ' : ''}set matching --set ${parsed.options.set}: not exported`);
		console.log(`[export] ${plural(stats.documents, 'document')}, ${plural(stats.records, `${parsed.options.format} record`)}${perPart} in ${seconds} s`);
	} catch (error) {
		log((error as Error).message);
		// 128 + the signal's number, as a shell reports a process the signal stopped.
		process.exitCode = stoppedBy ? 128 + os.constants.signals[stoppedBy] : 1;
	} finally {
		db.$client.close();
	}
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
