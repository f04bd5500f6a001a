// npm run quotes:eval [-- --data file.jsonl] [--entities none|gold] [--json] [--build-gold]
// Runs the quote rules over gold corpus records and prints precision, recall and F1 for quote
// spans (exact and overlap, per kind) and speaker-attribution accuracy on matched quotes.
// --entities gold passes the gold entity spans as the entity suggestions (an upper bound for a
// perfect NER); the default passes none, as for a document the model has not seen.
import fs from 'node:fs';
import path from 'node:path';
import { suggestQuotes } from '../../src/lib/domain/quotes';
import { scoreQuotes, type GoldRecord, type PrfCounts } from '../../src/lib/domain/quotes/evaluate';
import { QUOTE_RULES_PROVENANCE } from '../../src/lib/domain/quotes';
import { GOLD } from '../../test/fixtures/quotes/gold-source';
import { GOLD_HELDOUT } from '../../test/fixtures/quotes/heldout-source';
import { GOLD_FRESH } from '../../test/fixtures/quotes/fresh-source';
import { GOLD_FRESH2 } from '../../test/fixtures/quotes/fresh2-source';
import { buildGold, readArticles } from './build-gold';
import { fail, parseCommandLine, plural } from '../lib/cli';

const NAME = 'quotes:eval';
const log = (message: string) => console.log(`[${NAME}] ${message}`);

const DEFAULT_DATA = 'test/fixtures/quotes/gold.jsonl';
const HELDOUT_DATA = 'test/fixtures/quotes/heldout.jsonl';
const FRESH_DATA = 'test/fixtures/quotes/fresh.jsonl';
const FRESH2_DATA = 'test/fixtures/quotes/fresh2.jsonl';
const DEFAULT_ARTICLES = '/work/shared/data/articles-fr/articles.jsonl.gz';

const USAGE = `usage: npm run quotes:eval -- [options]
  Scores the quote rules on gold records: precision, recall and F1 of quote spans (exact and
  overlap, per kind) and speaker accuracy on matched quotes.
  --data <file.jsonl>     gold records (default ${DEFAULT_DATA})
  --entities none|gold    entity suggestions given to the rules: none (default) or the gold ones
  --json                  the scores as JSON
  --errors                list missed, spurious and wrongly attributed quotes per document
  --build-gold            rebuild the gold files from their sources and --articles
  --articles <file>       articles for --build-gold (default ${DEFAULT_ARTICLES})`;

function main(): number {
	const { values } = parseCommandLine(NAME, USAGE, {
		options: {
			data: { type: 'string', default: DEFAULT_DATA },
			entities: { type: 'string', default: 'none' },
			json: { type: 'boolean', default: false },
			'build-gold': { type: 'boolean', default: false },
			articles: { type: 'string', default: DEFAULT_ARTICLES },
			errors: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h' }
		},
		strict: true
	});
	if (values['build-gold']) {
		const articles = readArticles(values.articles, 'test/fixtures/articles/sputnik-fr-3255db79b009ce73.txt');
		for (const [file, documents] of [[DEFAULT_DATA, GOLD], [HELDOUT_DATA, GOLD_HELDOUT], [FRESH_DATA, GOLD_FRESH], [FRESH2_DATA, GOLD_FRESH2]] as const) {
			const records = buildGold(documents, articles);
			fs.writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
			log(`wrote ${records.length} gold records, ${records.reduce((n, r) => n + r.quotes.length, 0)} quotes to ${file}`);
		}
		return 0;
	}
	if (values.entities !== 'none' && values.entities !== 'gold') fail(NAME, `--entities is "none" or "gold" (got "${values.entities}")`, 2);
	const file = path.resolve(values.data);
	if (!fs.existsSync(file)) fail(NAME, `--data ${values.data}: no such file`, 2);
	if (!fs.statSync(file).isFile()) fail(NAME, `--data ${values.data}: a folder, not a file of gold records`, 2);
	const records: GoldRecord[] = [];
	const problems: string[] = [];
	fs.readFileSync(file, 'utf8')
		.split('\n')
		.forEach((line, index) => {
			if (!line.trim()) return;
			try {
				records.push(JSON.parse(line) as GoldRecord);
			} catch (error) {
				problems.push(`${values.data}:${index + 1}: not JSON: ${(error as Error).message}`);
			}
		});
	// A gold file with a broken line would score the rules on part of the gold: refuse it, naming each line.
	if (problems.length) fail(NAME, `${problems.join('\n')}\n${plural(problems.length, 'line')} not JSON; nothing scored`);
	const scored = records.map((record) => ({
		record,
		suggestions: suggestQuotes(record.text, values.entities === 'gold' ? (record.entities ?? []).map((e) => ({ start: e.start, end: e.end, label: e.label ?? 'PER' })) : [])
	}));
	const scores = scoreQuotes(scored);
	if (values.json) {
		console.log(JSON.stringify({ rules: QUOTE_RULES_PROVENANCE, data: values.data, entities: values.entities, ...scores, errors: values.errors ? scores.errors : undefined }, null, 2));
		return 0;
	}
	const row = (name: string, c: PrfCounts) =>
		`${name.padEnd(18)} P ${c.precision.toFixed(3)}  R ${c.recall.toFixed(3)}  F1 ${c.f1.toFixed(3)}   (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;
	log(`${QUOTE_RULES_PROVENANCE} on ${values.data}: ${scores.documents} documents, gold ${scores.gold.direct} direct + ${scores.gold.indirect} indirect, entities: ${values.entities}`);
	for (const mode of ['exact', 'overlap'] as const) {
		for (const kind of ['all', 'direct', 'indirect'] as const) log(row(`${mode} ${kind}`, scores[mode][kind]));
	}
	for (const kind of ['all', 'direct', 'indirect'] as const) {
		const s = scores.speaker[kind];
		log(`speaker ${kind.padEnd(10)} accuracy ${s.accuracy.toFixed(3)} (${s.correct}/${s.total} matched quotes with a gold speaker)`);
	}
	if (values.errors) {
		for (const e of scores.errors) {
			log(`-- ${e.id}`);
			for (const m of e.missed) log(`   missed    ${m}`);
			for (const s of e.spurious) log(`   spurious  ${s}`);
			for (const w of e.wrongSpeaker) log(`   speaker   ${w}`);
		}
	}
	log(`direct F1 (overlap) ${scores.overlap.direct.f1.toFixed(3)}, direct speaker accuracy ${scores.speaker.direct.accuracy.toFixed(3)}`);
	return 0;
}

process.exitCode = main();
