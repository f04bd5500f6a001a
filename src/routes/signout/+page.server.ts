import { redirect } from '@sveltejs/kit';
import { invalidateSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({ username: locals.user?.username ?? null });

export const actions: Actions = {
	default: ({ locals, cookies }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) invalidateSession(locals.db, token);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/signin');
	}
};
