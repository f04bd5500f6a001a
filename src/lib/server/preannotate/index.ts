// Pre-annotation: machine suggestions for documents, as a list of steps run in order. The list
// is `defaultSteps` below; adding a step is one line there, and the CLI, the background jobs and
// the "suggest" button all run that same list.
//
// How a step works (see PreannotationStep below): the pipeline loads the document and calls
// each step's `run(input)` in order with
//   - input.document: { id, projectId, text } (offsets are code points of `text`),
//   - input.project: the project (its label schema),
//   - input.results: what the steps before it produced, by step name; the NER suggestions are
//     `input.results.get('ner')` — `spans` (SpanDraft[], layer 'entity', code-point offsets) and
//     `details.annotation` (units, windows, word predictions) for steps that want them.
// A step returns the full content of its own machine set (spans and links); the pipeline writes
// every step's set in one transaction per document, replacing that owner's previous content and
// the sets it supersedes (another model's or an older revision's suggestions), and nothing else: annotator and
// gold sets are never touched. Steps run before anything is written, so async work (inference)
// never holds the write lock.
import { and, eq, ne } from 'drizzle-orm';
import { entityLabelNames, formerLabelNames, PERSON_LABEL, projectLabelFor } from '../../domain/label-schema';
import { createLabelResolver, type LabelResolver } from '../../domain/ner/labels';
import type { LinkDraft, SpanDraft } from '../../domain/spans';
import { getOrCreateSet, MACHINE_OWNER_KINDS, ownerKindOf, replaceSetContent } from '../db/annotation-sets';
import { inTransaction, type Db } from '../db/client';
import type { Project } from '../db/projects';
import { annotationSets, documents, projects } from '../db/schema';
import { annotateText, type TextAnnotation } from '../ner/annotate';
import { getNerModel, nerSettingsFromConfig, type NerModel, type NerModelSettings } from '../ner/model';
import { loadConfig } from '../config';
import { createQuoteStep } from '../quotes';
import { createGazetteerStep } from '../gazetteer';
import { createMemoryStep } from '../memory';

/** Owner kinds a step may write: machines only. */
const MACHINE_KINDS = new Set<string>(MACHINE_OWNER_KINDS);

export interface StepDocument {
	id: number;
	projectId: number;
	text: string;
}

export interface StepInput {
	document: StepDocument;
	project: Project;
	/** Outputs of the steps that ran before this one, by step name. */
	results: ReadonlyMap<string, StepOutput>;
}

export interface StepOutput {
	spans: SpanDraft[];
	links?: LinkDraft[];
	/** Anything a later step may use (the NER step puts its TextAnnotation here). */
	details?: Record<string, unknown>;
}

export interface PreannotationStep {
	/** Short name later steps look results up by: 'ner', 'quotes'. */
	name: string;
	/** Owner of the machine set this step writes: `model:<id>@<rev>`, `rules:<name>@<version>`. */
	owner: string;
	/** Whether this step's set replaces another machine owner's set on the same document. */
	supersedes(owner: string): boolean;
	run(input: StepInput): Promise<StepOutput> | StepOutput;
}

export interface NerStepOptions {
	batchSize?: number;
	warn?: (message: string) => void;
}

/**
 * The NER step. Policy for other models: a document keeps the suggestions of the one model it
 * was last pre-annotated with, so re-running with a new revision of the same model, or with
 * another model (a retrained one that `model:train` promoted, or NER_MODEL changed), deletes that
 * document's sets of every other `model:` owner. Deleting is all "retire" has to do: nothing an
 * annotator did lives in a machine set. An accepted suggestion is a copy in the annotator's own
 * set with its provenance, a rejection is an audit event of that set, and the decision figures
 * are rows of that set too; so annotator and gold spans, rejections and per-model statistics
 * survive, and the retired model's suggestions are simply no longer offered. A rejection holds
 * for the new model's suggestion of the same span and label too (see rejectionKey).
 */
