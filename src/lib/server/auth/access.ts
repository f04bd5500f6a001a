// Who may reach which path. The hook applies it to every request (pages, form actions, API), and
// each of the guarded routes checks again in its own load and actions.
import type { Role } from '../db/users';

/** Paths anyone may reach without a session. */
export function isPublicPath(pathname: string): boolean {
	return pathname === '/signin' || pathname === '/setup' || pathname.startsWith('/_app/') || pathname === '/favicon.ico' || pathname === '/favicon.svg' || pathname === '/favicon.png' || pathname === '/robots.txt';
}

const RULES: { prefix: string; roles: readonly Role[] }[] = [
	{ prefix: '/admin', roles: ['admin'] },
	{ prefix: '/review', roles: ['admin', 'reviewer'] },
	{ prefix: '/agreement', roles: ['admin', 'reviewer'] },
	// Exports and imports touch every annotator's sets or the whole corpus.
	{ prefix: '/export', roles: ['admin', 'reviewer'] },
	{ prefix: '/import', roles: ['admin', 'reviewer'] },
	{ prefix: '/api/admin', roles: ['admin'] },
	{ prefix: '/api/review', roles: ['admin', 'reviewer'] },
	{ prefix: '/api/agreement', roles: ['admin', 'reviewer'] },
	{ prefix: '/api/export', roles: ['admin', 'reviewer'] },
	{ prefix: '/api/import', roles: ['admin', 'reviewer'] }
];

/** Roles allowed on a path, or null when any signed-in user may reach it. */
export function rolesForPath(pathname: string): readonly Role[] | null {
	for (const rule of RULES) {
		if (pathname === rule.prefix || pathname.startsWith(`${rule.prefix}/`)) return rule.roles;
	}
	return null;
}

/** JSON endpoints answer 401/403 instead of redirecting to the sign-in page. */
export function isApiPath(pathname: string): boolean {
	return pathname === '/api' || pathname.startsWith('/api/');
}

export function hasRole(user: { role: Role } | null | undefined, roles: readonly Role[]): boolean {
	return !!user && roles.includes(user.role);
}
