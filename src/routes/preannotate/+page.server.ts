import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { loadConfig } from '$lib/server/config';
import { countDocuments } from '$lib/server/db/documents';
import { cancelJob, listJobs, PREANNOTATE_JOB_KIND, startPreannotationJob } from '$lib/server/jobs';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) error(401, 'Connexion requise');
	const config = loadConfig();
	return {
		jobs: listJobs(locals.db, locals.project.id, 10, PREANNOTATE_JOB_KIND),
		documentCount: countDocuments(locals.db, locals.project.id),
		model: { name: config.NER_MODEL, dtype: config.NER_DTYPE, threads: config.NER_THREADS, style: config.NER_STYLE },
		canRun: locals.user.role !== 'annotator'
	};
};

const startSchema = z.object({
	mode: z.enum(['only-new', 'all']),
	limit: z
		.string()
		.optional()
		.transform((v) => (v ? Number(v) : undefined))
		.pipe(z.number().int().positive().optional())
});

export const actions: Actions = {
	start: async ({ locals, request }) => {
		if (!locals.user || locals.user.role === 'annotator') return fail(403, { message: 'Réservé aux relecteurs et aux administrateurs.' });
		const parsed = startSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { message: 'Paramètres invalides (mode only-new ou all, limite entière positive).' });
		try {
			startPreannotationJob(locals.db, locals.project.id, parsed.data);
		} catch (cause) {
			return fail(409, { message: (cause as Error).message });
		}
	},
	cancel: async ({ locals, request }) => {
		if (!locals.user || locals.user.role === 'annotator') return fail(403, { message: 'Réservé aux relecteurs et aux administrateurs.' });
		const id = Number((await request.formData()).get('id'));
		if (!Number.isInteger(id) || !listJobs(locals.db, locals.project.id, 100, PREANNOTATE_JOB_KIND).some((job) => job.id === id)) return fail(404, { message: 'Tâche introuvable.' });
		cancelJob(locals.db, id);
	}
};