export function createNerStep(model: NerModel, project: Project, options: NerStepOptions = {}): PreannotationStep {
	const resolver: LabelResolver = createLabelResolver(model.id2label, {
		projectLabels: entityLabelNames(project.labelSchema),
		map: model.settings.labelMap,
		formerNames: formerLabelNames(project.labelSchema),
		warn: options.warn ?? ((message) => console.warn(`[ner] warning: ${message}`))
	});
	return {
		name: 'ner',
		owner: model.owner,
		supersedes: (owner) => ownerKindOf(owner) === 'model' && owner !== model.owner,
		async run({ document }) {
			const annotation: TextAnnotation = await annotateText(model, document.text, {
				resolver,
				batchSize: options.batchSize,
				personTitles: project.labelSchema.personTitles,
				personLabel: projectLabelFor(project.labelSchema, PERSON_LABEL)
			});
			const spans: SpanDraft[] = annotation.spans.map((span) => ({
				layer: 'entity',
				start: span.start,
				end: span.end,
				label: span.label,
				origin: 'model',
				score: span.score,
				provenance: model.owner
			}));
			return { spans, details: { annotation } };
		}
	};
}

export interface PreannotateOptions {
	/** Steps to run; default: `defaultSteps` with the configured model. */
	steps?: PreannotationStep[];
	/** Used to build the default steps when `steps` is not given. */
	model?: NerModel;
	settings?: Partial<NerModelSettings>;
	batchSize?: number;
	warn?: (message: string) => void;
	/** Where the entity memory lives; without it the memory step is left out. */
	db?: Db;
}

export interface DocumentResult {
	documentId: number;
	sets: { owner: string; setId: number; spans: number }[];
	words: number;
}

/** The pre-annotation steps, in order. One line per step. */
export async function defaultSteps(project: Project, options: PreannotateOptions = {}): Promise<PreannotationStep[]> {
	const model = options.model ?? (await getNerModel(nerSettingsFromConfig(loadConfig(), options.settings)));
	return [
		createNerStep(model, project, { batchSize: options.batchSize, warn: options.warn }),
		createQuoteStep(),
		createGazetteerStep(),
		...(options.db ? [createMemoryStep(options.db, project)] : [])
	];
}

/** Pre-annotates one document now (the "suggest" button): runs the steps and stores their sets. */
export async function preannotateDocument(db: Db, documentId: number, options: PreannotateOptions = {}): Promise<DocumentResult> {
	const document = db
		.select({ id: documents.id, projectId: documents.projectId, text: documents.text })
		.from(documents)
		.where(eq(documents.id, documentId))
		.get();
	if (!document) throw new Error(`document ${documentId} does not exist`);
	const project = db.select().from(projects).where(eq(projects.id, document.projectId)).get()!;
	const steps = options.steps ?? (await defaultSteps(project, { ...options, db }));
	return runSteps(db, project, document, steps);
}

async function runSteps(db: Db, project: Project, document: StepDocument, steps: readonly PreannotationStep[]): Promise<DocumentResult> {
	const results = new Map<string, StepOutput>();
	for (const step of steps) {
		if (!MACHINE_KINDS.has(ownerKindOf(step.owner))) throw new Error(`step "${step.name}" would write to "${step.owner}", which is not a machine owner`);
		results.set(step.name, await step.run({ document, project, results }));
	}
	const sets = inTransaction(db, () =>
		steps.map((step) => {
			const output = results.get(step.name)!;
			removeSupersededSets(db, document.id, step);
			const set = getOrCreateSet(db, document.id, step.owner, { status: 'done' });
			replaceSetContent(db, set.id, output.spans, output.links ?? []);
			return { owner: step.owner, setId: set.id, spans: output.spans.length };
		})
	);
	const ner = results.get('ner')?.details?.annotation as TextAnnotation | undefined;
	return { documentId: document.id, sets, words: ner?.words.length ?? 0 };
}

function removeSupersededSets(db: Db, documentId: number, step: PreannotationStep): void {
	const machineOwners = db
		.select({ id: annotationSets.id, owner: annotationSets.owner, kind: annotationSets.ownerKind })
		.from(annotationSets)
		.where(and(eq(annotationSets.documentId, documentId), ne(annotationSets.owner, step.owner)))
		.all();
	for (const set of machineOwners) {
		if (MACHINE_KINDS.has(set.kind) && step.supersedes(set.owner)) {
			db.delete(annotationSets).where(eq(annotationSets.id, set.id)).run();
		}
	}
}

export type PreannotateMode = 'only-new' | 'all' | 'unreviewed';

