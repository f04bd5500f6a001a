import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireDocument, requireRole } from '$lib/server/auth/guards';
import { applyReviewDecision, loadReview, REVIEWER_ROLES, type ReviewDecision } from '$lib/server/review';
import { computeAgreementForDocument } from '$lib/server/agreement';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	requireRole(locals, REVIEWER_ROLES);
	const document = requireDocument(locals, params.id);
	return {
		document: { id: document.id, title: document.title, text: document.text, source: document.source, url: document.url },
		labelSchema: locals.project.labelSchema,
		review: loadReview(locals.db, document.id, document.text),
		agreement: computeAgreementForDocument(locals.db, locals.project.id, document.id, { includeUnfinished: true })
	};
};

const revision = z.coerce.number().int().nonnegative();
const schemas = {
	accept: z.object({ revision, key: z.string().min(1).max(200) }).transform((f) => ({ revision: f.revision, decision: { type: 'accept', key: f.key } as ReviewDecision })),
	reject: z.object({ revision, key: z.string().min(1).max(200) }).transform((f) => ({ revision: f.revision, decision: { type: 'reject', key: f.key } as ReviewDecision })),
	acceptAgreed: z.object({ revision }).transform((f) => ({ revision: f.revision, decision: { type: 'accept-agreed' } as ReviewDecision })),
	remove: z.object({ revision, spanId: z.coerce.number().int().positive() }).transform((f) => ({ revision: f.revision, decision: { type: 'remove', spanId: f.spanId } as ReviewDecision })),
	edit: z
		.object({ revision, spanId: z.coerce.number().int().positive(), label: z.string().trim().min(1).max(64), start: z.coerce.number().int().nonnegative(), end: z.coerce.number().int().positive() })
		.transform((f) => ({ revision: f.revision, decision: { type: 'edit', spanId: f.spanId, label: f.label, start: f.start, end: f.end } as ReviewDecision })),
	status: z.object({ revision, status: z.enum(['done', 'in_progress']) }).transform((f) => ({ revision: f.revision, decision: { type: 'status', status: f.status } as ReviewDecision }))
};

function decide(name: keyof typeof schemas) {
	return async ({ locals, params, request }: RequestEvent) => {
		const user = requireRole(locals, REVIEWER_ROLES);
		const document = requireDocument(locals, params.id);
		const parsed = schemas[name].safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { message: 'Requête invalide.' });
		const result = applyReviewDecision(locals.db, {
			documentId: document.id,
			user,
			text: document.text,
			labelSchema: locals.project.labelSchema,
			baseRevision: parsed.data.revision,
			decision: parsed.data.decision
		});
		if (result.outcome === 'conflict') return fail(409, { message: result.message });
		if (result.outcome === 'invalid') return fail(400, { message: result.message });
		return { saved: result.revision };
	};
}

export const actions: Actions = {
	accept: decide('accept'),
	reject: decide('reject'),
	acceptAgreed: decide('acceptAgreed'),
	remove: decide('remove'),
	edit: decide('edit'),
	status: decide('status')
};
