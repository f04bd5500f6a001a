// The gold set of a document in the annotation workspace: a reviewer edits it as annotators edit
// theirs (selection, hotkeys, links), with the annotators' spans as suggestions. Saves go through
// the annotators' endpoint with `?set=gold`.
import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { getDocument } from '$lib/server/db/documents';
import { GOLD_OWNER, loadGoldWorkspace, REVIEWER_ROLES } from '$lib/server/review';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	const user = requireRole(locals, REVIEWER_ROLES);
	const id = Number(params.id);
	if (!Number.isInteger(id) || id <= 0) error(404, 'Document introuvable');
	const document = getDocument(locals.db, locals.project.id, id);
	if (!document) error(404, 'Document introuvable');
	const gold = loadGoldWorkspace(locals.db, document.id, document.text);
	return {
		document: { id: document.id, title: document.title, text: document.text, source: document.source, wordCount: document.wordCount },
		labelSchema: locals.project.labelSchema,
		owner: GOLD_OWNER,
		author: user.username,
		revision: gold.revision,
		snapshot: gold.snapshot,
		suggestions: gold.suggestions
	};
};
