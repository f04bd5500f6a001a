import { fail } from '@sveltejs/kit';
import { labelSchemaVersion, saveLabelSchema } from '$lib/server/annotation/label-schema-settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	labelSchema: locals.project.labelSchema,
	schemaVersion: labelSchemaVersion(locals.project.labelSchema),
	canEdit: locals.user?.role === 'admin'
});

const lines = (value: FormDataEntryValue | null) =>
	String(value ?? '')
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);

export const actions: Actions = {
	save: async ({ request, locals }) => {
		if (locals.user?.role !== 'admin') return fail(403, { message: 'Seul un administrateur du projet peut modifier le schéma.', details: [] });
		const form = await request.formData();
		const names = form.getAll('name').map(String);
		const descriptions = form.getAll('description').map(String);
		const colours = form.getAll('colour').map(String);
		const hotkeys = form.getAll('hotkey').map(String);
		// Each row says which label it was when the page loaded: a changed name is a rename.
		const previousNames = form.getAll('previousName').map(String);
		const renames = Object.fromEntries(
			names.map((name, i) => [previousNames[i] ?? '', name.trim().toUpperCase()] as const).filter(([previous, name]) => previous !== '' && name !== '' && previous !== name)
		);
		const entityLabels = names
			.map((name, i) => ({ name: name.trim().toUpperCase(), description: (descriptions[i] ?? '').trim(), colour: colours[i] ?? '#000000', hotkey: hotkeys[i] ?? '' }))
			.filter((label) => label.name);
		const result = saveLabelSchema(locals.db, locals.project.id, {
			entityLabels,
			quoteKinds: lines(form.get('quoteKinds')),
			stancePolarities: lines(form.get('stancePolarities')),
			stanceTargets: lines(form.get('stanceTargets')),
			personTitles: form.get('personTitles') ?? undefined
		}, { renames, basedOn: String(form.get('basedOn') ?? '') || undefined, takeFormerNames: form.getAll('takeFormerName').map(String) });
		if (!result.ok) return fail(result.conflict ? 409 : 400, { message: result.message, details: result.details, formerNamesToConfirm: result.formerNamesToConfirm ?? [] });
		return { saved: true, renames, renamed: result.renamed, droppedSuggestions: result.droppedSuggestions, formerNamesTaken: result.formerNamesTaken };
	}
};
