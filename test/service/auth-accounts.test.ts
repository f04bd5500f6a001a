// Passwords, sessions, sign-in throttling and the first admin, on a temporary database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/password';
import {
	createSession,
	hashSessionToken,
	invalidateSession,
	SESSION_DURATION_MS,
	sessionCookieOptions,
	validateSessionToken
} from '../../src/lib/server/auth/sessions';
import { createRateLimiter } from '../../src/lib/server/auth/rate-limit';
import { clearSignInFailures, signIn } from '../../src/lib/server/auth/sign-in';
import { AccountError, changeOwnPassword, changePassword, createAccount, ensureAdminFromEnvironment, setAccountDisabled, setAccountRole } from '../../src/lib/server/auth/accounts';
import { sessions } from '../../src/lib/server/db/schema';

let temp: TempDatabase;
beforeEach(() => {
	temp = createTempDatabase();
});
afterEach(() => temp.close());

describe('passwords', () => {
	it('hashes with a per-user salt and verifies', () => {
		const first = hashPassword('correct horse battery');
		const second = hashPassword('correct horse battery');
		expect(first).not.toBe(second);
		expect(first).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
		expect(verifyPassword('correct horse battery', first)).toBe(true);
		expect(verifyPassword('correct horse batterY', first)).toBe(false);
		expect(verifyPassword('x', 'not-a-hash')).toBe(false);
	});
});

describe('accounts', () => {
	it('refuses short passwords, reserved and duplicate names', () => {
		expect(() => createAccount(temp.db, { username: 'alice', role: 'annotator', password: 'short' })).toThrow(AccountError);
		expect(() => createAccount(temp.db, { username: 'gold', role: 'annotator', password: 'long enough pw' })).toThrow(/réservé/);
		createAccount(temp.db, { username: 'alice', role: 'annotator', password: 'long enough pw' });
		expect(() => createAccount(temp.db, { username: 'Alice', role: 'annotator', password: 'long enough pw' })).toThrow(/existe déjà/);
	});

	it('creates the first admin from the environment once, never without a password', () => {
		expect(ensureAdminFromEnvironment(temp.db, { GUILLEMET_ADMIN_USERNAME: 'root' })).toBe('not-configured');
		expect(ensureAdminFromEnvironment(temp.db, { GUILLEMET_ADMIN_USERNAME: 'root', GUILLEMET_ADMIN_PASSWORD: 'a long admin secret' })).toBe('created');
		expect(ensureAdminFromEnvironment(temp.db, { GUILLEMET_ADMIN_USERNAME: 'other', GUILLEMET_ADMIN_PASSWORD: 'a long admin secret' })).toBe('exists');
		const limiter = createRateLimiter();
		expect(signIn(temp.db, { username: 'root', password: 'a long admin secret', ip: '1' }, limiter).outcome).toBe('signed-in');
	});

	it('changes roles, never the last admin\'s; open sessions carry the new role', () => {
		const root = createAccount(temp.db, { username: 'root', role: 'admin', password: 'a long admin secret' });
		expect(() => setAccountRole(temp.db, root.id, 'reviewer')).toThrow(/dernier administrateur/);
		const alice = createAccount(temp.db, { username: 'alice', role: 'annotator', password: 'long enough pw' });
		const { token } = createSession(temp.db, alice.id);
		expect(setAccountRole(temp.db, alice.id, 'admin').role).toBe('admin');
		expect(validateSessionToken(temp.db, token)?.user.role).toBe('admin');
		// With a second admin, the first may step down.
		expect(setAccountRole(temp.db, root.id, 'annotator').role).toBe('annotator');
		expect(() => setAccountRole(temp.db, alice.id, 'reviewer')).toThrow(AccountError);
		expect(() => setAccountRole(temp.db, 9999, 'reviewer')).toThrow(/introuvable/);
	});

	it('does not disable the last admin, and disabling ends sessions', () => {
		const admin = createAccount(temp.db, { username: 'root', role: 'admin', password: 'a long admin secret' });
		expect(() => setAccountDisabled(temp.db, admin.id, true)).toThrow(/dernier administrateur/);
		const alice = createAccount(temp.db, { username: 'alice', role: 'annotator', password: 'long enough pw' });
		const { token } = createSession(temp.db, alice.id);
		expect(validateSessionToken(temp.db, token)?.user.username).toBe('alice');
		setAccountDisabled(temp.db, alice.id, true);
		expect(validateSessionToken(temp.db, token)).toBeNull();
		expect(signIn(temp.db, { username: 'alice', password: 'long enough pw', ip: '1' }, createRateLimiter()).outcome).toBe('invalid');
	});

	it('changes one\'s own password only with the current one, and stays signed in where it was done', () => {
		const alice = createAccount(temp.db, { username: 'alice', role: 'annotator', password: 'set by the admin' });
		const here = createSession(temp.db, alice.id);
		const elsewhere = createSession(temp.db, alice.id);
		const change = (currentPassword: string, newPassword: string) => changeOwnPassword(temp.db, { userId: alice.id, currentPassword, newPassword, sessionToken: here.token });
		expect(() => change('not the password', 'my own secret phrase')).toThrow(/actuel est incorrect/);
		expect(() => change('set by the admin', 'set by the admin')).toThrow(/identique/);
		expect(() => change('set by the admin', 'short')).toThrow(/au moins 10/);
		expect(validateSessionToken(temp.db, elsewhere.token)).not.toBeNull();

		change('set by the admin', 'my own secret phrase');
		expect(validateSessionToken(temp.db, here.token)?.user.username).toBe('alice');
		expect(validateSessionToken(temp.db, elsewhere.token)).toBeNull();
		expect(signIn(temp.db, { username: 'alice', password: 'set by the admin', ip: '1' }, createRateLimiter()).outcome).toBe('invalid');
		expect(signIn(temp.db, { username: 'alice', password: 'my own secret phrase', ip: '1' }, createRateLimiter()).outcome).toBe('signed-in');

		// An admin's reset of someone else's password ends all their sessions.
		changePassword(temp.db, alice.id, 'reset by the admin');
		expect(validateSessionToken(temp.db, here.token)).toBeNull();
	});
});

