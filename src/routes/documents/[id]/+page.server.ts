import { error, fail, redirect } from '@sveltejs/kit';
import { preannotateDocument } from '$lib/server/preannotate';
import { requireDocument } from '$lib/server/auth/guards';
import { getGuidelines } from '$lib/server/annotation/guidelines';
import { findNextDocumentForUser, loadAnnotatorSet, loadSuggestions } from '$lib/server/annotation/load-annotations';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	const document = requireDocument(locals, params.id);
	if (!locals.user) error(401, 'Connexion requise');
	const owner = locals.user.username;
	const set = loadAnnotatorSet(locals.db, document.id, owner);
	return {
		document: {
			id: document.id,
			externalId: document.externalId,
			title: document.title,
			text: document.text,
			source: document.source,
			url: document.url,
			publishedAt: document.publishedAt,
			wordCount: document.wordCount,
			cleaning: document.cleaning
		},
		labelSchema: locals.project.labelSchema,
		owner,
		revision: set.revision,
		snapshot: set.snapshot,
		suggestions: loadSuggestions(locals.db, document.id),
		nextDocumentId: findNextDocumentForUser(locals.db, locals.project.id, locals.user, document.id),
		guidelines: getGuidelines(locals.db, locals.project.id).text
	};
};

export const actions: Actions = {
	/** Runs every pre-annotation step (model, quote rules, gazetteer, memory) on this document now. */
	preannotate: async ({ locals, params }) => {
		if (!locals.user) error(401, 'Connexion requise');
		const { id } = requireDocument(locals, params.id);
		try {
			await preannotateDocument(locals.db, id);
		} catch (cause) {
			console.error('[guillemet] pre-annotation failed', cause);
			return fail(500, { preannotateError: `La pré-annotation a échoué : ${(cause as Error).message}` });
		}
		redirect(303, `/documents/${id}`);
	}
};
