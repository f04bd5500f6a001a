// Sign-in: rate limit per username and per client IP, then a constant-time password check.
// The answer never says whether the username exists.
import type { Db } from '../db/client';
import { getUserByUsername, type User } from '../db/users';
import { getDecoyHash, verifyPassword } from './password';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { createSession } from './sessions';

export type SignInResult =
	| { outcome: 'signed-in'; user: User; token: string; expiresAt: Date }
	| { outcome: 'invalid' }
	| { outcome: 'throttled'; retryAfterMs: number };

/** The web app's limiter (one per process); tests build their own. */
export const signInLimiter: RateLimiter = createRateLimiter();

/**
 * Lifts an account's sign-in lock (an admin has just given it a new password, or it signed in):
 * its own count, and its failures in the counts of the IPs they came from.
 */
export function clearSignInFailures(username: string, limiter: RateLimiter = signInLimiter): void {
	const name = username.trim().toLowerCase();
	limiter.reset(`user:${name}`);
	limiter.forgetFailuresOf(name);
}

export function signIn(
	db: Db,
	input: { username: string; password: string; ip: string },
	limiter: RateLimiter = signInLimiter,
	now = new Date()
): SignInResult {
	const username = input.username.trim().toLowerCase();
	const keys = [`user:${username}`, `ip:${input.ip}`];
	const wait = Math.max(...keys.map((key) => limiter.retryAfter(key, now.getTime())));
	if (wait > 0) return { outcome: 'throttled', retryAfterMs: wait };
	const user = username ? getUserByUsername(db, username) : undefined;
	const usable = user && !user.disabled && user.passwordHash;
	// Verify against a decoy when the account is missing, so timing does not reveal it.
	const matches = verifyPassword(input.password, usable ? user.passwordHash! : getDecoyHash());
	if (!usable || !matches) {
		for (const key of keys) limiter.recordFailure(key, now.getTime(), username);
		return { outcome: 'invalid' };
	}
	clearSignInFailures(username, limiter);
	const session = createSession(db, user.id, now);
	return { outcome: 'signed-in', user, ...session };
}
