// Accounts: creation with a hashed initial password, disabling, password changes, and the
// first admin (from the command line or from GUILLEMET_ADMIN_USERNAME/GUILLEMET_ADMIN_PASSWORD).
// There is never a default password.
import { ConfigError } from '../config';
import { inTransaction, type Db } from '../db/client';
import { projectMembers } from '../db/schema';
import { listProjects } from '../db/projects';
import { syncAssignments } from '../assignment';
import {
	countActiveAdmins,
	createUser,
	getUserById,
	getUserByUsername,
	setUserDisabled,
	setUserPasswordHash,
	setUserRole,
	type Role,
	type User
} from '../db/users';
import { describePasswordProblem, hashPassword, verifyPassword, type AccountProblem } from './password';
import { invalidateUserSessions } from './sessions';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;

/**
 * A refused account change. `message` is French, for the web pages; `inEnglish` says the same for
 * the command line (`admin:create`) and the server log (GUILLEMET_ADMIN_USERNAME at start).
 */
export class AccountError extends Error {
	override name = 'AccountError';
	readonly inEnglish: string;
	constructor(problem: AccountProblem) {
		super(problem.fr);
		this.inEnglish = problem.en;
	}
}

/** Why a username is not acceptable, or null. `gold` and machine-like names would collide with set owners. */
export function describeUsernameProblem(username: string): AccountProblem | null {
	if (!USERNAME_PATTERN.test(username)) {
		return {
			fr: 'un identifiant compte 2 à 32 caractères : minuscules, chiffres, « . », « _ » ou « - »',
			en: `the username "${username}" is invalid: 2 to 32 characters, lowercase letters, digits, ".", "_" or "-", starting with a letter or digit`
		};
	}
	if (username === 'gold' || username === 'local') return { fr: `l’identifiant « ${username} » est réservé`, en: `the username "${username}" is reserved` };
	return null;
}

/** Creates a user who can sign in, member of every project. Throws AccountError on invalid input. */
export function createAccount(db: Db, input: { username: string; displayName?: string; role: Role; password: string }): User {
	const username = input.username.trim().toLowerCase();
	const problem = describeUsernameProblem(username) ?? describePasswordProblem(input.password);
	if (problem) throw new AccountError(problem);
	const passwordHash = hashPassword(input.password);
	return inTransaction(db, () => {
		if (getUserByUsername(db, username)) throw new AccountError({ fr: `l’identifiant « ${username} » existe déjà`, en: `the username "${username}" is already taken` });
		const user = createUser(db, { username, displayName: input.displayName, role: input.role, passwordHash });
		for (const project of listProjects(db)) {
			db.insert(projectMembers).values({ projectId: project.id, userId: user.id }).onConflictDoNothing().run();
		}
		return user;
	});
}

/**
 * Sets a new password and ends the account's sessions, all but `keepSessionToken`'s: someone
 * changing their own password stays signed in where they are, and only there.
 */
export function changePassword(db: Db, userId: number, password: string, options: { keepSessionToken?: string } = {}): void {
	const problem = describePasswordProblem(password);
	if (problem) throw new AccountError(problem);
	if (!setUserPasswordHash(db, userId, hashPassword(password))) throw new AccountError({ fr: 'utilisateur introuvable', en: 'no such user' });
	invalidateUserSessions(db, userId, options.keepSessionToken);
}

/** A signed-in user's own change: the current password first, then as `changePassword`. */
export function changeOwnPassword(db: Db, input: { userId: number; currentPassword: string; newPassword: string; sessionToken: string }): void {
	const user = getUserById(db, input.userId);
	if (!user?.passwordHash || !verifyPassword(input.currentPassword, user.passwordHash)) throw new AccountError({ fr: 'le mot de passe actuel est incorrect', en: 'the current password is wrong' });
	if (input.newPassword === input.currentPassword) throw new AccountError({ fr: 'le nouveau mot de passe est identique à l’actuel', en: 'the new password is the current one' });
	changePassword(db, input.userId, input.newPassword, { keepSessionToken: input.sessionToken });
}