describe('sessions', () => {
	it('stores only the SHA-256 of the token, expires, renews when used late, and signs out', () => {
		const alice = createAccount(temp.db, { username: 'alice', role: 'annotator', password: 'long enough pw' });
		const start = new Date('2026-01-01T00:00:00Z');
		const { token, expiresAt } = createSession(temp.db, alice.id, start);
		expect(Buffer.from(token, 'base64url')).toHaveLength(32);
		const stored = temp.db.select().from(sessions).all();
		expect(stored.map((s) => s.id)).toEqual([hashSessionToken(token)]);
		expect(stored[0].id).not.toContain(token);

		// Early in its life: valid, not renewed.
		const early = validateSessionToken(temp.db, token, new Date(start.getTime() + 1000))!;
		expect(early.renewed).toBe(false);
		expect(early.expiresAt.getTime()).toBe(expiresAt.getTime());
		// In its second half: renewed for a full period from now.
		const lateTime = new Date(start.getTime() + SESSION_DURATION_MS * 0.75);
		const late = validateSessionToken(temp.db, token, lateTime)!;
		expect(late.renewed).toBe(true);
		expect(late.expiresAt.getTime()).toBe(lateTime.getTime() + SESSION_DURATION_MS);
		// Past the renewed expiry: gone.
		expect(validateSessionToken(temp.db, token, new Date(late.expiresAt.getTime() + 1))).toBeNull();
		expect(temp.db.select().from(sessions).all()).toHaveLength(0);

		const second = createSession(temp.db, alice.id);
		invalidateSession(temp.db, second.token);
		expect(validateSessionToken(temp.db, second.token)).toBeNull();
		expect(validateSessionToken(temp.db, 'forged')).toBeNull();
	});

	it('sets httpOnly, SameSite=Lax cookies, Secure only over https', () => {
		const expires = new Date();
		expect(sessionCookieOptions(new URL('http://127.0.0.1:3000/'), expires)).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: false, path: '/' });
		expect(sessionCookieOptions(new URL('https://annot.example/'), expires).secure).toBe(true);
	});
});

