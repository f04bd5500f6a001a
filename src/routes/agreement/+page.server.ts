import { requireRole } from '$lib/server/auth/guards';
import { computeAgreementForProject } from '$lib/server/agreement';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	requireRole(locals, ['admin', 'reviewer']);
	const includeUnfinished = url.searchParams.get('unfinished') === '1';
	return { includeUnfinished, agreement: computeAgreementForProject(locals.db, locals.project.id, { includeUnfinished }) };
};
