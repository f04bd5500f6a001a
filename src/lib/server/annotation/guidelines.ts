// A project's annotation guidelines: read by everyone who works on it, written by its admin.
// Two admins editing at once: each save says which revision its page started from, and one based
// on a revision that is no longer current is refused, with the text now in force, rather than
// overwriting the colleague's (the refused text stays in the editor, nothing is lost).
import { eq } from 'drizzle-orm';
import { inTransaction, type Db } from '../db/client';
import { projectGuidelines } from '../db/schema';
import { DEFAULT_GUIDELINES, describeGuidelinesProblem } from '../../domain/guidelines';

export interface ProjectGuidelines {
	/** The Markdown in force: the project's own, or Guillemet's. */
	text: string;
	/** Whether the project wrote its own (false: Guillemet's). */
	custom: boolean;
	/** Saves so far, 0 before the first: what an edit says it started from. */
	revision: number;
	updatedBy: string | null;
	updatedAt: string | null;
}

export type GuidelinesSaveResult =
	| { ok: true; guidelines: ProjectGuidelines }
	| { ok: false; message: string; conflict?: true; current?: ProjectGuidelines };

export function getGuidelines(db: Db, projectId: number): ProjectGuidelines {
	const row = db.select().from(projectGuidelines).where(eq(projectGuidelines.projectId, projectId)).get();
	if (!row) return { text: DEFAULT_GUIDELINES, custom: false, revision: 0, updatedBy: null, updatedAt: null };
	return { text: row.text ?? DEFAULT_GUIDELINES, custom: row.text !== null, revision: row.revision, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

/**
 * Saves `text` as the project's guidelines (null: back to Guillemet's), by `username`, if the
 * stored revision is still `basedOn`.
 */
export function saveGuidelines(db: Db, projectId: number, text: string | null, options: { basedOn: number; username: string }): GuidelinesSaveResult {
	// A browser's textarea sends CRLF line ends; the stored text is compared and diffed as `\n`.
	const normalised = text === null ? null : text.replace(/\r\n?/g, '\n').trimEnd();
	if (normalised !== null) {
		const problem = describeGuidelinesProblem(normalised);
		if (problem) return { ok: false, message: problem };
	}
	return inTransaction(db, () => {
		const current = getGuidelines(db, projectId);
		if (current.revision !== options.basedOn) {
			return {
				ok: false,
				conflict: true,
				message: `Les consignes ont été modifiées par ${current.updatedBy ?? 'quelqu’un d’autre'} depuis l’ouverture de cette page : rien n’a été enregistré. Votre texte est resté dans l’éditeur ; reportez-y leurs changements, puis enregistrez.`,
				current
			};
		}
		const values = { text: normalised, revision: current.revision + 1, updatedBy: options.username, updatedAt: new Date().toISOString() };
		db.insert(projectGuidelines)
			.values({ projectId, ...values })
			.onConflictDoUpdate({ target: projectGuidelines.projectId, set: values })
			.run();
		return { ok: true, guidelines: getGuidelines(db, projectId) };
	});
}
