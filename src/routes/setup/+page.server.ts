import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { AccountError, createAccount, hasActiveAdmin, isLoopback } from '$lib/server/auth/accounts';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/sessions';
import { signIn } from '$lib/server/auth/sign-in';
import type { Actions, PageServerLoad } from './$types';

/** First start: the administrator's account, created from the server machine only. */
export const load: PageServerLoad = ({ locals, getClientAddress }) => {
	if (hasActiveAdmin(locals.db) || !isLoopback(getClientAddress())) redirect(303, '/signin');
	return {};
};

const setupSchema = z.object({
	username: z.string().trim().min(1).max(64),
	password: z.string().min(1).max(1024),
	confirm: z.string()
});

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		if (hasActiveAdmin(locals.db)) return fail(409, { message: 'Un administrateur existe déjà : connectez-vous.' });
		if (!isLoopback(getClientAddress())) {
			return fail(403, { message: 'Le premier administrateur se crée depuis la machine du serveur (ou avec npm run admin:create).' });
		}
		const form = Object.fromEntries(await request.formData());
		const parsed = setupSchema.safeParse(form);
		const username = typeof form.username === 'string' ? form.username.slice(0, 64) : '';
		if (!parsed.success) return fail(400, { username, message: 'Choisissez un identifiant et un mot de passe.' });
		if (parsed.data.password !== parsed.data.confirm) return fail(400, { username, message: 'Les deux mots de passe diffèrent.' });
		try {
			createAccount(locals.db, { username: parsed.data.username, role: 'admin', password: parsed.data.password });
		} catch (error) {
			if (error instanceof AccountError) return fail(400, { username, message: `Compte refusé : ${error.message}.` });
			throw error;
		}
		const result = signIn(locals.db, { username: parsed.data.username, password: parsed.data.password, ip: getClientAddress() });
		if (result.outcome !== 'signed-in') return fail(500, { username, message: 'Compte créé, mais la connexion a échoué : connectez-vous.' });
		cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(url, result.expiresAt));
		redirect(303, '/');
	}
};
