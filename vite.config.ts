import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { fs: { allow: ['models'] } },
	build: { rollupOptions: { external: ['better-sqlite3', '@huggingface/transformers', 'onnxruntime-node'] } },
	test: {
		// Three suites that mirror the code: pure domain rules, services on a temporary
		// database with the real migrations, and real Chromium against the built server.
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