/** Disables (signing the user out everywhere) or re-enables an account; the last admin stays enabled. */
export function setAccountDisabled(db: Db, userId: number, disabled: boolean): User {
	return inTransaction(db, () => {
		const user = getUserById(db, userId);
		if (!user) throw new AccountError({ fr: 'utilisateur introuvable', en: 'no such user' });
		if (disabled && user.role === 'admin' && !user.disabled && countActiveAdmins(db) <= 1) {
			throw new AccountError({ fr: 'impossible de désactiver le dernier administrateur', en: 'the last administrator cannot be disabled' });
		}
		const updated = setUserDisabled(db, userId, disabled)!;
		if (disabled) invalidateUserSessions(db, userId);
		return updated;
	});
}

/**
 * Changes an account's role; the last admin who can sign in keeps the role. Assignment follows
 * at once, as when an account is disabled: only annotators count toward a document's quota, so
 * the documents of someone who stops annotating go to other annotators too (their sets stay, and
 * reviewers still see them), and a new annotator takes a share of what is missing. The role is
 * read from the database on every request, so open sessions follow.
 */
export function setAccountRole(db: Db, userId: number, role: Role): User {
	return inTransaction(db, () => {
		const user = getUserById(db, userId);
		if (!user) throw new AccountError({ fr: 'utilisateur introuvable', en: 'no such user' });
		if (user.role === role) return user;
		if (user.role === 'admin' && !user.disabled && user.passwordHash !== null && countActiveAdmins(db) <= 1) {
			throw new AccountError({ fr: 'impossible de retirer son rôle au dernier administrateur', en: 'the last administrator keeps the admin role' });
		}
		const updated = setUserRole(db, userId, role)!;
		for (const project of listProjects(db)) syncAssignments(db, project.id);
		return updated;
	});
}

export function hasActiveAdmin(db: Db): boolean {
	return countActiveAdmins(db) > 0;
}

/**
 * At start-up, before the database is opened: GUILLEMET_ADMIN_USERNAME or GUILLEMET_ADMIN_PASSWORD
 * set to a value `createAccount` would refuse is a bad setting, said before anything is created
 * (even when an admin exists already and the pair would not be used). The password is never echoed.
 */
export function checkAdminFromEnvironment(env: Record<string, string | undefined> = process.env): void {
	const username = env.GUILLEMET_ADMIN_USERNAME?.trim();
	const usernameProblem = username ? describeUsernameProblem(username.toLowerCase()) : null;
	if (usernameProblem) throw new ConfigError(`GUILLEMET_ADMIN_USERNAME: ${usernameProblem.en}`);
	const passwordProblem = env.GUILLEMET_ADMIN_PASSWORD ? describePasswordProblem(env.GUILLEMET_ADMIN_PASSWORD) : null;
	if (passwordProblem) throw new ConfigError(`GUILLEMET_ADMIN_PASSWORD: ${passwordProblem.en}`);
}

/**
 * At start-up: when no admin can sign in and both GUILLEMET_ADMIN_USERNAME and
 * GUILLEMET_ADMIN_PASSWORD are set, creates that admin. Returns what happened, for the log.
 */
export function ensureAdminFromEnvironment(db: Db, env: Record<string, string | undefined> = process.env): 'created' | 'exists' | 'not-configured' {
	if (hasActiveAdmin(db)) return 'exists';
	const username = env.GUILLEMET_ADMIN_USERNAME?.trim();
	const password = env.GUILLEMET_ADMIN_PASSWORD;
	if (!username || !password) return 'not-configured';
	createAccount(db, { username, role: 'admin', password });
	return 'created';
}

/**
 * The first administrator can be created in the browser only by someone on the server itself (a
 * loopback address: `npm start` listens on 127.0.0.1 by default), so a fresh install works without
 * a default password, and a server exposed before setup cannot be claimed from elsewhere.
 */
export function isLoopback(address: string): boolean {
	return address === '::1' || /^(::ffff:)?127\./.test(address);
}
