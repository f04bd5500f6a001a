// The whole product's storage model (see ../shared/DESIGN.md, "Core model").
// Offsets in `spans` are Unicode code points of `documents.text`; nothing else is stored.
// Full-text search (FTS5) lives in a custom migration and is used only by `search.ts`.
import { sql } from 'drizzle-orm';
import { customType, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { labelSchemaSchema, type LabelSchema } from '../../domain/label-schema';
import type { CleaningReport } from '../../domain/cleaning';
import type { SpanAttributes } from '../../domain/spans';

const createdAt = () =>
	text('created_at')
		.notNull()
		.default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

/**
 * A label schema stored as JSON text, read back through its zod schema so that a field added
 * later (with a default, such as `personTitles`) is filled in for projects saved before it.
 */
const labelSchemaJson = customType<{ data: LabelSchema; driverData: string }>({
	dataType: () => 'text',
	toDriver: (value) => JSON.stringify(value),
	fromDriver: (value) => labelSchemaSchema.parse(JSON.parse(value))
});

export const projects = sqliteTable('projects', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	slug: text('slug').notNull().unique(),
	name: text('name').notNull(),
	/** Label schema as JSON: editable without a migration. */
	labelSchema: labelSchemaJson('label_schema').notNull(),
	/** How many annotators each document gets (assignment). */
	annotatorsPerDocument: integer('annotators_per_document').notNull().default(1),
	createdAt: createdAt()
});

/**
 * A project's annotation guidelines, written by its admin (Markdown). Their own table, so that the
 * project row every request reads does not carry a handbook. No row, or no text: Guillemet's own
 * guidelines. `revision` counts saves, going back to Guillemet's included (the row stays, so the
 * count never restarts): an edit says which revision it started from, and one made on an older
 * revision is refused instead of overwriting a colleague's.
 */
export const projectGuidelines = sqliteTable('project_guidelines', {
	projectId: integer('project_id')
		.primaryKey()
		.references(() => projects.id, { onDelete: 'cascade' }),
	text: text('text'),
	revision: integer('revision').notNull(),
	updatedBy: text('updated_by').notNull(),
	updatedAt: text('updated_at')
		.notNull()
		.default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)
});

export const users = sqliteTable('users', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	username: text('username').notNull().unique(),
	displayName: text('display_name').notNull(),
	role: text('role', { enum: ['admin', 'reviewer', 'annotator'] }).notNull(),
	/** scrypt hash with its salt and parameters; null for accounts that cannot sign in yet. */
	passwordHash: text('password_hash'),
	disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
	createdAt: createdAt()
});

