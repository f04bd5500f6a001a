#!/usr/bin/env node
// `npm start`: builds the app when the build is missing or older than the sources, then serves
// it with the embedded defaults (SQLite file data/guillemet.db, shipped model, sample articles).
// Plain JavaScript on purpose: it must run before anything else is set up.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildEntry = path.join(root, 'build', 'index.js');

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '3000';
// The Node server reads these itself, with a stack trace or silence on a bad value: check them here.
for (const [name, value, ok] of [
	['PORT', port, /^\d+$/.test(port) && Number(port) > 0 && Number(port) < 65536],
	['SHUTDOWN_TIMEOUT', process.env.SHUTDOWN_TIMEOUT, process.env.SHUTDOWN_TIMEOUT === undefined || /^\d+$/.test(process.env.SHUTDOWN_TIMEOUT)],
	['BODY_SIZE_LIMIT', process.env.BODY_SIZE_LIMIT, process.env.BODY_SIZE_LIMIT === undefined || /^(\d+[KMG]?|Infinity)$/i.test(process.env.BODY_SIZE_LIMIT)]
]) {
	if (!ok) {
		console.error(`[guillemet] ${name} is invalid: ${JSON.stringify(value)} (expected ${name === 'PORT' ? 'a port number, 1–65535' : name === 'SHUTDOWN_TIMEOUT' ? 'a number of seconds' : 'a size in bytes, e.g. 67108864 or 64M'})`);
		process.exit(2);
	}
}

// A port another program holds (or one below 1024 without root) would only fail once the server
// listens, with a stack trace: try it first, before building.
const listenError = await new Promise((resolve) => {
	const probe = net.createServer();
	probe.once('error', resolve);
	probe.listen({ host, port: Number(port) }, () => probe.close(() => resolve(null)));
});
if (listenError) {
	if (listenError.code === 'ENOTFOUND' || listenError.code === 'EADDRNOTAVAIL') {
		console.error(`[guillemet] HOST is invalid: ${JSON.stringify(host)} (expected an address of this machine, e.g. 127.0.0.1 or 0.0.0.0)`);
	} else {
		const reason = listenError.code === 'EADDRINUSE' ? 'it is already in use' : listenError.code === 'EACCES' ? 'this user may not listen on it' : listenError.message;
		console.error(`[guillemet] PORT ${port} cannot be used on ${host}: ${reason} (expected a free port, e.g. PORT=${Number(port) === 3000 ? 3001 : 3000})`);
	}
	process.exit(2);
}

function newestMtime(dir) {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		const time = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
		if (time > newest) newest = time;
	}
	return newest;
}

const sourcesChanged = () => {
	const built = fs.statSync(buildEntry).mtimeMs;
	return [path.join(root, 'src'), path.join(root, 'static')].some((dir) => newestMtime(dir) > built);
};

if (!fs.existsSync(buildEntry) || sourcesChanged()) {
	console.log('[guillemet] building the app…');
	const build = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (build.status !== 0) {
		console.error('[guillemet] build failed');
		process.exit(build.status ?? 1);
	}
}

const env = {
	...process.env,
	HOST: host,
	PORT: port,
	// adapter-node refuses form posts whose Origin it cannot check; default to where we listen.
	ORIGIN: process.env.ORIGIN ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
	// Uploads of article files are larger than adapter-node's 512 KB default.
	BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? String(64 * 1024 * 1024),
	// On Ctrl+C / SIGTERM adapter-node waits for open keep-alive connections (a browser tab holds
	// some) up to 30 s by default: stop within 3 s, so the port is free again at once.
	SHUTDOWN_TIMEOUT: process.env.SHUTDOWN_TIMEOUT ?? '3',
	GUILLEMET_ROOT: root
};
const server = spawn(process.execPath, [buildEntry], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));

// The server checks its settings, the database and the first-admin pair before it listens, and
// stops with one line on a bad one: "serving on" is said only once it answers on the port.
const probeHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
function answers() {
	return new Promise((resolve) => {
		const socket = net.connect({ host: probeHost, port: Number(port) });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}
while (server.exitCode === null && !(await answers())) await new Promise((resolve) => setTimeout(resolve, 100));
if (server.exitCode === null) console.log(`[guillemet] serving on ${env.ORIGIN} (database: ${process.env.DATABASE_PATH ?? 'data/guillemet.db'})`);
