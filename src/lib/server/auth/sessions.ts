// Server-side sessions. The cookie holds a random 32-byte token; the database stores only its
// SHA-256, so a copy of the database does not yield live sessions. Sessions last 30 days and are
// renewed (sliding) when used in their second half.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { sessions, users } from '../db/schema';
import type { User } from '../db/users';

export const SESSION_COOKIE = 'guillemet_session';
export const SESSION_DURATION_MS = 30 * 24 * 60 * 60 * 1000;
const RENEW_WHEN_LEFT_MS = SESSION_DURATION_MS / 2;

export interface SessionValidation {
	user: User;
	sessionId: string;
	expiresAt: Date;
	/** True when the expiry moved forward: the caller re-sets the cookie. */
	renewed: boolean;
}

export function hashSessionToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export function createSession(db: Db, userId: number, now = new Date()): { token: string; expiresAt: Date } {
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(now.getTime() + SESSION_DURATION_MS);
	db.insert(sessions).values({ id: hashSessionToken(token), userId, expiresAt: expiresAt.toISOString() }).run();
	return { token, expiresAt };
}

/** The user behind a cookie token, or null when the session is unknown, expired or the user disabled. */
export function validateSessionToken(db: Db, token: string, now = new Date()): SessionValidation | null {
	if (!token || token.length > 128) return null;
	const id = hashSessionToken(token);
	const row = db.select({ session: sessions, user: users }).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.id, id)).get();
	if (!row) return null;
	const expiresAt = new Date(row.session.expiresAt);
	if (expiresAt.getTime() <= now.getTime()) {
		db.delete(sessions).where(eq(sessions.id, id)).run();
		return null;
	}
	if (row.user.disabled) return null;
	if (expiresAt.getTime() - now.getTime() < RENEW_WHEN_LEFT_MS) {
		const renewedAt = new Date(now.getTime() + SESSION_DURATION_MS);
		db.update(sessions).set({ expiresAt: renewedAt.toISOString() }).where(eq(sessions.id, id)).run();
		return { user: row.user, sessionId: id, expiresAt: renewedAt, renewed: true };
	}
	return { user: row.user, sessionId: id, expiresAt, renewed: false };
}

export function invalidateSession(db: Db, token: string): void {
	db.delete(sessions).where(eq(sessions.id, hashSessionToken(token))).run();
}

/** Ends every session of a user, except the one of `keepToken` (the person changing their own password). */
export function invalidateUserSessions(db: Db, userId: number, keepToken?: string): void {
	const mine = eq(sessions.userId, userId);
	db.delete(sessions)
		.where(keepToken ? and(mine, ne(sessions.id, hashSessionToken(keepToken))) : mine)
		.run();
}

export function deleteExpiredSessions(db: Db, now = new Date()): number {
	return db.delete(sessions).where(lt(sessions.expiresAt, now.toISOString())).run().changes;
}

/** Cookie attributes: httpOnly, SameSite=Lax, Secure when the site is served over https. */
export function sessionCookieOptions(url: URL, expiresAt: Date) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: url.protocol === 'https:',
		expires: expiresAt
	};
}
