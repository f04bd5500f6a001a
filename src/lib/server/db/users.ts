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
