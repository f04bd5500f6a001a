// `npm start` (scripts/start.js) against the built app: every setting is checked before it says it
// is serving. A bad one stops it with one line naming the variable, its value (never a password's)
// and what is expected, before the database file is created. No browser: the build is what it needs.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/browser';
import { ROOT } from '../helpers/run-script';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-start-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const database = path.join(dir, 'data', 'guillemet.db');
const baseEnv = () => ({
	...process.env,
	DATABASE_PATH: database,
	GUILLEMET_ADMIN_USERNAME: 'root',
	GUILLEMET_ADMIN_PASSWORD: 'a long admin secret',
	SAMPLES_ON_FIRST_START: '0'
});

describe('npm start with a setting it cannot use', () => {
	it.each([
		[{ NER_MODEL: 'guillemet-ner' }, /^\[guillemet\] error: NER_MODEL "guillemet-ner" is not a model folder in .*models \(no .*\); the models there: .*guillemet-ner-fr.*\n$/],
		[{ NER_STYLE: 'hipe' }, /^\[guillemet\] error: NER_STYLE "hipe": the model "guillemet-ner-fr" has no annotation styles; leave NER_STYLE unset\n$/],
		[{ NER_DTYPE: 'int4' }, /^\[guillemet\] error: NER_DTYPE is invalid: .*\n$/],
		[{ GUILLEMET_ADMIN_PASSWORD: 'court' }, /^\[guillemet\] error: GUILLEMET_ADMIN_PASSWORD: the password must be at least 10 characters long \(got 5\)\n$/],
		[{ GUILLEMET_ADMIN_USERNAME: 'Marie Curie' }, /^\[guillemet\] error: GUILLEMET_ADMIN_USERNAME: the username "marie curie" is invalid: 2 to 32 characters, .*\n$/]
	])('%j: one line, exit 2, no "serving on", no database', async (env, message) => {
		const result = spawnSync(process.execPath, ['scripts/start.js'], { cwd: ROOT, env: { ...baseEnv(), PORT: String(await freePort()), ...env }, encoding: 'utf8', timeout: 30_000 });
		expect(result.stderr).toMatch(message);
		expect(result.stdout).not.toContain('serving on');
		expect(result.status).toBe(2);
		expect(fs.existsSync(database)).toBe(false);
	});

	it('a port another program holds: one line, before building or opening anything', async () => {
		const holder = net.createServer();
		const port = await new Promise<number>((resolve) => holder.listen({ host: '127.0.0.1', port: 0 }, () => resolve((holder.address() as net.AddressInfo).port)));
		try {
			const result = spawnSync(process.execPath, ['scripts/start.js'], { cwd: ROOT, env: { ...baseEnv(), PORT: String(port) }, encoding: 'utf8', timeout: 30_000 });
			expect(result.stderr).toBe(`[guillemet] PORT ${port} cannot be used on 127.0.0.1: it is already in use (expected a free port, e.g. PORT=3000)\n`);
			expect(result.stdout).toBe('');
			expect(result.status).toBe(2);
			expect(fs.existsSync(database)).toBe(false);
		} finally {
			holder.close();
		}
	});
});

describe('npm start with good settings', () => {
	it('says "serving on" once the server answers, not before', async () => {
		const port = await freePort();
		const child = spawn(process.execPath, ['scripts/start.js'], { cwd: ROOT, env: { ...baseEnv(), PORT: String(port) } });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		try {
			const deadline = Date.now() + 20_000;
			while (!output.includes('serving on') && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
			expect(output).toContain(`[guillemet] serving on http://127.0.0.1:${port} (database: ${database})`);
			// adapter-node says it listens when it does; "serving on" comes after, never first.
			expect(output.indexOf(`Listening on http://127.0.0.1:${port}`)).toBeGreaterThanOrEqual(0);
			expect(output.indexOf('serving on')).toBeGreaterThan(output.indexOf('Listening on'));
			expect((await fetch(`http://127.0.0.1:${port}/signin`)).status).toBe(200);
		} finally {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
		}
	});
});
