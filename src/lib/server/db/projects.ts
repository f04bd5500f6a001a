// Projects: a corpus with its own label schema and team. A default project always exists.
import { eq } from 'drizzle-orm';
import { DEFAULT_LABEL_SCHEMA, labelSchemaSchema, type LabelSchema } from '../../domain/label-schema';
import type { Db } from './client';
import { projects } from './schema';

export const DEFAULT_PROJECT_SLUG = 'default';

export type Project = typeof projects.$inferSelect;

/** The default project, created on first use. */
export function ensureDefaultProject(db: Db): Project {
	const existing = db.select().from(projects).where(eq(projects.slug, DEFAULT_PROJECT_SLUG)).get();
	if (existing) return existing;
	return db
		.insert(projects)
		.values({ slug: DEFAULT_PROJECT_SLUG, name: 'Corpus par défaut', labelSchema: DEFAULT_LABEL_SCHEMA })
		.returning()
		.get();
}

export function listProjects(db: Db): Project[] {
	return db.select().from(projects).orderBy(projects.id).all();
}

/** Finds a project by slug; throws `project "x" does not exist (known: …)` for scripts to print. */
export function getProjectBySlug(db: Db, slug: string): Project {
	if (slug === DEFAULT_PROJECT_SLUG) return ensureDefaultProject(db);
	const project = db.select().from(projects).where(eq(projects.slug, slug)).get();
	if (!project) {
		const known = listProjects(db).map((p) => p.slug);
		throw new Error(`project "${slug}" does not exist (known: ${known.join(', ') || 'none'})`);
	}
	return project;
}

export function createProject(db: Db, input: { slug: string; name: string; labelSchema?: LabelSchema }): Project {
	if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(input.slug)) {
		throw new Error(`project slug "${input.slug}" is invalid: use lower-case letters, digits and dashes`);
	}
	return db
		.insert(projects)
		.values({ slug: input.slug, name: input.name, labelSchema: input.labelSchema ?? DEFAULT_LABEL_SCHEMA })
		.returning()
		.get();
}

/** The project's label schema as stored now (not as a page loaded it). */
export function getLabelSchema(db: Db, projectId: number): LabelSchema | undefined {
	return db.select({ labelSchema: projects.labelSchema }).from(projects).where(eq(projects.id, projectId)).get()?.labelSchema;
}

export function updateLabelSchema(db: Db, projectId: number, labelSchema: LabelSchema): Project {
	const valid = labelSchemaSchema.parse(labelSchema);
	return db.update(projects).set({ labelSchema: valid }).where(eq(projects.id, projectId)).returning().get();
}
