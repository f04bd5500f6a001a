// Sign-in throttling, in memory: after 5 failed attempts within 15 minutes for a username, or 20
// for a client IP (`ip:` keys), further attempts are refused until the oldest failure leaves the
// window. An address gets more room than an account: a newsroom behind one shared address must not
// be locked out together because five colleagues each mistyped once, while a spray of guesses
// across accounts from one address is still stopped.
// Memory is enough for one process (the deployment this app targets); restarting the server
// clears it, and several processes would each keep their own counts.
// A failure remembers the username it was for, so that lifting one account's lock (a new password
// from an admin, or a successful sign-in) also takes its failures off the client IP's count: five
// typos from one's own machine lock the IP as well, and the lock must go with them.
export interface RateLimiterOptions {
	maxFailures: number;
	/** For `ip:` keys; `maxFailures` when unset. */
	maxFailuresPerAddress?: number;
	windowMs: number;
}

export const SIGN_IN_LIMITS: RateLimiterOptions = { maxFailures: 5, maxFailuresPerAddress: 20, windowMs: 15 * 60 * 1000 };

export interface RateLimiter {
	/** Milliseconds until `key` may try again; 0 when it may try now. */
	retryAfter(key: string, now?: number): number;
	/** `of`: the username tried, for `forgetFailuresOf`. */
	recordFailure(key: string, now?: number, of?: string): void;
	reset(key: string): void;
	/** Drops the failures recorded `of` this username, under every key. */
	forgetFailuresOf(of: string): void;
}

interface Failure {
	time: number;
	of?: string;
}

export function createRateLimiter(options: RateLimiterOptions = SIGN_IN_LIMITS): RateLimiter {
	const failures = new Map<string, Failure[]>();
	const recent = (key: string, now: number): Failure[] => {
		const kept = (failures.get(key) ?? []).filter((failure) => now - failure.time < options.windowMs);
		if (kept.length) failures.set(key, kept);
		else failures.delete(key);
		return kept;
	};
	return {
		retryAfter(key, now = Date.now()) {
			const times = recent(key, now);
			const limit = key.startsWith('ip:') ? (options.maxFailuresPerAddress ?? options.maxFailures) : options.maxFailures;
			if (times.length < limit) return 0;
			return times[times.length - limit].time + options.windowMs - now;
		},
		recordFailure(key, now = Date.now(), of) {
			const times = recent(key, now);
			times.push({ time: now, of });
			failures.set(key, times);
			// Bound memory under a spray of usernames: forget the oldest keys.
			if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
		},
		reset(key) {
			failures.delete(key);
		},
		forgetFailuresOf(of) {
			for (const [key, list] of failures) {
				const kept = list.filter((failure) => failure.of !== of);
				if (kept.length) failures.set(key, kept);
				else failures.delete(key);
			}
		}
	};
}
