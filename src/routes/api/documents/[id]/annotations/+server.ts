// JSON endpoint of the workspace: GET the annotator's set, POST a save (operations on top of a
// revision). 409 on a stale revision and 422 on an operation that does not apply; both answer
// with the current state so the browser can replay its queued work on it.
import { error, json } from '@sveltejs/kit';
import { getDocument } from '$lib/server/db/documents';
import { loadAnnotatorSet } from '$lib/server/annotation/load-annotations';
import { saveAnnotations } from '$lib/server/annotation/save-annotations';
import { saveRequestSchema } from '$lib/domain/editing/wire';
import { describeValidationError } from '$lib/domain/corpus-record';
import type { RequestHandler } from './$types';

function documentOf(locals: App.Locals, id: string) {
	const documentId = Number(id);
	if (!Number.isInteger(documentId) || documentId <= 0) error(404, 'Document introuvable');
	const document = getDocument(locals.db, locals.project.id, documentId);
	if (!document) error(404, 'Document introuvable');
	if (!locals.user) error(401, 'Connexion requise');
	return { document, user: locals.user };
}

export const GET: RequestHandler = ({ locals, params }) => {
	const { document, user } = documentOf(locals, params.id);
	const view = loadAnnotatorSet(locals.db, document.id, user.username);
	return json({ revision: view.revision, snapshot: view.snapshot });
};

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const { document, user } = documentOf(locals, params.id);
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return json({ message: 'le corps de la requête n’est pas du JSON' }, { status: 400 });
	}
	const parsed = saveRequestSchema.safeParse(body);
	if (!parsed.success) return json({ message: describeValidationError(parsed.error) }, { status: 400 });
	const result = saveAnnotations(locals.db, {
		documentId: document.id,
		user,
		textLength: document.charCount,
		labelSchema: locals.project.labelSchema,
		...parsed.data
	});
	switch (result.outcome) {
		case 'saved':
			return json(result);
		case 'conflict':
			return json(result, { status: 409 });
		case 'invalid':
			return json(result, { status: 422 });
	}
};
