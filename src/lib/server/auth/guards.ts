// Guards for loads and actions: the first line of every protected route.
import { error, redirect } from '@sveltejs/kit';
import type { Role, User } from '../db/users';

export function requireUser(locals: App.Locals, url?: URL): User {
	if (locals.user) return locals.user;
	if (url) redirect(303, `/signin?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
	error(401, 'Connexion requise');
}

export function requireRole(locals: App.Locals, roles: readonly Role[]): User {
	const user = locals.user;
	if (!user) error(401, 'Connexion requise');
	if (!roles.includes(user.role)) error(403, 'Accès réservé');
	return user;
}
