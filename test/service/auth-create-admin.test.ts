// `npm run admin:create` reads the password from stdin, never from the command line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/client';
import { getUserByUsername } from '../../src/lib/server/db/users';
import { verifyPassword } from '../../src/lib/server/auth/password';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-admin-'));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input: string) {
	return spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/create-admin/index.ts', ...args], {
		cwd: ROOT,
		input,
		encoding: 'utf8',
		env: { ...process.env, DATABASE_PATH: path.join(dir, 'x.db') }
	});
}

describe('admin:create', () => {
	it('creates an admin with the piped password, and refuses a short one', () => {
		const created = run(['--username', 'Root'], 'a long admin secret\n');
		expect(created.stderr).toBe('');
		expect(created.status).toBe(0);
		expect(created.stdout).toContain('admin "root" created');
		const refused = run(['--username', 'other'], 'short');
		expect(refused.status).toBe(1);
		expect(refused.stderr).toBe('[admin:create] error: the password must be at least 10 characters long (got 5)\n');
		const taken = run(['--username', 'ROOT'], 'another long secret');
		expect(taken.status).toBe(1);
		expect(taken.stderr).toBe('[admin:create] error: the username "root" is already taken\n');
		const db = openDatabase(path.join(dir, 'x.db'));
		const root = getUserByUsername(db, 'root')!;
		expect(root.role).toBe('admin');
		expect(verifyPassword('a long admin secret', root.passwordHash!)).toBe(true);
		expect(getUserByUsername(db, 'other')).toBeUndefined();
		db.$client.close();
	});

	it('refuses a bad username (a usage error) or password before creating the database', () => {
		const badName = run(['--username', 'Marie Curie'], 'a long admin secret');
		expect(badName.status).toBe(2);
		expect(badName.stderr).toMatch(/^\[admin:create\] error: --username: the username "marie curie" is invalid: 2 to 32 characters, .+\n$/);
		const shortPassword = run(['--username', 'marie'], 'short');
		expect(shortPassword.status).toBe(1);
		expect(shortPassword.stderr).toBe('[admin:create] error: the password must be at least 10 characters long (got 5)\n');
		expect(fs.existsSync(path.join(dir, 'x.db'))).toBe(false);
	});
});
