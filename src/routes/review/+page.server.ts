import { requireRole } from '$lib/server/auth/guards';
import { listReviewQueue } from '$lib/server/review';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	requireRole(locals, ['admin', 'reviewer']);
	// `?tri=doutes`: the documents with the most doubts first, the hard cases before the rest.
	const order = url.searchParams.get('tri') === 'doutes' ? 'doubts' : 'progress';
	return { order, documents: listReviewQueue(locals.db, locals.project.id, { order }) };
};
