import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guards';
import { AccountError, changePassword, createAccount, setAccountDisabled, setAccountRole } from '$lib/server/auth/accounts';
import { listAnnotatorProgress, listDocumentProgress, rebalanceAssignments, setAnnotatorsPerDocument, type RebalanceReport } from '$lib/server/assignment';
import { getUserById, listUsers, ROLES } from '$lib/server/db/users';
import { clearSignInFailures } from '$lib/server/auth/sign-in';
import { getProjectBySlug } from '$lib/server/db/projects';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

const ADMIN = ['admin'] as const;
const ROLE_NAMES = { admin: 'administrateur', reviewer: 'relecteur', annotator: 'annotateur' } as const;

export const load: PageServerLoad = ({ locals, url }) => {
	requireRole(locals, ADMIN);
	const after = z.coerce.number().int().nonnegative().catch(0).parse(url.searchParams.get('after') ?? 0);
	const documents = listDocumentProgress(locals.db, locals.project.id, { afterId: after, limit: 100 });
	return {
		users: listUsers(locals.db)
			.filter((user) => user.passwordHash !== null || user.role !== 'admin')
			.map((user) => ({
				id: user.id,
				username: user.username,
				displayName: user.displayName,
				role: user.role,
				disabled: user.disabled,
				canSignIn: user.passwordHash !== null,
				createdAt: user.createdAt
			})),
		// Read again: an action may have changed it after the hook loaded locals.project.
		annotatorsPerDocument: getProjectBySlug(locals.db, locals.project.slug).annotatorsPerDocument,
		annotators: listAnnotatorProgress(locals.db, locals.project.id),
		documents,
		nextAfter: documents.length === 100 ? documents[documents.length - 1].documentId : null,
		roles: ROLES,
		selfId: locals.user!.id
	};
};

const createSchema = z.object({
	username: z.string().trim().min(1).max(64),
	displayName: z.string().trim().max(100).optional(),
	role: z.enum(ROLES),
	password: z.string().max(1024)
});
const userIdSchema = z.object({ userId: z.coerce.number().int().positive() });

/** A refused creation's fields as typed (the password aside), put back in the form. */
interface TypedAccount {
	username: string;
	displayName: string;
	role: string;
}

/** What did not happen, as the first words of a refusal: `Compte non créé : l’identifiant … existe déjà.` */
const REFUSED: Record<string, string> = {
	createUser: 'Compte non créé',
	setDisabled: 'Compte inchangé',
	setRole: 'Rôle inchangé',
	resetPassword: 'Mot de passe inchangé'
};

/**
 * « 4 documents réattribués : alice → bruno 2, alice → chloe 2. 2 attributions en trop retirées :
 * ann 2. », or nothing when nothing changed.
 */
function describeMoves(report: RebalanceReport): string {
	const releasedCount = report.released.reduce((sum, r) => sum + r.count, 0);
	const plural = report.moved > 1 ? 's' : '';
	const moved = report.moved ? ` ${report.moved} document${plural} réattribué${plural} : ${report.reassignments.map((r) => `${r.from} → ${r.to} ${r.count}`).join(', ')}.` : '';
	const releasedPlural = releasedCount > 1 ? 's' : '';
	const released = releasedCount
		? ` ${releasedCount} attribution${releasedPlural} en trop retirée${releasedPlural} (document${releasedPlural} pas encore commencé${releasedPlural}) : ${report.released.map((r) => `${r.username} ${r.count}`).join(', ')}.`
		: '';
	return `${moved}${released}`;
}

function accountFailure(action: keyof typeof REFUSED, error: unknown, typed?: TypedAccount) {
	if (error instanceof AccountError) return fail(400, { ok: false, action, message: `${REFUSED[action]} : ${error.message}.`, typed });
	throw error;
}

