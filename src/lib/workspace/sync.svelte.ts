// Keeps the annotator's operations until the server has them. Each operation is queued and
// written to localStorage at once, sent in batches on top of the last confirmed revision, and
// dropped only when the server confirms. Offline or server errors keep the queue and retry with
// backoff (and at once when the browser is back online); a page reload picks the queue up again.
// Each live tab keeps its own queue, a duplicated tab included (claimTabId).
// A conflict (409) or a refused operation (422) hands the server's state to the workspace,
// which replays the queue on it. A 401 (session expired, password changed by the admin) is its
// own state: retrying cannot help until the annotator signs in again, which the panel offers.
import type { Operation } from '../domain/editing/operations';
import type { StateSnapshot } from '../domain/editing/state';

export type SyncStatus = 'saved' | 'saving' | 'offline' | 'error' | 'signed-out';

interface StoredQueue {
	documentId: number;
	owner: string;
	baseRevision: number;
	operations: Operation[];
	/** The first `count` operations were sent as save `saveId`: a retry resends them under it. */
	sealed: { saveId: string; count: number } | null;
	/** Refreshed while the page is open; a queue whose page is gone is adopted by the next one. */
	heartbeat: number;
	closed: boolean;
}

export interface RebaseRequest {
	snapshot: StateSnapshot;
	revision: number;
	message: string;
	operations: Operation[];
	/**
	 * The operation the server refused (422), by its place in `operations`: it is not replayed
	 * even when it applies here, since sending it again would only be refused again (the page's
	 * rules can lag behind the server's: a label an admin removed since the page was opened).
	 */
	refused?: number;
}

const PREFIX = 'guillemet:queue:';
const ORPHAN_AFTER_MS = 15_000;
const MAX_BATCH = 400;

