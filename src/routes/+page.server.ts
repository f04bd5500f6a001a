import { z } from 'zod';
import { countAssignedDocuments } from '$lib/server/assignment';
import { countDocumentsByStatus, DOCUMENT_STATUSES, listDocuments, listSources } from '$lib/server/db/documents';
import { LOCAL_USERNAME } from '$lib/server/db/users';
import type { PageServerLoad } from './$types';

const querySchema = z.object({
	// A pasted paragraph searches by its beginning (the search uses its first words anyway), not a 500.
	q: z.string().trim().transform((q) => q.slice(0, 200)).optional(),
	status: z.enum(DOCUMENT_STATUSES).optional().catch(undefined),
	source: z.string().max(200).optional().catch(undefined),
	scope: z.enum(['queue', 'all']).optional().catch(undefined),
	after: z.coerce.number().int().positive().optional().catch(undefined),
	before: z.coerce.number().int().positive().optional().catch(undefined)
});

export const load: PageServerLoad = ({ locals, url }) => {
	const query = querySchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== '')));
	const owner = locals.user?.username ?? LOCAL_USERNAME;
	// Someone with a queue works from it: the list shows their assigned documents unless they ask for all.
	// Only annotators get queues, so the others skip the assignment check.
	const queueSize = locals.user?.role === 'annotator' ? countAssignedDocuments(locals.db, locals.project.id, locals.user.id) : 0;
	const scope = queueSize > 0 && query.scope !== 'all' ? 'queue' : 'all';
	const assignedTo = scope === 'queue' ? locals.user!.id : undefined;
	const page = listDocuments(locals.db, {
		projectId: locals.project.id,
		owner,
		search: query.q,
		status: query.status,
		source: query.source,
		assignedTo,
		cursor: query.before ?? query.after,
		direction: query.before ? 'previous' : 'next',
		limit: 50
	});
	return {
		page,
		query,
		scope,
		queueSize,
		sources: listSources(locals.db, locals.project.id),
		progress: countDocumentsByStatus(locals.db, locals.project.id, owner, assignedTo)
	};
};
