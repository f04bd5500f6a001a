#!/usr/bin/env node
// `npm test` runs browser tests in Debian's Chromium. On a fresh Debian machine where we are root,
// install it (apt, Debian's package); elsewhere say exactly what is missing instead of failing later.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (fs.existsSync(chromium)) process.exit(0);

const canInstall = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get') && !process.env.CHROMIUM_PATH;
if (!canInstall) {
	console.error(`[test] Chromium not found at ${chromium}: install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
	process.exit(1);
}
console.log('[test] Chromium is missing: installing Debian\'s chromium package (apt-get)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
	const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
	if (result.status !== 0) {
		console.error(`[test] apt-get ${args.join(' ')} failed; install chromium by hand.`);
		process.exit(1);
	}
}