function randomId(): string {
	return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

const TAB_KEY = 'guillemet:tab';
const TAB_CHANNEL = 'guillemet:tabs';
/** How long a page waits for a live tab to say it holds the id this page found in sessionStorage. */
const TAB_CLAIM_WAIT_MS = 300;

type TabMessage = { type: 'claim'; id: string; nonce: string } | { type: 'held'; id: string; to: string };

let tabClaim: Promise<string> | null = null;

/**
 * One id per live browser tab, kept across reloads of that tab (sessionStorage): a reloaded page
 * finds the queue its previous page left under it. A duplicated tab (« Dupliquer ») starts with a
 * copy of the original's sessionStorage, hence of its id; sharing it, both tabs would write their
 * queues to one entry, overwrite each other's unsaved work, and a reload of one would send the
 * other's. So a page asks the other tabs (BroadcastChannel) whether one of them holds the id it
 * found; a live one answers, and this page takes a fresh id. A reload asks too, but its previous
 * page is gone and nobody answers. Pages that load together with one id (two duplicates at once)
 * settle it by their nonces: the smaller keeps it.
 */
export function claimTabId(): Promise<string> {
	tabClaim ??= new Promise<string>((resolve) => {
		const copied = sessionStorage.getItem(TAB_KEY);
		let id = copied ?? randomId();
		const nonce = randomId();
		let settled = false;
		const settle = (held: boolean) => {
			if (settled) return;
			settled = true;
			if (held) id = randomId();
			sessionStorage.setItem(TAB_KEY, id);
			resolve(id);
		};
		if (typeof BroadcastChannel !== 'function') return settle(false);
		// Open for the page's life: this page answers for its id as long as it lives.
		const channel = new BroadcastChannel(TAB_CHANNEL);
		channel.onmessage = (event: MessageEvent<TabMessage>) => {
			const message = event.data;
			if (message?.type === 'claim' && message.id === id && (settled || message.nonce > nonce)) {
				channel.postMessage({ type: 'held', id, to: message.nonce } satisfies TabMessage);
			} else if (message?.type === 'held' && message.to === nonce) settle(true);
		};
		if (!copied) return settle(false);
		channel.postMessage({ type: 'claim', id, nonce } satisfies TabMessage);
		setTimeout(() => settle(false), TAB_CLAIM_WAIT_MS);
	});
	return tabClaim;
}

export class SyncQueue {
	status: SyncStatus = $state('saved');
	pendingCount = $state(0);
	lastError: string | null = $state(null);
	baseRevision: number;

	private operations: Operation[] = [];
	private sealed: StoredQueue['sealed'] = null;
	private storageKey: string | null = null;
	private inFlight = false;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
	private failures = 0;
	private disposed = false;
	/** Until start: operations are kept in memory only, and not sent (see claimStorage). */
	private started = false;

	constructor(
		private readonly documentId: number,
		private readonly owner: string,
		revision: number,
		/** Replays `operations` on the server's state; returns those that still applied. */
		private readonly rebase: (request: RebaseRequest) => Operation[],
		private readonly fetcher: typeof fetch = (...args) => fetch(...args),
		private readonly endpoint = `/api/documents/${documentId}/annotations`
	) {
		this.baseRevision = revision;
	}

	/**
	 * Names this page's storage entry after the tab's id (claimTabId), which may take a moment: until
	 * then the entry another tab may hold under a copied id is left alone. False when the page went
	 * meanwhile (the queue is disposed): nothing is to be adopted or started then.
	 */
	async claimStorage(): Promise<boolean> {
		// Work done while the claim is pending is kept too when the page goes meanwhile.
		window.addEventListener('pagehide', this.onPageHide);
		const tab = await claimTabId();
		if (this.disposed) return false;
		this.storageKey = `${PREFIX}${this.owner}:${this.documentId}:${tab}`;
		return true;
	}

	private get key(): string {
		// A page closed before its tab's id was settled keeps its work under a key of its own,
		// closed: the next page of the document adopts it as any orphan.
		this.storageKey ??= `${PREFIX}${this.owner}:${this.documentId}:${randomId()}`;
		return this.storageKey;
	}

	/**
	 * Queues left by earlier pages of this document that never reached the server: this tab's
	 * own before a reload, and those of tabs that were closed or stopped beating. They are
	 * removed from storage: this page now owns them.
	 */
	adoptOrphans(): { baseRevision: number; operations: Operation[]; sealed: StoredQueue['sealed'] }[] {
		const adopted: { baseRevision: number; operations: Operation[]; sealed: StoredQueue['sealed'] }[] = [];
		const prefix = `${PREFIX}${this.owner}:${this.documentId}:`;
		for (let i = localStorage.length - 1; i >= 0; i--) {
			const key = localStorage.key(i);
			if (!key || !key.startsWith(prefix)) continue;
			try {
				const stored = JSON.parse(localStorage.getItem(key) ?? 'null') as StoredQueue | null;
				if (!stored) continue;
				const live = !stored.closed && Date.now() - stored.heartbeat < ORPHAN_AFTER_MS;
				if (key !== this.key && live) continue;
				if (stored.operations.length) adopted.push(stored);
			} catch {
				// An unreadable entry is not ours to interpret; drop it below.
			}
			localStorage.removeItem(key);
		}
		return adopted;
	}

	start(initial: { operations: Operation[]; sealed: StoredQueue['sealed']; baseRevision: number } | null): void {
		this.started = true;
		if (initial) {
			// What was done on this page before it started comes after the earlier pages' work.
			this.operations = [...initial.operations, ...this.operations];
			this.sealed = initial.sealed;
			this.baseRevision = initial.baseRevision;
		}
		this.persist();
		this.heartbeatTimer = setInterval(() => this.operations.length && this.persist(), 5_000);
		window.addEventListener('online', this.onOnline);
		if (this.operations.length) void this.flush();
	}

	dispose(): void {
		this.disposed = true;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
		window.removeEventListener('online', this.onOnline);
		window.removeEventListener('pagehide', this.onPageHide);
		this.onPageHide();
	}

	enqueue(op: Operation): void {
		this.operations.push(op);
		this.persist();
		queueMicrotask(() => void this.flush());
	}

	/** Nothing to send or being sent; not before start, which may yet adopt an earlier page's work. */
	get idle(): boolean {
		return this.started && this.operations.length === 0 && !this.inFlight;
	}

	/** Resolves once everything queued so far is confirmed (or a save fails). */
	async settle(): Promise<boolean> {
		for (let round = 0; round < 50 && this.operations.length; round++) {
			await this.flush();
			if (this.status === 'offline' || this.status === 'error' || this.status === 'signed-out') return false;
		}
		return this.operations.length === 0;
	}

	private onOnline = () => void this.flush();
	private onPageHide = () => {
		if (this.operations.length) this.persist(true);
		else localStorage.removeItem(this.key);
	};

	private persist(closed = false): void {
		this.pendingCount = this.operations.length;
		if (!this.started && !closed) return;
		if (!this.operations.length && !closed) {
			localStorage.removeItem(this.key);
			return;
		}
		const stored: StoredQueue = {
			documentId: this.documentId,
			owner: this.owner,
			baseRevision: this.baseRevision,
			operations: this.operations,
			sealed: this.sealed,
			heartbeat: Date.now(),
			closed
		};
		try {
			localStorage.setItem(this.key, JSON.stringify(stored));
		} catch (error) {
			this.lastError = `impossible de garder les changements dans le navigateur (${(error as Error).message})`;
		}
	}

	private flushing: Promise<void> | null = null;

	flush(): Promise<void> {
		// start() sends what was queued before it, after the work it adopts.
		if (!this.started) return Promise.resolve();
		if (this.flushing) return this.flushing;
		this.flushing = this.flushOnce().finally(() => {
			this.flushing = null;
		});
		return this.flushing;
	}

	private async flushOnce(): Promise<void> {
		while (this.operations.length && !this.disposed) {
			if (this.retryTimer) {
				clearTimeout(this.retryTimer);
				this.retryTimer = null;
			}
			if (!this.sealed) {
				this.sealed = { saveId: randomId(), count: Math.min(this.operations.length, MAX_BATCH) };
				this.persist();
			}
			const batch = this.sealed;
			this.inFlight = true;
			this.status = 'saving';
			let response: Response;
			try {
				response = await this.fetcher(this.endpoint, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ saveId: batch.saveId, baseRevision: this.baseRevision, operations: this.operations.slice(0, batch.count) })
				});
			} catch {
				this.inFlight = false;
				this.scheduleRetry('offline', 'serveur injoignable');
				return;
			}
			this.inFlight = false;
			const body = (await response.json().catch(() => ({}))) as {
				revision?: number;
				snapshot?: StateSnapshot;
				message?: string;
				operationIndex?: number;
			};
			if (response.ok && typeof body.revision === 'number') {
				this.operations.splice(0, batch.count);
				this.sealed = null;
				this.baseRevision = body.revision;
				this.failures = 0;
				this.lastError = null;
				this.persist();
				continue;
			}
			if ((response.status === 409 || response.status === 422) && body.snapshot && typeof body.revision === 'number') {
				const replayed = this.rebase({
					snapshot: body.snapshot,
					revision: body.revision,
					message: body.message ?? 'conflit',
					operations: this.operations,
					refused: response.status === 422 && typeof body.operationIndex === 'number' && body.operationIndex < batch.count ? body.operationIndex : undefined
				});
				this.operations = replayed;
				this.sealed = null;
				this.baseRevision = body.revision;
				this.persist();
				continue;
			}
			// Still retried (slowly): signing in from another tab brings the session back to this one.
			if (response.status === 401) this.scheduleRetry('signed-out', 'session expirée');
			else this.scheduleRetry('error', body.message ?? `erreur ${response.status}`);
			return;
		}
		if (!this.operations.length) this.status = 'saved';
	}

	private scheduleRetry(status: SyncStatus, message: string): void {
		this.status = status;
		this.lastError = message;
		this.failures++;
		const delay = Math.min(30_000, 1_000 * 2 ** Math.min(this.failures - 1, 5));
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = setTimeout(() => void this.flush(), delay);
	}
}
