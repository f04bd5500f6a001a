// Guards for loads and actions: the first line of every protected route.
import { error, redirect } from '@sveltejs/kit';
import { getDocument, type Document } from '../db/documents';
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

/** The project's document a route's `[id]` names; 404 for any other id (not a number, another project's). */
export function requireDocument(locals: App.Locals, id: string): Document {
	const documentId = Number(id);
	const document = Number.isInteger(documentId) && documentId > 0 ? getDocument(locals.db, locals.project.id, documentId) : undefined;
	if (!document) error(404, 'Document introuvable');
	return document;
}
