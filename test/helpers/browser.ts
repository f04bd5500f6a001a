// Starts the BUILT server (run `vite build` first; `npm test` does) on a free loopback port with
// its own temporary database, and launches Debian's Chromium through playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { openDatabase } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { createAccount } from '../../src/lib/server/auth/accounts';
import type { Role } from '../../src/lib/server/db/users';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TestUser {
	username: string;
	password: string;
	role: Role;
}

/** Every test server has this admin, created at start from GUILLEMET_ADMIN_USERNAME/PASSWORD. */
export const TEST_ADMIN: TestUser = { username: 'admin', password: 'admin-password-for-tests', role: 'admin' };

export interface TestServer {
	url: string;
	databasePath: string;
	dir: string;
	stop: () => Promise<void>;
}

/** A loopback port nobody listens on now. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/**
 * Starts `node build` with a fresh database. `users` are created first (the admin TEST_ADMIN is
 * created by the server itself, from the environment); `prepare` may then fill the database (with
 * the real migrations already applied) before the server opens it.
 */
export async function startTestServer(
	options: { env?: Record<string, string>; prepare?: (databasePath: string) => void | Promise<void>; users?: readonly TestUser[] } = {}
): Promise<TestServer> {
	const entry = path.join(ROOT, 'build', 'index.js');
	if (!fs.existsSync(entry)) throw new Error('build/index.js is missing: run `npx vite build` (npm test does) before browser tests');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-browser-'));
	const databasePath = path.join(dir, 'test.db');
	// Users first, so that `prepare` can give them work.
	if (options.users?.length) {
		const db = openDatabase(databasePath);
		ensureDefaultProject(db);
		for (const user of options.users) createAccount(db, user);
		db.$client.close();
	}
	if (options.prepare) await options.prepare(databasePath);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child: ChildProcess = spawn(process.execPath, [entry], {
		cwd: ROOT,
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: url,
			BODY_SIZE_LIMIT: String(64 * 1024 * 1024),
			DATABASE_PATH: databasePath,
			GUILLEMET_ROOT: ROOT,
			GUILLEMET_ADMIN_USERNAME: TEST_ADMIN.username,
			GUILLEMET_ADMIN_PASSWORD: TEST_ADMIN.password,
			// The first start's pre-annotation job would race the tests' own; first-start.test turns it on.
			SAMPLES_PREANNOTATE: '0',
			...options.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const stop = async () => {
		if (child.exitCode === null) {
			child.kill('SIGTERM');
			await new Promise((resolve) => {
				const timer = setTimeout(() => {
					child.kill('SIGKILL');
					resolve(null);
				}, 3000);
				child.once('exit', () => {
					clearTimeout(timer);
					resolve(null);
				});
			});
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) {
			await stop();
			throw new Error(`the server exited (${child.exitCode}) before listening:\n${output}`);
		}
		try {
			const response = await fetch(url, { redirect: 'manual' });
			if (response.status < 500) return { url, databasePath, dir, stop };
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	await stop();
	throw new Error(`the server did not listen within 20 s:\n${output}`);
}

/** Signs in through the form, as a user would; resolves once the app has redirected away from /signin. */
export async function signIn(page: Page, serverUrl: string, username: string, password: string): Promise<void> {
	await page.goto(`${serverUrl}/signin`);
	await page.fill('input[name="username"]', username);
	await page.fill('input[name="password"]', password);
	await Promise.all([page.waitForURL((url) => url.pathname !== '/signin'), page.click('main button[type="submit"]')]);
}

/**
 * Launches Chromium. With `signInAs`, signs in once and gives every later `newPage()` /
 * `newContext()` that session's cookies, so tests written before accounts existed run unchanged.
 */
export async function launchBrowser(options: { signInAs?: { url: string; username: string; password: string } } = {}): Promise<Browser> {
	const browser = await launchChromium();
	if (!options.signInAs) return browser;
	const { url, username, password } = options.signInAs;
	const context = await browser.newContext();
	const page = await context.newPage();
	try {
		await signIn(page, url, username, password);
		const storageState = await context.storageState();
		const newContext = browser.newContext.bind(browser);
		browser.newContext = (contextOptions: BrowserContextOptions = {}) => newContext({ storageState, ...contextOptions });
		browser.newPage = async (contextOptions: BrowserContextOptions = {}) => {
			const signedIn = await browser.newContext(contextOptions);
			const newPage = await signedIn.newPage();
			// The context goes with its page; closing it may race the browser's own close at the end of a file.
			newPage.once('close', () => signedIn.close().catch(() => undefined));
			return newPage;
		};
	} catch (error) {
		await browser.close();
		throw error;
	} finally {
		await context.close();
	}
	return browser;
}

async function launchChromium(): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM_PATH)) {
		throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
	}
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}
