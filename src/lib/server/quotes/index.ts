// Quote rules on stored documents: reads the entity spans the document already has (the current
// model sets' suggestions and, when present, the annotators' entities), runs the pure rules of
// src/lib/domain/quotes and writes the machine set `rules:quotes@<version>`. Only that set
// changes (and sets of older versions of these same rules, which it supersedes).
import { and, eq, inArray, like, ne } from 'drizzle-orm';
import { QUOTE_RULES_PROVENANCE, suggestQuotes, type EntityInput } from '../../domain/quotes';
import { getOrCreateSet, replaceSetContent } from '../db/annotation-sets';
import { inTransaction, type Db } from '../db/client';
import { annotationSets, documents, spans } from '../db/schema';
import type { PreannotationStep } from '../preannotate';
import { PERSON_LABEL, projectLabelFor } from '../../domain/label-schema';
import { getLabelSchema } from '../db/projects';

export const QUOTE_RULES_OWNER = QUOTE_RULES_PROVENANCE;
const OWNER_PREFIX = 'rules:quotes@';

/**
 * Entity spans to attribute speakers to: annotators' (and gold) entities first, then the model
 * sets' suggestions that do not overlap them. Code points, sorted.
 */
export function listEntityInputs(db: Db, documentId: number): EntityInput[] {
	const rows = db
		.select({ start: spans.start, end: spans.end, label: spans.label, kind: annotationSets.ownerKind })
		.from(spans)
		.innerJoin(annotationSets, eq(spans.setId, annotationSets.id))
		.where(and(eq(annotationSets.documentId, documentId), eq(spans.layer, 'entity'), inArray(annotationSets.ownerKind, ['model', 'annotator', 'gold'])))
		.all();
	const human = rows.filter((row) => row.kind !== 'model');
	const model = rows.filter((row) => row.kind === 'model' && !human.some((h) => h.start < row.end && row.start < h.end));
	const seen = new Set<string>();
	const entities: EntityInput[] = [];
	for (const row of [...human, ...model]) {
		const key = `${row.start}:${row.end}`;
		if (seen.has(key)) continue;
		seen.add(key);
		entities.push({ start: row.start, end: row.end, label: row.label });
	}
	return entities.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Runs the quote rules on one document and replaces its `rules:quotes@<version>` set. */
export function runQuoteRules(db: Db, documentId: number): { spans: number } {
	const document = db.select({ id: documents.id, text: documents.text, projectId: documents.projectId }).from(documents).where(eq(documents.id, documentId)).get();
	if (!document) throw new Error(`document ${documentId} does not exist`);
	const schema = getLabelSchema(db, document.projectId);
	const personLabel = schema && projectLabelFor(schema, PERSON_LABEL);
	const suggestions = suggestQuotes(document.text, listEntityInputs(db, documentId), { personLabel });
	inTransaction(db, () => {
		db.delete(annotationSets)
			.where(and(eq(annotationSets.documentId, documentId), like(annotationSets.owner, `${OWNER_PREFIX}%`), ne(annotationSets.owner, QUOTE_RULES_OWNER)))
			.run();
		const set = getOrCreateSet(db, documentId, QUOTE_RULES_OWNER, { status: 'done' });
		replaceSetContent(db, set.id, suggestions.spans, suggestions.links);
	});
	return { spans: suggestions.spans.length };
}

/**
 * The pre-annotation step (src/lib/server/preannotate): runs after NER and takes its entity
 * suggestions from `results.get('ner')`, so quotes link to the entities of the same run.
 */
export function createQuoteStep(): PreannotationStep {
	return {
		name: 'quotes',
		owner: QUOTE_RULES_OWNER,
		supersedes: (owner) => owner.startsWith(OWNER_PREFIX) && owner !== QUOTE_RULES_OWNER,
		run({ document, project, results }) {
			const entities = (results.get('ner')?.spans ?? [])
				.filter((span) => span.layer === 'entity')
				.map((span) => ({ start: span.start, end: span.end, label: span.label }));
			return suggestQuotes(document.text, entities, { personLabel: projectLabelFor(project.labelSchema, PERSON_LABEL) });
		}
	};
}
