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
		expect(refused.stderr).toContain('au moins 10 caractères');
		const db = openDatabase(path.join(dir, 'x.db'));
		const root = getUserByUsername(db, 'root')!;
		expect(root.role).toBe('admin');
		expect(verifyPassword('a long admin secret', root.passwordHash!)).toBe(true);
		expect(getUserByUsername(db, 'other')).toBeUndefined();
		db.$client.close();
	});
});
