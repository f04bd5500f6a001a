// The gold set of a document in the annotation workspace: a reviewer edits it as annotators edit
// theirs (selection, hotkeys, links), with the annotators' spans as suggestions. Saves go through
// the annotators' endpoint with `?set=gold`.
import { requireDocument, requireRole } from '$lib/server/auth/guards';
import { getGuidelines } from '$lib/server/annotation/guidelines';
import { GOLD_OWNER, loadGoldWorkspace, REVIEWER_ROLES } from '$lib/server/review';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	const user = requireRole(locals, REVIEWER_ROLES);
	const document = requireDocument(locals, params.id);
	const gold = loadGoldWorkspace(locals.db, document.id, document.text);
	return {
		document: { id: document.id, title: document.title, text: document.text, source: document.source, wordCount: document.wordCount },
		labelSchema: locals.project.labelSchema,
		owner: GOLD_OWNER,
		author: user.username,
		revision: gold.revision,
		snapshot: gold.snapshot,
		suggestions: gold.suggestions,
		guidelines: getGuidelines(locals.db, locals.project.id).text
	};
};
