import { requireRole } from '$lib/server/auth/guards';
import { listReviewQueue } from '$lib/server/review';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	requireRole(locals, ['admin', 'reviewer']);
	return { documents: listReviewQueue(locals.db, locals.project.id) };
};
