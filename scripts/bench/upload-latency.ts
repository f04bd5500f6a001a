// npm run bench:upload -- [--count 8482] [--root <project folder>]
// How the server answers while it imports an upload from the Importer page: builds one JSONL of
// N synthetic articles (recombined Wikinews paragraphs, about 30 MB at the default count), starts
// the built server (`<root>/build`) on a temporary database, signs in, and times GET /signin
// every 200 ms while the upload is sent and imported, against the same request when idle, and a
// few sign-ins (POST: each writes its session, so waits for the database's one writer).
// `--root` points at another checkout's build to compare (the import ran inside the request
// before it became a background job).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createLogger, fail, parseCommandLine, positiveInteger } from '../lib/cli';
import { median } from './median';

const NAME = 'bench:upload';
const log = createLogger(NAME);
const ROOT = path.resolve(import.meta.dirname, '../..');
const usage = `usage: npm run bench:upload -- [options]
  Times GET and POST /signin on the built server while it imports a large upload, and when idle.
  --count <n>       articles in the uploaded JSONL (default 8482, about 30 MB)
  --root <folder>   project folder whose build/ is served (default this one)`;
const { values } = parseCommandLine(NAME, usage, {
	strict: true,
	options: { count: { type: 'string', default: '8482' }, root: { type: 'string', default: ROOT }, help: { type: 'boolean', short: 'h' } }
});
const count = positiveInteger(NAME, 'count', values.count)!;
const root = path.resolve(values.root!);
if (!fs.existsSync(path.join(root, 'build', 'index.js'))) fail(NAME, `${root}/build/index.js is missing: run \`npx vite build\` there`, 2);

const articles = gunzipSync(fs.readFileSync(path.join(ROOT, 'test/fixtures/articles-fr/articles.jsonl.gz')))
	.toString('utf8')
	.trim()
	.split('\n')
	.map((line) => JSON.parse(line) as { title: string; text: string; source: string })
	.filter((a) => a.source === 'wikinews-fr');
