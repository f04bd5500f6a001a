// Password hashing with node:crypto scrypt. The stored string carries the algorithm, its cost
// parameters and the per-user random salt, so parameters can be raised later without breaking
// existing accounts: `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>`.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** A refusal said twice: in French for the web pages, in English for the command line and the server log. */
export interface AccountProblem {
	fr: string;
	en: string;
}

/** Why a password is not acceptable, or null when it is. */
export function describePasswordProblem(password: string): AccountProblem | null {
	if (password.length < PASSWORD_MIN_LENGTH) {
		return { fr: `le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères`, en: `the password must be at least ${PASSWORD_MIN_LENGTH} characters long (got ${password.length})` };
	}
	if (password.length > PASSWORD_MAX_LENGTH) {
		return { fr: `le mot de passe doit compter au plus ${PASSWORD_MAX_LENGTH} caractères`, en: `the password must be at most ${PASSWORD_MAX_LENGTH} characters long (got ${password.length})` };
	}
	return null;
}

export function hashPassword(password: string): string {
	const salt = randomBytes(SALT_LENGTH);
	const hash = scryptSync(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
	return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Compares in constant time; a malformed stored hash never verifies. */
export function verifyPassword(password: string, stored: string): boolean {
	const parts = stored.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
	const [n, r, p] = parts.slice(1, 4).map(Number);
	if (![n, r, p].every((v) => Number.isInteger(v) && v > 0)) return false;
	const salt = Buffer.from(parts[4], 'base64');
	const expected = Buffer.from(parts[5], 'base64');
	if (salt.length === 0 || expected.length === 0) return false;
	const actual = scryptSync(password.normalize('NFKC'), salt, expected.length, { N: n, r, p, maxmem: 256 * 1024 * 1024 });
	return timingSafeEqual(actual, expected);
}

/**
 * A hash of a random password, verified against when the username does not exist, so that a
 * failed sign-in costs the same time whether or not the account exists.
 */
let decoyHash: string | null = null;
export function getDecoyHash(): string {
	decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
	return decoyHash;
}
