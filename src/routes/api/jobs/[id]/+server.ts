import { error, json } from '@sveltejs/kit';
import { getJobProgress } from '$lib/server/jobs';
import type { RequestHandler } from './$types';

/** Progress of a background job, polled by the pre-annotation page. */
export const GET: RequestHandler = ({ locals, params }) => {
	if (!locals.user) error(401, 'Connexion requise');
	const job = getJobProgress(locals.db, Number(params.id));
	if (!job || job.projectId !== locals.project.id) error(404, 'Tâche introuvable');
	return json(job);
};
