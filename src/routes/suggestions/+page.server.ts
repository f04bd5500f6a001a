import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { summariseDecisions } from '$lib/server/db/suggestion-decisions';
import { listMemory, updateMemoryEntry } from '$lib/server/memory';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.user) error(401, 'Connexion requise');
	const search = url.searchParams.get('q')?.trim() || undefined;
	return {
		decisions: summariseDecisions(locals.db, locals.project.id),
		memory: listMemory(locals.db, locals.project.id, { search, limit: 300 }),
		search: search ?? '',
		labels: locals.project.labelSchema.entityLabels.map((l) => l.name),
		canEdit: locals.user.role === 'admin'
	};
};

const entrySchema = z.object({ id: z.coerce.number().int().positive() });

export const actions: Actions = {
	force: async ({ locals, request }) => {
		if (locals.user?.role !== 'admin') return fail(403, { message: 'Réservé aux administrateurs.' });
		const form = Object.fromEntries(await request.formData());
		const parsed = entrySchema.extend({ label: z.string() }).safeParse(form);
		if (!parsed.success) return fail(400, { message: 'Entrée invalide.' });
		const labels = locals.project.labelSchema.entityLabels.map((l) => l.name);
		if (parsed.data.label !== '' && !labels.includes(parsed.data.label)) return fail(400, { message: `Étiquette inconnue : ${parsed.data.label}` });
		updateMemoryEntry(locals.db, locals.project.id, parsed.data.id, { forcedLabel: parsed.data.label || null });
	},
	block: async ({ locals, request }) => {
		if (locals.user?.role !== 'admin') return fail(403, { message: 'Réservé aux administrateurs.' });
		const parsed = entrySchema.extend({ blocked: z.enum(['0', '1']) }).safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { message: 'Entrée invalide.' });
		updateMemoryEntry(locals.db, locals.project.id, parsed.data.id, { blocked: parsed.data.blocked === '1' });
	},
	remove: async ({ locals, request }) => {
		if (locals.user?.role !== 'admin') return fail(403, { message: 'Réservé aux administrateurs.' });
		const parsed = entrySchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { message: 'Entrée invalide.' });
		updateMemoryEntry(locals.db, locals.project.id, parsed.data.id, { remove: true });
	}
};