export const sessions = sqliteTable(
	'sessions',
	{
		/** SHA-256 of the cookie token: a stolen database does not yield live sessions. */
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: text('expires_at').notNull(),
		createdAt: createdAt()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

export const projectMembers = sqliteTable(
	'project_members',
	{
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('project_members_pk').on(t.projectId, t.userId)]
);

export const documents = sqliteTable(
	'documents',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		/** Id from the source (JSONL `id`, or the file name for text pages). */
		externalId: text('external_id').notNull(),
		title: text('title').notNull(),
		/** The input exactly as read (after UTF-8 decoding), before cleaning. */
		rawText: text('raw_text').notNull(),
		/** Cleaned, NFC text. Every offset refers to it; it never changes once annotated. */
		text: text('text').notNull(),
		source: text('source'),
		url: text('url'),
		publishedAt: text('published_at'),
		meta: text('meta', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
		/** SHA-256 of the cleaned text: the dedup key within a project. */
		contentHash: text('content_hash').notNull(),
		/** Which cleaning rules fired, on which lines. */
		cleaning: text('cleaning', { mode: 'json' }).$type<CleaningReport>().notNull(),
		wordCount: integer('word_count').notNull(),
		/** Length in code points. */
		charCount: integer('char_count').notNull(),
		importedFrom: text('imported_from'),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('documents_project_hash_idx').on(t.projectId, t.contentHash),
		uniqueIndex('documents_project_external_idx').on(t.projectId, t.externalId),
		index('documents_project_id_idx').on(t.projectId, t.id),
		index('documents_project_source_idx').on(t.projectId, t.source, t.id)
	]
);

/** Which annotators annotate which document (see server/assignment): built incrementally, never reshuffled. */
export const assignments = sqliteTable(
	'assignments',
	{
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		documentId: integer('document_id')
			.notNull()
			.references(() => documents.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/**
		 * Set when a rebalance moved this unstarted document here from that annotator's queue: if
		 * they had it open and save it after all, it goes back to them (assignment/reclaimMovedDocument).
		 */
		movedFromUserId: integer('moved_from_user_id').references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('assignments_document_user_idx').on(t.documentId, t.userId),
		index('assignments_project_user_idx').on(t.projectId, t.userId, t.documentId)
	]
);

export const SET_STATUSES = ['todo', 'in_progress', 'done', 'skipped'] as const;
export const OWNER_KINDS = ['annotator', 'gold', 'model', 'rules', 'memory', 'import'] as const;

export const annotationSets = sqliteTable(
	'annotation_sets',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		documentId: integer('document_id')
			.notNull()
			.references(() => documents.id, { onDelete: 'cascade' }),
		ownerKind: text('owner_kind', { enum: OWNER_KINDS }).notNull(),
		/** `<username>`, `gold`, `model:<id>@<rev>`, `rules:<name>@<version>`, `memory:<project>`. */
		owner: text('owner').notNull(),
		userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
		status: text('status', { enum: SET_STATUSES }).notNull().default('todo'),
		/** Incremented by every save; a save based on an older revision is a conflict. */
		revision: integer('revision').notNull().default(0),
		createdAt: createdAt(),
		updatedAt: text('updated_at')
			.notNull()
			.default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
		doneAt: text('done_at')
	},
	(t) => [
		uniqueIndex('annotation_sets_document_owner_idx').on(t.documentId, t.owner),
		index('annotation_sets_owner_idx').on(t.owner, t.status),
		index('annotation_sets_kind_idx').on(t.ownerKind, t.documentId)
	]
);

// 'mention': a span that designates a speaker or holder without being an entity (pronouns, roles).
export const SPAN_LAYERS = ['entity', 'mention', 'quote', 'cue', 'stance'] as const;
export const SPAN_ORIGINS = ['human', 'model', 'rules', 'memory', 'gazetteer', 'import'] as const;

export const spans = sqliteTable(
	'spans',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		setId: integer('set_id')
			.notNull()
			.references(() => annotationSets.id, { onDelete: 'cascade' }),
		layer: text('layer', { enum: SPAN_LAYERS }).notNull(),
		/** Code-point offsets into documents.text, end exclusive. */
		start: integer('start').notNull(),
		end: integer('end').notNull(),
		label: text('label').notNull(),
		attributes: text('attributes', { mode: 'json' }).$type<SpanAttributes>().notNull().default({}),
		origin: text('origin', { enum: SPAN_ORIGINS }).notNull(),
		score: real('score'),
		/** Who produced it first: `model:<id>@<rev>`, `rules:…`, `human:<username>`, `import:<file>`. */
		provenance: text('provenance').notNull(),
		/** For an accepted suggestion: how it was taken (`accepted` as is, or `edited`). */
		decision: text('decision', { enum: ['accepted', 'edited'] }),
		createdAt: createdAt()
	},
	(t) => [index('spans_set_idx').on(t.setId, t.layer, t.start)]
);

export const LINK_KINDS = ['speaker', 'cue', 'holder', 'target'] as const;

export const links = sqliteTable(
	'links',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		setId: integer('set_id')
			.notNull()
			.references(() => annotationSets.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: LINK_KINDS }).notNull(),
		fromSpanId: integer('from_span_id')
			.notNull()
			.references(() => spans.id, { onDelete: 'cascade' }),
		/** The span pointed to; null when the target is the article itself or a listed target. */
		toSpanId: integer('to_span_id').references(() => spans.id, { onDelete: 'cascade' }),
		/** A stance target from the project's list, or `article` for a holder that is the article. */
		toName: text('to_name')
	},
	(t) => [index('links_set_idx').on(t.setId), index('links_from_idx').on(t.fromSpanId)]
);

/** Rejections and acceptances of suggestions, per source and label, for trust statistics. */
export const suggestionDecisions = sqliteTable(
	'suggestion_decisions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		setId: integer('set_id')
			.notNull()
			.references(() => annotationSets.id, { onDelete: 'cascade' }),
		provenance: text('provenance').notNull(),
		layer: text('layer', { enum: SPAN_LAYERS }).notNull(),
		label: text('label').notNull(),
		/** `ignored`: left untaken in a document marked done (see save-annotations). */
		decision: text('decision', { enum: ['accepted', 'edited', 'rejected', 'ignored'] }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index('suggestion_decisions_provenance_idx').on(t.provenance, t.label)]
);

