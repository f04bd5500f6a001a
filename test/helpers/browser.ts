// Starts the BUILT server (run `vite build` first; `npm test` does) on a free loopback port with
// its own temporary database, and launches Debian's Chromium through playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TestServer {
	url: string;
	databasePath: string;
	dir: string;
	stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
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
 * Starts `node build` with a fresh database. `prepare` may fill the database (with the real
 * migrations already applied) before the server opens it.
 */
export async function startTestServer(options: { env?: Record<string, string>; prepare?: (databasePath: string) => void | Promise<void> } = {}): Promise<TestServer> {
	const entry = path.join(ROOT, 'build', 'index.js');
	if (!fs.existsSync(entry)) throw new Error('build/index.js is missing: run `npx vite build` (npm test does) before browser tests');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-browser-'));
	const databasePath = path.join(dir, 'test.db');
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

export async function launchBrowser(): Promise<Browser> {
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
