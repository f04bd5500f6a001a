import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { getApp, startApp } from './lib/server/app';
import { ensureDefaultProject } from './lib/server/db/projects';
import { getUserByUsername, LOCAL_USERNAME } from './lib/server/db/users';

export const init: ServerInit = () => {
	startApp();
};

export const handle: Handle = async ({ event, resolve }) => {
	const { db } = getApp();
	event.locals.db = db;
	event.locals.project = ensureDefaultProject(db);
	// Until accounts exist every request acts as the single local user.
	event.locals.user = getUserByUsername(db, LOCAL_USERNAME) ?? null;
	return resolve(event);
};

export const handleError: HandleServerError = ({ error, status }) => {
	// Logged here with its stack; the page only ever sees a generic message.
	if (status !== 404) console.error('[guillemet]', error);
	return { message: status === 404 ? 'Page introuvable' : 'Erreur interne du serveur' };
};
