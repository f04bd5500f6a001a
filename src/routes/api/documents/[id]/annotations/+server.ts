// JSON endpoint of the workspace: GET the annotator's set, POST a save (operations on top of a
// revision). 409 on a stale revision and 422 on an operation that does not apply; both answer
// with the current state so the browser can replay its queued work on it. With `?set=gold`, the
// same for the document's gold set, edited by a reviewer (annotators get 403).
import { error, json } from '@sveltejs/kit';
import { requireDocument, requireRole } from '$lib/server/auth/guards';
import { GOLD_OWNER, REVIEWER_ROLES } from '$lib/server/review';
import { loadAnnotatorSet } from '$lib/server/annotation/load-annotations';
import { saveAnnotations } from '$lib/server/annotation/save-annotations';
import { saveRequestSchema } from '$lib/domain/editing/wire';
import { describeValidationError } from '$lib/domain/corpus-record';
import type { RequestHandler } from './$types';

function documentOf(locals: App.Locals, id: string, url: URL) {
	const document = requireDocument(locals, id);
	if (!locals.user) error(401, 'Connexion requise');
	const set = url.searchParams.get('set') === 'gold' ? ('gold' as const) : ('own' as const);
	if (set === 'gold') requireRole(locals, REVIEWER_ROLES);
	return { document, user: locals.user, set };
}

export const GET: RequestHandler = ({ locals, params, url }) => {
	const { document, user, set } = documentOf(locals, params.id, url);
	const view = loadAnnotatorSet(locals.db, document.id, set === 'gold' ? GOLD_OWNER : user.username);
	// The label schema too: a page opened before an admin changed it learns so when it looks again.
	return json({ revision: view.revision, snapshot: view.snapshot, labelSchema: locals.project.labelSchema });
};

export const POST: RequestHandler = async ({ locals, params, request, url }) => {
	const { document, user, set } = documentOf(locals, params.id, url);
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
		set,
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
