// npm run agreement -- [--project <slug>] [--json] [--include-unfinished]
// Prints the inter-annotator agreement figures the /agreement page shows.
import { loadConfig } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/client';
import { getProjectBySlug } from '../../src/lib/server/db/projects';
import { computeAgreementForProject } from '../../src/lib/server/agreement';
import type { AgreementFigures } from '../../src/lib/domain/agreement';
import { createLogger, fail, parseCommandLine, plural } from '../lib/cli';

const NAME = 'agreement';
const log = createLogger(NAME);
const usage = `usage: npm run agreement -- [--project <slug>] [--json] [--include-unfinished]
  Entity and quote span F1 between annotators (exact / overlap), speaker agreement on matched
  quotes, and stance kappa (Cohen for 2 annotators, Fleiss for more). Only sets marked done are
  compared unless --include-unfinished.`;

const args = parseCommandLine(NAME, usage, {
	strict: true,
	options: {
		project: { type: 'string', default: 'default' },
		json: { type: 'boolean', default: false },
		'include-unfinished': { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h' }
	}
});

const config = loadConfig();
const db = openDatabase(config.databasePath, { existing: true });
let project;
try {
	project = getProjectBySlug(db, args.values.project!);
} catch (error) {
	fail(NAME, (error as Error).message, 2);
}
const result = computeAgreementForProject(db, project.id, { includeUnfinished: args.values['include-unfinished'] });
db.$client.close();

if (args.values.json) {
	console.log(JSON.stringify({ projectSlug: project.slug, ...result }, null, 2));
	process.exit(0);
}

// An empty table says nothing of why: say it, and how to widen the comparison. Not an error (exit 0).
if (result.documents.length === 0) {
	const finished = args.values['include-unfinished'] ? '' : 'finished ';
	const single = result.documentsWithoutPairs ? ` (${plural(result.documentsWithoutPairs, `document has a single ${finished}set`, `documents have a single ${finished}set`)})` : '';
	const hint = args.values['include-unfinished'] ? '' : '; --include-unfinished also compares sets not marked done';
	log.info(`nothing to compare in project ${project.slug}: no document has ${finished}sets by two or more annotators${single}${hint}`);
	process.exit(0);
}

const pct = (value: number | null) => (value === null ? '   —  ' : `${(value * 100).toFixed(1).padStart(5)}%`);
const num = (value: number | null) => (value === null ? '  —  ' : value.toFixed(3).padStart(6));
function line(name: string, f: AgreementFigures): string {
	return [
		name.padEnd(34).slice(0, 34),
		pct(f.entities.exact),
		pct(f.entities.overlap),
		pct(f.quotes.exact),
		pct(f.quotes.overlap),
		pct(f.quotes.speaker),
		pct(f.stance.overlap),
		`${num(f.stance.kappa)} ${f.stance.kappa === null ? '' : (f.stance.method ?? '')}`.padEnd(14),
		f.annotators.join(', ')
	].join('  ');
}
console.log(['document'.padEnd(34), 'ent.ex', 'ent.ov', 'quo.ex', 'quo.ov', 'speak.', 'sta.ov', 'stance kappa  ', 'annotators'].join('  '));
// By the id exports carry (`wikinews-fr-44269`), not the database's row number.
for (const document of result.documents) console.log(line(`${document.externalId ?? `#${document.documentId}`} ${document.title ?? ''}`, document));
console.log(line('PROJECT', result.project));
const labels = Object.entries(result.project.entities.byLabel);
if (labels.length) {
	console.log('\nentities per label (exact / overlap):');
	for (const [label, f1] of labels) console.log(`  ${label.padEnd(8)} ${pct(f1.exact)} / ${pct(f1.overlap)}`);
}
log.info(
	`${plural(result.documents.length, 'document')} compared (${result.documentsWithoutPairs.toLocaleString('en')} with fewer than two ${args.values['include-unfinished'] ? '' : 'finished '}sets), ${plural(result.project.annotators.length, 'annotator')}, project ${project.slug}`
);
