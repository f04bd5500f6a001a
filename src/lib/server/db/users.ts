// Users (annotators, reviewers, admins). Sign-in and sessions build on this module.
import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { users } from './schema';

export type User = typeof users.$inferSelect;
export type Role = User['role'];

/** Before accounts are set up the app works as this single local user. */
export const LOCAL_USERNAME = 'local';

export function getUserByUsername(db: Db, username: string): User | undefined {
	return db.select().from(users).where(eq(users.username, username)).get();
}

/** Finds a user by name or creates one that cannot sign in yet (e.g. an imported annotator). */
export function ensureUser(db: Db, username: string, role: Role = 'annotator'): User {
	const existing = getUserByUsername(db, username);
	if (existing) return existing;
	return db.insert(users).values({ username, displayName: username, role }).returning().get();
}

export const ROLES = ['admin', 'reviewer', 'annotator'] as const satisfies readonly Role[];

export function getUserById(db: Db, id: number): User | undefined {
	return db.select().from(users).where(eq(users.id, id)).get();
}

export function listUsers(db: Db): User[] {
	return db.select().from(users).orderBy(users.id).all();
}

export function createUser(db: Db, input: { username: string; displayName?: string; role: Role; passwordHash: string | null }): User {
	return db
		.insert(users)
		.values({ username: input.username, displayName: input.displayName?.trim() || input.username, role: input.role, passwordHash: input.passwordHash })
		.returning()
		.get();
}

export function setUserDisabled(db: Db, id: number, disabled: boolean): User | undefined {
	return db.update(users).set({ disabled }).where(eq(users.id, id)).returning().get();
}

export function setUserPasswordHash(db: Db, id: number, passwordHash: string): User | undefined {
	return db.update(users).set({ passwordHash }).where(eq(users.id, id)).returning().get();
}

export function setUserRole(db: Db, id: number, role: Role): User | undefined {
	return db.update(users).set({ role }).where(eq(users.id, id)).returning().get();
}

/** Admins who can actually sign in (a password, not disabled). */
export function countActiveAdmins(db: Db): number {
	const row = db.$client
		.prepare(`SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND password_hash IS NOT NULL`)
		.get() as { n: number };
	return row.n;
}
