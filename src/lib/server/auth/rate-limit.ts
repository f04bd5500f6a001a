// Sign-in throttling, in memory: after 5 failed attempts within 15 minutes for a username, or
// for a client IP, further attempts are refused until the oldest failure leaves the window.
// Memory is enough for one process (the deployment this app targets); restarting the server
// clears it, and several processes would each keep their own counts.
export interface RateLimiterOptions {
	maxFailures: number;
	windowMs: number;
}

export const SIGN_IN_LIMITS: RateLimiterOptions = { maxFailures: 5, windowMs: 15 * 60 * 1000 };

export interface RateLimiter {
	/** Milliseconds until `key` may try again; 0 when it may try now. */
	retryAfter(key: string, now?: number): number;
	recordFailure(key: string, now?: number): void;
	reset(key: string): void;
}

export function createRateLimiter(options: RateLimiterOptions = SIGN_IN_LIMITS): RateLimiter {
	const failures = new Map<string, number[]>();
	const recent = (key: string, now: number): number[] => {
		const kept = (failures.get(key) ?? []).filter((time) => now - time < options.windowMs);
		if (kept.length) failures.set(key, kept);
		else failures.delete(key);
		return kept;
	};
	return {
		retryAfter(key, now = Date.now()) {
			const times = recent(key, now);
			if (times.length < options.maxFailures) return 0;
			return times[times.length - options.maxFailures] + options.windowMs - now;
		},
		recordFailure(key, now = Date.now()) {
			const times = recent(key, now);
			times.push(now);
			failures.set(key, times);
			// Bound memory under a spray of usernames: forget the oldest keys.
			if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
		},
		reset(key) {
			failures.delete(key);
		}
	};
}