/** Who changed what and when, per set and span. */
export const auditEvents = sqliteTable(
	'audit_events',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		setId: integer('set_id')
			.notNull()
			.references(() => annotationSets.id, { onDelete: 'cascade' }),
		userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
		action: text('action').notNull(),
		detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
		revision: integer('revision').notNull(),
		createdAt: createdAt()
	},
	(t) => [index('audit_events_set_idx').on(t.setId, t.id)]
);

/** Background work (pre-annotation of a corpus) with visible progress. */
export const jobs = sqliteTable('jobs', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	projectId: integer('project_id')
		.notNull()
		.references(() => projects.id, { onDelete: 'cascade' }),
	kind: text('kind').notNull(),
	status: text('status', { enum: ['queued', 'running', 'done', 'failed', 'cancelled'] }).notNull(),
	done: integer('done').notNull().default(0),
	total: integer('total').notNull().default(0),
	message: text('message'),
	params: text('params', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
	/** What a finished job hands back to its page (an import's summary and problems); null otherwise. */
	result: text('result', { mode: 'json' }).$type<Record<string, unknown>>(),
	createdAt: createdAt(),
	finishedAt: text('finished_at')
});

/**
 * The project's entity memory: each surface form annotators labelled, how often with each label,
 * and how often it was seen in a finished document without a label. Updated incrementally on save.
 */
export const memorySurfaces = sqliteTable(
	'memory_surfaces',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		projectId: integer('project_id')
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		/** Exact form (case and accents kept), NFC. */
		surface: text('surface').notNull(),
		/** Times the form stood in a done document outside any entity. */
		unlabelledCount: integer('unlabelled_count').notNull().default(0),
		/** Set by an admin: always suggest this label, whatever the counts. */
		forcedLabel: text('forced_label'),
		/** Set by an admin: never suggest this form. */
		blocked: integer('blocked', { mode: 'boolean' }).notNull().default(false),
		updatedAt: text('updated_at')
			.notNull()
			.default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)
	},
	(t) => [uniqueIndex('memory_surfaces_project_surface_idx').on(t.projectId, t.surface)]
);

export const memoryLabels = sqliteTable(
	'memory_labels',
	{
		surfaceId: integer('surface_id')
			.notNull()
			.references(() => memorySurfaces.id, { onDelete: 'cascade' }),
		label: text('label').notNull(),
		count: integer('count').notNull().default(0)
	},
	(t) => [uniqueIndex('memory_labels_surface_label_idx').on(t.surfaceId, t.label)]
);

/**
 * What each document contributed to memory_labels (and to memory_surfaces.unlabelled_count,
 * below), so that suggestions for a document can leave out its own evidence: when two
 * annotators annotate the same document, the second must not be offered the first's choices on
 * it. Counts recorded before these tables existed have no per-document part and keep counting
 * everywhere.
 */
export const memoryDocumentLabels = sqliteTable(
	'memory_document_labels',
	{
		documentId: integer('document_id')
			.notNull()
			.references(() => documents.id, { onDelete: 'cascade' }),
		surfaceId: integer('surface_id')
			.notNull()
			.references(() => memorySurfaces.id, { onDelete: 'cascade' }),
		label: text('label').notNull(),
		count: integer('count').notNull()
	},
	(t) => [
		uniqueIndex('memory_document_labels_document_surface_label_idx').on(t.documentId, t.surfaceId, t.label),
		index('memory_document_labels_surface_idx').on(t.surfaceId)
	]
);

/** The part of memory_surfaces.unlabelled_count each finished document contributed. */
export const memoryDocumentUnlabelled = sqliteTable(
	'memory_document_unlabelled',
	{
		documentId: integer('document_id')
			.notNull()
			.references(() => documents.id, { onDelete: 'cascade' }),
		surfaceId: integer('surface_id')
			.notNull()
			.references(() => memorySurfaces.id, { onDelete: 'cascade' }),
		count: integer('count').notNull()
	},
	(t) => [
		uniqueIndex('memory_document_unlabelled_document_surface_idx').on(t.documentId, t.surfaceId),
		index('memory_document_unlabelled_surface_idx').on(t.surfaceId)
	]
);
