import { fail } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { importUploads, isSupportedFile, SUPPORTED_EXTENSIONS } from '$lib/server/import';
import { uploadTooLargeMessage } from '$lib/ui/import-messages-fr';
import type { Actions, PageServerLoad } from './$types';

// The page checks the size before sending: a 70 MB file is refused at once, not after its upload.
export const load: PageServerLoad = () => ({ uploadMaxBytes: getApp().config.UPLOAD_MAX_BYTES });

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
		const summary = importUploads(locals.db, locals.project, inputs);
		return { summary };
	}
};
