import { fail } from '@sveltejs/kit';
import { getGuidelines, saveGuidelines, type ProjectGuidelines } from '$lib/server/annotation/guidelines';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	guidelines: getGuidelines(locals.db, locals.project.id),
	canEdit: locals.user?.role === 'admin'
});

/** A refused save; `current` is the text in force when a colleague saved first. */
const refuse = (status: number, message: string, current: ProjectGuidelines | null = null) => fail(status, { message, current });

async function save(request: Request, locals: App.Locals, text: (form: FormData) => string | null) {
	if (locals.user?.role !== 'admin') return refuse(403, 'Seul un administrateur du projet peut modifier les consignes.');
	const form = await request.formData();
	const basedOn = Number(form.get('basedOn'));
	if (!form.has('basedOn') || !Number.isInteger(basedOn) || basedOn < 0) return refuse(400, 'Formulaire incomplet : rechargez la page.');
	const result = saveGuidelines(locals.db, locals.project.id, text(form), { basedOn, username: locals.user.username });
	if (!result.ok) return refuse(result.conflict ? 409 : 400, result.message, result.current);
	return { saved: true, reset: !result.guidelines.custom };
}

export const actions: Actions = {
	save: ({ request, locals }) => save(request, locals, (form) => String(form.get('text') ?? '')),
	reset: ({ request, locals }) => save(request, locals, () => null)
};
