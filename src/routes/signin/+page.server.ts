import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { hasActiveAdmin, isLoopback } from '$lib/server/auth/accounts';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/sessions';
import { signIn } from '$lib/server/auth/sign-in';
import type { Actions, PageServerLoad } from './$types';

/** Only same-site paths: `/x`, never `//host` or `/\host` (open redirect). */
function safeRedirect(target: string | null): string {
	return target && /^\/(?![/\\])/.test(target) ? target : '/';
}

export const load: PageServerLoad = ({ locals, url, getClientAddress }) => {
	if (locals.user) redirect(303, safeRedirect(url.searchParams.get('redirectTo')));
	const needsAdmin = !hasActiveAdmin(locals.db);
	// A fresh install opened on the server machine itself: create the administrator first.
	if (needsAdmin && isLoopback(getClientAddress())) redirect(303, '/setup');
	return { needsAdmin };
};

const formSchema = z.object({
	username: z.string().trim().min(1).max(64),
	password: z.string().min(1).max(1024)
});

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const form = Object.fromEntries(await request.formData());
		const parsed = formSchema.safeParse(form);
		const username = typeof form.username === 'string' ? form.username.slice(0, 64) : '';
		if (!parsed.success) return fail(400, { username, message: 'Saisissez votre identifiant et votre mot de passe.' });
		const result = signIn(locals.db, { ...parsed.data, ip: getClientAddress() });
		if (result.outcome === 'throttled') {
			const minutes = Math.ceil(result.retryAfterMs / 60_000);
			return fail(429, { username, message: `Trop de tentatives échouées. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.` });
		}
		if (result.outcome === 'invalid') return fail(400, { username, message: 'Identifiant ou mot de passe incorrect.' });
		cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(url, result.expiresAt));
		redirect(303, safeRedirect(url.searchParams.get('redirectTo')));
	}
};
