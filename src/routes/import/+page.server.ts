import { fail, redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { isSupportedFile, SUPPORTED_EXTENSIONS, type ImportSummary } from '$lib/server/import';
import { getJobProgress, IMPORT_JOB_KIND, JobAlreadyRunningError, listJobs, startImportJob, UploadNotStoredError, waitForJob, type JobProgress } from '$lib/server/jobs';
import { uploadTooLargeMessage } from '$lib/ui/import-messages-fr';
import type { Actions, PageServerLoad } from './$types';

/** How long the form's answer waits for the import job: a small upload comes back with its summary, a large one with its progress. */
const WAIT_FOR_SMALL_IMPORT_MS = 2500;

// The page checks the size before sending: a 70 MB file is refused at once, not after its upload.
// It shows the import job named in the address (the one this form started), else the project's
// running import, polling while it runs.
export const load: PageServerLoad = ({ locals, url }) => {
	const id = Number(url.searchParams.get('job'));
	const named = Number.isInteger(id) && id > 0 ? getJobProgress(locals.db, id) : undefined;
	const job = named && named.projectId === locals.project.id && named.kind === IMPORT_JOB_KIND ? named : listJobs(locals.db, locals.project.id, 1, IMPORT_JOB_KIND).find((j) => j.active);
	return { uploadMaxBytes: getApp().config.UPLOAD_MAX_BYTES, job: job ? toImportJob(job) : null };
};

/** What the page needs of a job: not the stored files' paths. */
function toImportJob(job: JobProgress) {
	return {
		id: job.id,
		status: job.status,
		active: job.active,
		percent: job.percent,
		message: job.message,
		summary: (job.result?.summary as ImportSummary | undefined) ?? null
	};
}

export const actions: Actions = {
	upload: async ({ request, locals }) => {
		const form = await request.formData();
		// A form sent with no file chosen carries one nameless empty File.
		const files = form.getAll('files').filter((f): f is File => f instanceof File && (f.name !== '' || f.size > 0));
		if (files.length === 0) return fail(400, { message: 'Choisissez au moins un fichier.' });
		const empty = files.filter((file) => file.size === 0);
		if (empty.length) {
			return fail(400, { message: `Fichier vide : ${empty.map((f) => f.name).join(', ')}. Rien n’a été importé.` });
		}
		const unsupported = files.filter((file) => !isSupportedFile(file.name));
		if (unsupported.length) {
			return fail(400, {
				message: `Type de fichier non pris en charge : ${unsupported.map((f) => f.name).join(', ')} (attendu : ${SUPPORTED_EXTENSIONS.join(', ')}).`
			});
		}
		const total = files.reduce((sum, file) => sum + file.size, 0);
		const limit = getApp().config.UPLOAD_MAX_BYTES;
		if (total > limit) return fail(413, { message: uploadTooLargeMessage(total, limit) });
		const inputs = await Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
		// Imported by a background job: better-sqlite3 is synchronous, and a large file imported
		// here would hold every other request (annotators' saves) until it ends.
		let job;
		try {
			job = startImportJob(locals.db, locals.project.id, inputs);
		} catch (cause) {
			if (cause instanceof JobAlreadyRunningError) return fail(409, { message: cause.message });
			if (cause instanceof UploadNotStoredError) return fail(500, { message: cause.message });
			throw cause;
		}
		await waitForJob(job.id, WAIT_FOR_SMALL_IMPORT_MS);
		redirect(303, `/import?job=${job.id}`);
	}
};
