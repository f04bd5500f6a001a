import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser } from '$lib/server/auth/guards';
import { AccountError, changeOwnPassword } from '$lib/server/auth/accounts';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	return { account: { username: user.username, displayName: user.displayName, role: user.role } };
};

const passwordSchema = z.object({
	currentPassword: z.string().min(1).max(1024),
	newPassword: z.string().min(1).max(1024),
	confirm: z.string().max(1024)
});

export const actions: Actions = {
	changePassword: async ({ locals, request, cookies, url }) => {
		const user = requireUser(locals, url);
		const parsed = passwordSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { ok: false, message: 'Saisissez le mot de passe actuel et le nouveau, deux fois.' });
		if (parsed.data.newPassword !== parsed.data.confirm) return fail(400, { ok: false, message: 'Les deux nouveaux mots de passe diffèrent.' });
		try {
			changeOwnPassword(locals.db, {
				userId: user.id,
				currentPassword: parsed.data.currentPassword,
				newPassword: parsed.data.newPassword,
				sessionToken: cookies.get(SESSION_COOKIE) ?? ''
			});
		} catch (error) {
			if (error instanceof AccountError) return fail(400, { ok: false, message: `Mot de passe inchangé : ${error.message}.` });
			throw error;
		}
		return { ok: true, message: 'Mot de passe changé. Vos sessions ouvertes ailleurs sont fermées ; celle-ci reste ouverte.' };
	}
};
