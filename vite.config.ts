import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { fs: { allow: ['models'] } },
	build: { rollupOptions: { external: ['better-sqlite3', '@huggingface/transformers', 'onnxruntime-node'] } },
	test: {
		// Three suites that mirror the code: pure domain rules, services on a temporary
		// database with the real migrations, and real Chromium against the built server.
		// Two files at a time even on a 2-core machine (vitest would take cores − 1 = 1): most of
		// the slow files wait on a spawned script or on the built server, which leaves a core idle.
		maxWorkers: 2,
		projects: [
			{ extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
			{ extends: true, test: { name: 'service', include: ['test/service/**/*.test.ts'], environment: 'node', testTimeout: 60_000 } },
			{
				extends: true,
				test: {
					name: 'browser',
					include: ['test/browser/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000,
					fileParallelism: false
				}
			}
		]
	}
});