export const actions: Actions = {
	createUser: async ({ locals, request }) => {
		requireRole(locals, ADMIN);
		const raw = Object.fromEntries(await request.formData());
		const parsed = createSchema.safeParse(raw);
		// A refused creation gives back what was typed (the password aside), to correct rather than retype.
		const typed: TypedAccount = { username: String(raw.username ?? ''), displayName: String(raw.displayName ?? ''), role: String(raw.role ?? 'annotator') };
		if (!parsed.success) return fail(400, { ok: false, action: 'createUser', message: 'Formulaire incomplet : identifiant, rôle et mot de passe initial.', typed });
		try {
			const user = createAccount(locals.db, parsed.data);
			// A new annotator takes a share of the work nobody has started yet.
			const moves = user.role === 'annotator' ? describeMoves(rebalanceAssignments(locals.db, locals.project.id)) : '';
			return { ok: true, action: 'createUser', message: `Compte « ${user.username} » créé.${moves}` };
		} catch (error) {
			return accountFailure('createUser', error, typed);
		}
	},
	setDisabled: async ({ locals, request }) => {
		const admin = requireRole(locals, ADMIN);
		const form = Object.fromEntries(await request.formData());
		const parsed = userIdSchema.extend({ disabled: z.enum(['0', '1']) }).safeParse(form);
		if (!parsed.success) return fail(400, { ok: false, action: 'setDisabled', message: 'Requête invalide.' });
		if (parsed.data.userId === admin.id && parsed.data.disabled === '1') return fail(400, { ok: false, action: 'setDisabled', message: 'Vous ne pouvez pas désactiver votre propre compte.' });
		try {
			const user = setAccountDisabled(locals.db, parsed.data.userId, parsed.data.disabled === '1');
			const moves = user.role === 'annotator' ? describeMoves(rebalanceAssignments(locals.db, locals.project.id)) : '';
			return { ok: true, action: 'setDisabled', message: `Compte « ${user.username} » ${user.disabled ? 'désactivé' : 'réactivé'}.${moves}` };
		} catch (error) {
			return accountFailure('setDisabled', error);
		}
	},
	setRole: async ({ locals, request }) => {
		const admin = requireRole(locals, ADMIN);
		const parsed = userIdSchema.extend({ role: z.enum(ROLES) }).safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { ok: false, action: 'setRole', message: 'Requête invalide : rôle admin, reviewer ou annotator.' });
		// An admin who demoted themselves would lose this page in the middle of the change.
		if (parsed.data.userId === admin.id) return fail(400, { ok: false, action: 'setRole', message: 'Vous ne pouvez pas changer votre propre rôle.' });
		try {
			const user = setAccountRole(locals.db, parsed.data.userId, parsed.data.role);
			// Into or out of the annotators: the queues are evened out again.
			const moves = describeMoves(rebalanceAssignments(locals.db, locals.project.id));
			return { ok: true, action: 'setRole', message: `Compte « ${user.username} » : rôle ${ROLE_NAMES[user.role]}.${moves}` };
		} catch (error) {
			return accountFailure('setRole', error);
		}
	},
	resetPassword: async ({ locals, request, cookies }) => {
		const admin = requireRole(locals, ADMIN);
		const parsed = userIdSchema.extend({ password: z.string().max(1024) }).safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { ok: false, action: 'resetPassword', message: 'Requête invalide.' });
		// Their own row: the admin stays signed in here (their other sessions close, as anyone's would).
		const own = parsed.data.userId === admin.id;
		try {
			changePassword(locals.db, parsed.data.userId, parsed.data.password, { keepSessionToken: own ? cookies.get(SESSION_COOKIE) : undefined });
			// Someone locked out by failed attempts (theirs or another's) can sign in with the new password at once.
			const user = getUserById(locals.db, parsed.data.userId);
			if (user) clearSignInFailures(user.username);
			return {
				ok: true,
				action: 'resetPassword',
				message: own ? 'Votre mot de passe est changé ; vos autres sessions sont fermées.' : 'Mot de passe changé ; les sessions de ce compte sont fermées et son éventuel blocage de connexion est levé.'
			};
		} catch (error) {
			return accountFailure('resetPassword', error);
		}
	},
	setAnnotatorsPerDocument: async ({ locals, request }) => {
		requireRole(locals, ADMIN);
		const parsed = z.object({ count: z.coerce.number().int().min(1).max(20) }).safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { ok: false, action: 'setAnnotatorsPerDocument', message: 'Indiquez un nombre d’annotateurs entre 1 et 20.' });
		const report = setAnnotatorsPerDocument(locals.db, locals.project.id, parsed.data.count);
		return { ok: true, action: 'setAnnotatorsPerDocument', message: `Chaque document est attribué à ${parsed.data.count} annotateur(s).${describeMoves(report)}` };
	},
	rebalance: async ({ locals }) => {
		requireRole(locals, ADMIN);
		const report = rebalanceAssignments(locals.db, locals.project.id);
		if (report.moved > 0 || report.released.length > 0) return { ok: true, action: 'rebalance', message: describeMoves(report).trim() };
		return {
			ok: true,
			action: 'rebalance',
			message: report.unbalanced
				? 'Aucun document réattribué : les documents qui équilibreraient les files sont déjà commencés, ou déjà dans la file des moins chargés.'
				: 'Les files sont déjà équilibrées : aucun document réattribué.'
		};
	}
};
