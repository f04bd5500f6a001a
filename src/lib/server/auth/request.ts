// The per-request half of authentication, called by hooks.server.ts: who is asking (from the
// session cookie, renewing it when the session slid forward), and whether they may reach the path.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { hasRole, isApiPath, isPublicPath, rolesForPath } from './access';
import { SESSION_COOKIE, sessionCookieOptions, validateSessionToken } from './sessions';

/** Sets `locals.user` from the session cookie (null without a valid session). Needs `locals.db`. */
export function authenticateRequest(event: RequestEvent): void {
	event.locals.user = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) return;
	const session = validateSessionToken(event.locals.db, token);
	if (!session) {
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		return;
	}
	event.locals.user = session.user;
	if (session.renewed) event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(event.url, session.expiresAt));
}

/**
 * Throws the answer for a request that may not go on: to the sign-in page without a session
 * (401 for JSON endpoints), 403 for a role that does not fit the path.
 */
export function enforceAccess(event: RequestEvent): void {
	const path = event.url.pathname;
	if (isPublicPath(path)) return;
	const user = event.locals.user;
	if (!user) {
		if (isApiPath(path)) error(401, 'Connexion requise');
		const back = event.request.method === 'GET' ? path + event.url.search : '/';
		redirect(303, back === '/' ? '/signin' : `/signin?redirectTo=${encodeURIComponent(back)}`);
	}
	const roles = rolesForPath(path);
	if (roles && !hasRole(user, roles)) error(403, 'Accès réservé');
}
