import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { getApp, startApp } from './lib/server/app';
import { AccountError, ensureAdminFromEnvironment } from './lib/server/auth/accounts';
import { authenticateRequest, enforceAccess } from './lib/server/auth/request';
import { deleteExpiredSessions } from './lib/server/auth/sessions';
import { ConfigError } from './lib/server/config';
import { DatabaseOpenError, isDatabaseBusy } from './lib/server/db/client';
import { ensureDefaultProject } from './lib/server/db/projects';

export const init: ServerInit = () => {
	let db: ReturnType<typeof startApp>['db'];
	try {
		({ db } = startApp());
	} catch (error) {
		// A variable of the environment that cannot be used (NER_DTYPE=int4) or a database that cannot
		// be opened: the operator's to fix, in one line as the scripts say it (2 for the configuration, 1 for the database).
		if (!(error instanceof ConfigError || error instanceof DatabaseOpenError)) throw error;
		console.error(`[guillemet] error: ${error.message}`);
		process.exit(error instanceof ConfigError ? 2 : 1);
	}
	deleteExpiredSessions(db);
	// The first admin, from GUILLEMET_ADMIN_USERNAME / GUILLEMET_ADMIN_PASSWORD, only while none exists.
	let outcome: ReturnType<typeof ensureAdminFromEnvironment>;
	try {
		outcome = ensureAdminFromEnvironment(db);
	} catch (error) {
		// A bad name or password was refused before the database was opened (startApp); what is left is
		// a name another account has: the operator's to fix, said in one line, not a stack trace.
		if (!(error instanceof AccountError)) throw error;
		console.error(`[guillemet] error: GUILLEMET_ADMIN_USERNAME: ${error.inEnglish}`);
		process.exit(1);
	}
	if (outcome === 'created') console.log(`[guillemet] first start: admin "${process.env.GUILLEMET_ADMIN_USERNAME?.trim().toLowerCase()}" created from the environment`);
	if (outcome === 'not-configured') {
		console.warn('[guillemet] no admin can sign in yet: open the app in a browser on this machine to create one (/setup), run `npm run admin:create -- --username <name>`, or set GUILLEMET_ADMIN_USERNAME and GUILLEMET_ADMIN_PASSWORD');
	}
};

export const handle: Handle = async ({ event, resolve }) => {
	const { db } = getApp();
	event.locals.db = db;
	event.locals.project = ensureDefaultProject(db);
	// Every page, action and endpoint needs a valid session, except /signin and static assets;
	// roles are checked here by path, and again in each guarded route.
	authenticateRequest(event);
	enforceAccess(event);
	return resolve(event);
};

export const handleError: HandleServerError = ({ error, status }) => {
	// Another connection's long write (an import) held the lock past WEB_BUSY_TIMEOUT_MS: nothing
	// was written, and the same action a little later will go through. Not a bug: no stack.
	if (isDatabaseBusy(error)) {
		console.warn('[guillemet] a request gave up waiting for another write (an import?): database is busy');
		return { message: 'La base est occupée par une autre écriture (un import en cours, sans doute) : rien n’a été enregistré, réessayez dans quelques secondes.' };
	}
	// Logged here with its stack; the page only ever sees a generic message.
	if (status !== 404 && status !== 413) console.error('[guillemet]', error);
	if (status === 404) return { message: 'Page introuvable' };
	// A request body over BODY_SIZE_LIMIT (an upload sent without the page's own size check).
	if (status === 413) return { message: 'Envoi trop volumineux' };
	return { message: 'Erreur interne du serveur' };
};
