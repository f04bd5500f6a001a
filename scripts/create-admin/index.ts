// npm run admin:create -- --username <name> [--display-name "Nom"]
// Creates an admin account. The password is read from stdin when it is piped
// (`printf '%s' "$PW" | npm run admin:create -- --username x`), else asked twice at a hidden prompt.
// Never from the command line (it would land in shell history and `ps`).
import readline from 'node:readline';
import { loadConfig } from '../../src/lib/server/config';
import { openDatabase } from '../../src/lib/server/db/client';
import { ensureDefaultProject } from '../../src/lib/server/db/projects';
import { AccountError, createAccount, describeUsernameProblem } from '../../src/lib/server/auth/accounts';
import { describePasswordProblem } from '../../src/lib/server/auth/password';
import { createLogger, fail, parseCommandLine } from '../lib/cli';

const NAME = 'admin:create';
const log = createLogger(NAME);
const usage = `usage: npm run admin:create -- --username <name> [--display-name <name>]
  Creates an administrator. The password comes from stdin when piped, else from a hidden prompt.`;

const args = parseCommandLine(NAME, usage, { strict: true, options: { username: { type: 'string' }, 'display-name': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (!args.values.username) fail(NAME, `--username is required\n${usage}`, 2);
// Checked before the password is asked and before the database is opened (or created): a refused
// name or password leaves nothing behind. createAccount checks both again, and whether the name is free.
const username = args.values.username.trim().toLowerCase();
const usernameProblem = describeUsernameProblem(username);
if (usernameProblem) fail(NAME, `--username: ${usernameProblem.en}`, 2);

async function readPipedPassword(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	// One trailing newline is the shell's, not the password's.
	return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function askHidden(question: string): Promise<string> {
	return new Promise((resolve) => {
		const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
		const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
		let prompted = false;
		output._writeToOutput = (s: string) => {
			if (!prompted) {
				process.stdout.write(s);
				prompted = true;
			}
		};
		rl.question(question, (answer) => {
			rl.close();
			process.stdout.write('\n');
			resolve(answer);
		});
	});
}

// A variable of the environment that cannot be used is said before the password is typed.
const config = loadConfig();
let password: string;
if (process.stdin.isTTY) {
	password = await askHidden('Password: ');
	const again = await askHidden('Password again: ');
	if (password !== again) fail(NAME, 'the two passwords differ');
} else {
	password = await readPipedPassword();
}
const passwordProblem = describePasswordProblem(password);
if (passwordProblem) fail(NAME, passwordProblem.en);

const db = openDatabase(config.databasePath);
ensureDefaultProject(db);
try {
	const user = createAccount(db, { username, displayName: args.values['display-name'], role: 'admin', password });
	log.info(`admin "${user.username}" created (${config.databasePath})`);
} catch (error) {
	if (error instanceof AccountError) fail(NAME, error.inEnglish);
	throw error;
} finally {
	db.$client.close();
}