const paragraphs = articles.flatMap((a) => a.text.split('\n\n'));
let seed = 13;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const lines: string[] = [];
for (let i = 0; i < count; i++) {
	const body = Array.from({ length: 6 + Math.floor(random() * 7) }, () => paragraphs[Math.floor(random() * paragraphs.length)]);
	lines.push(JSON.stringify({ id: `upload-${i}`, title: `${articles[i % articles.length].title} (${i})`, text: `Dépêche n° ${i}.\n\n${body.join('\n\n')}`, source: 'agence' }));
}
const upload = Buffer.from(lines.join('\n') + '\n');
log.info(`${count} articles, ${(upload.length / 1e6).toFixed(1)} MB`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-bench-upload-'));
const port = await new Promise<number>((resolve) => {
	const probe = net.createServer().listen(0, '127.0.0.1', () => {
		const { port } = probe.address() as net.AddressInfo;
		probe.close(() => resolve(port));
	});
});
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [path.join(root, 'build', 'index.js')], {
	cwd: root,
	env: {
		...process.env,
		HOST: '127.0.0.1',
		PORT: String(port),
		ORIGIN: url,
		DATABASE_PATH: path.join(dir, 'bench.db'),
		GUILLEMET_ROOT: root,
		GUILLEMET_ADMIN_USERNAME: 'bench',
		GUILLEMET_ADMIN_PASSWORD: 'bench-password-123',
		SAMPLES_PREANNOTATE: '0',
		BODY_SIZE_LIMIT: String(64 * 1024 * 1024),
		UPLOAD_MAX_BYTES: String(64 * 1024 * 1024)
	},
	stdio: ['ignore', 'ignore', 'inherit']
});
try {
	for (let i = 0; ; i++) {
		if (i > 200) throw new Error('the server did not listen within 20 s');
		if (await fetch(url, { redirect: 'manual' }).then(() => true, () => false)) break;
		await new Promise((r) => setTimeout(r, 100));
	}
	const signIn = await fetch(`${url}/signin`, {
		method: 'POST',
		headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' },
		body: 'username=bench&password=bench-password-123',
		redirect: 'manual'
	});
	const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
	if (!cookie) throw new Error(`sign-in failed (${signIn.status})`);

	// A new connection per request, as a browser opening the page would: a kept-alive socket can
	// be closed by the server's idle timeout just as the next request goes out.
	const timeSignin = () =>
		new Promise<number>((resolve, reject) => {
			const started = performance.now();
			http.get(`${url}/signin`, { agent: false }, (response) => {
				response.resume();
				response.on('end', () => resolve(performance.now() - started));
			}).on('error', reject);
		});
	// A sign-in writes its session: the request that waits on the database's one writer.
	const timeSigninPost = async () => {
		const started = performance.now();
		const response = await fetch(`${url}/signin`, {
			method: 'POST',
			headers: { origin: url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', connection: 'close' },
			body: 'username=bench&password=bench-password-123',
			redirect: 'manual'
		});
		const body = await response.text();
		if (response.status !== 303) log.warn(`POST /signin answered ${response.status}${/Erreur interne/.test(body) ? ' (Erreur interne)' : ''}`);
		return performance.now() - started;
	};
	const idle: number[] = [];
	const idlePosts: number[] = [];
	for (let i = 0; i < 7; i++) idle.push(await timeSignin());
	for (let i = 0; i < 5; i++) idlePosts.push(await timeSigninPost());

	const form = new FormData();
	form.append('files', new Blob([upload], { type: 'application/json' }), 'depeches.jsonl');
	const started = performance.now();
	let uploading = true;
	const posted = fetch(`${url}/import?/upload`, { method: 'POST', headers: { origin: url, cookie, accept: 'application/json', 'x-sveltekit-action': 'true' }, body: form }).then(async (response) => {
		uploading = false;
		return { status: response.status, body: await response.text(), seconds: (performance.now() - started) / 1000 };
	}, (error) => {
		uploading = false;
		throw new Error(`the upload failed: ${(error as Error).cause ?? error}`);
	});
	const during: number[] = [];
	const duringPosts: number[] = [];
	// Sampled while the request runs, then while its job runs (the page's poll: /api/jobs/<id>).
	while (uploading) {
		during.push(await timeSignin());
		if (uploading && duringPosts.length < 5) duringPosts.push(await timeSigninPost());
		await new Promise((r) => setTimeout(r, 200));
	}
	const answer = await posted;
	const jobId = /job=(\d+)/.exec(answer.body)?.[1];
	for (;;) {
		if (!jobId) break;
		const job = (await (await fetch(`${url}/api/jobs/${jobId}`, { headers: { cookie } })).json()) as { active: boolean; message: string };
		if (!job.active) {
			log.info(`job #${jobId}: ${job.message}`);
			break;
		}
		during.push(await timeSignin());
		if (duringPosts.length < 5) duringPosts.push(await timeSigninPost());
		await new Promise((r) => setTimeout(r, 200));
	}
	const total = (performance.now() - started) / 1000;
	const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
	log.info(`upload: ${count} articles, ${(upload.length / 1e6).toFixed(1)} MB; form answered ${answer.status} in ${answer.seconds.toFixed(1)} s, imported after ${total.toFixed(1)} s (${root})`);
	log.info(`GET /signin idle: median ${fmt(median(idle))} (${idle.length} requests)`);
	log.info(`GET /signin during the import: median ${fmt(median(during))}, max ${fmt(Math.max(...during))} (${during.length} requests)`);
	log.info(`POST /signin idle: median ${fmt(median(idlePosts))}; during the import: median ${duringPosts.length ? fmt(median(duringPosts)) : '—'}, max ${duringPosts.length ? fmt(Math.max(...duringPosts)) : '—'} (${duringPosts.length} requests)`);
} finally {
	server.kill('SIGTERM');
	await new Promise((r) => server.once('exit', r));
	fs.rmSync(dir, { recursive: true, force: true });
}