export interface CorpusOptions extends PreannotateOptions {
	/**
	 * only-new: documents missing a set of any step's current owner (the default); all: every
	 * document; unreviewed: every document nobody finished and without gold (after a new model).
	 */
	mode?: PreannotateMode;
	limit?: number;
	onProgress?: (progress: CorpusProgress) => void;
	/** Checked between documents; true stops the run after the current document (it is stored). */
	shouldStop?: () => boolean;
}

export interface CorpusProgress {
	done: number;
	total: number;
	words: number;
	spans: number;
	failed: number;
}

export interface CorpusSummary extends CorpusProgress {
	owners: string[];
	stopped: boolean;
	problems: { documentId: number; message: string }[];
	seconds: number;
}

/** Ids of the documents a run would process, in id order. */
export function listPendingDocuments(db: Db, projectId: number, owners: readonly string[], mode: PreannotateMode, limit?: number): number[] {
	const rows =
		mode === 'all'
			? db.$client.prepare(`SELECT id FROM documents WHERE project_id = ? ORDER BY id ${limit ? 'LIMIT ?' : ''}`).all(...[projectId, ...(limit ? [limit] : [])])
			: mode === 'unreviewed'
				? db.$client
						.prepare(
							`SELECT d.id FROM documents d
							  WHERE d.project_id = ?
							    AND NOT EXISTS (SELECT 1 FROM annotation_sets s WHERE s.document_id = d.id
							      AND ((s.owner_kind = 'annotator' AND s.status IN ('done','skipped')) OR s.owner_kind = 'gold'))
							  ORDER BY d.id ${limit ? 'LIMIT ?' : ''}`
						)
						.all(...[projectId, ...(limit ? [limit] : [])])
				: db.$client
					.prepare(
						`SELECT d.id FROM documents d
						  WHERE d.project_id = ?
						    AND (SELECT COUNT(*) FROM annotation_sets s WHERE s.document_id = d.id AND s.owner IN (${owners.map(() => '?').join(',')})) < ?
						  ORDER BY d.id ${limit ? 'LIMIT ?' : ''}`
					)
					.all(projectId, ...owners, owners.length, ...(limit ? [limit] : []));
	return (rows as { id: number }[]).map((row) => row.id);
}

/**
 * Pre-annotates a project's documents, one transaction per document, so an interrupted run
 * keeps what it finished and `only-new` continues where it stopped. A document that fails is
 * reported and skipped; the run goes on.
 */
export async function preannotateCorpus(db: Db, project: Project, options: CorpusOptions = {}): Promise<CorpusSummary> {
	const started = performance.now();
	const steps = options.steps ?? (await defaultSteps(project, { ...options, db }));
	const owners = steps.map((step) => step.owner);
	const ids = listPendingDocuments(db, project.id, owners, options.mode ?? 'only-new', options.limit);
	const summary: CorpusSummary = { done: 0, total: ids.length, words: 0, spans: 0, failed: 0, owners, stopped: false, problems: [], seconds: 0 };
	const select = db.$client.prepare('SELECT id, project_id AS projectId, text FROM documents WHERE id = ?');
	options.onProgress?.({ ...summary });
	for (const id of ids) {
		if (options.shouldStop?.()) {
			summary.stopped = true;
			break;
		}
		const document = select.get(id) as StepDocument | undefined;
		if (document) {
			try {
				const result = await runSteps(db, project, document, steps);
				summary.words += result.words;
				summary.spans += result.sets.reduce((sum, set) => sum + set.spans, 0);
			} catch (error) {
				summary.failed++;
				summary.problems.push({ documentId: id, message: (error as Error).message });
			}
		}
		summary.done++;
		options.onProgress?.({ done: summary.done, total: summary.total, words: summary.words, spans: summary.spans, failed: summary.failed });
	}
	summary.seconds = (performance.now() - started) / 1000;
	return summary;
}

/** Counts of documents with a current set per owner, for a status line ("312 / 1,000 pre-annotated"). */
export function countPreannotated(db: Db, projectId: number, owner: string): number {
	const row = db.$client
		.prepare(`SELECT COUNT(*) AS n FROM annotation_sets s JOIN documents d ON d.id = s.document_id WHERE d.project_id = ? AND s.owner = ?`)
		.get(projectId, owner) as { n: number };
	return row.n;
}