describe('sign-in throttling', () => {
	it('refuses a username after 5 failures in 15 minutes, even with the right password', () => {
		createAccount(temp.db, { username: 'alice', role: 'annotator', password: 'long enough pw' });
		const limiter = createRateLimiter();
		const t0 = new Date('2026-01-01T00:00:00Z');
		for (let i = 0; i < 5; i++) {
			expect(signIn(temp.db, { username: 'alice', password: 'wrong password', ip: `10.0.0.${i}` }, limiter, t0).outcome).toBe('invalid');
		}
		const blocked = signIn(temp.db, { username: 'alice', password: 'long enough pw', ip: '10.0.1.1' }, limiter, t0);
		expect(blocked.outcome).toBe('throttled');
		expect(blocked.outcome === 'throttled' && blocked.retryAfterMs).toBe(15 * 60 * 1000);
		const later = new Date(t0.getTime() + 15 * 60 * 1000);
		expect(signIn(temp.db, { username: 'alice', password: 'long enough pw', ip: '10.0.1.1' }, limiter, later).outcome).toBe('signed-in');
	});

	it('lifts an account\'s lock when an admin gives it a new password', () => {
		createAccount(temp.db, { username: 'alice', role: 'annotator', password: 'long enough pw' });
		const limiter = createRateLimiter();
		for (let i = 0; i < 5; i++) signIn(temp.db, { username: 'alice', password: 'wrong password', ip: `10.0.0.${i}` }, limiter);
		expect(signIn(temp.db, { username: 'alice', password: 'long enough pw', ip: '10.0.1.1' }, limiter).outcome).toBe('throttled');
		clearSignInFailures(' Alice ', limiter);
		expect(signIn(temp.db, { username: 'alice', password: 'long enough pw', ip: '10.0.1.1' }, limiter).outcome).toBe('signed-in');
	});

	it('lifts the lock of the IP the failures came from too: five typos from one\'s own machine', () => {
		createAccount(temp.db, { username: 'alice', role: 'annotator', password: 'long enough pw' });
		createAccount(temp.db, { username: 'bob', role: 'annotator', password: 'long enough pw' });
		const limiter = createRateLimiter();
		for (let i = 0; i < 5; i++) signIn(temp.db, { username: 'alice', password: 'wrong password', ip: '192.0.2.7' }, limiter);
		expect(signIn(temp.db, { username: 'alice', password: 'long enough pw', ip: '192.0.2.7' }, limiter).outcome).toBe('throttled');
		clearSignInFailures('alice', limiter);
		expect(signIn(temp.db, { username: 'alice', password: 'long enough pw', ip: '192.0.2.7' }, limiter).outcome).toBe('signed-in');
		// Another account's failures on that IP still count: lifting one lock is not a way around the IP limit.
		for (let i = 0; i < 19; i++) signIn(temp.db, { username: `x${i}`, password: 'nope nope nope', ip: '192.0.2.7' }, limiter);
		signIn(temp.db, { username: 'bob', password: 'wrong password', ip: '192.0.2.7' }, limiter);
		clearSignInFailures('alice', limiter);
		expect(signIn(temp.db, { username: 'alice', password: 'long enough pw', ip: '192.0.2.7' }, limiter).outcome).toBe('throttled');
	});

	it('refuses an IP after 20 failures across usernames, without revealing which exist', () => {
		createAccount(temp.db, { username: 'bob', role: 'annotator', password: 'long enough pw' });
		const limiter = createRateLimiter();
		for (let i = 0; i < 20; i++) {
			const name = i === 7 ? 'bob' : `x${i}`;
			expect(signIn(temp.db, { username: name, password: 'nope nope nope', ip: '203.0.113.9' }, limiter).outcome).toBe('invalid');
		}
		expect(signIn(temp.db, { username: 'bob', password: 'long enough pw', ip: '203.0.113.9' }, limiter).outcome).toBe('throttled');
		expect(signIn(temp.db, { username: 'bob', password: 'long enough pw', ip: '198.51.100.1' }, limiter).outcome).toBe('signed-in');
	});

	it('does not lock out a newsroom behind one address because five colleagues each mistyped once', () => {
		createAccount(temp.db, { username: 'bob', role: 'annotator', password: 'long enough pw' });
		const limiter = createRateLimiter();
		for (const name of ['ana', 'carla', 'dan', 'eve', 'fatou']) signIn(temp.db, { username: name, password: 'typo typo typo', ip: '203.0.113.9' }, limiter);
		expect(signIn(temp.db, { username: 'bob', password: 'long enough pw', ip: '203.0.113.9' }, limiter).outcome).toBe('signed-in');
	});
});
