import { describe, expect, it } from 'vitest';
import { DEFAULT_GUIDELINES, describeGuidelinesProblem, GUIDELINES_MAX_LENGTH, renderGuidelines } from '../../src/lib/domain/guidelines';
import { DEFAULT_LABEL_SCHEMA } from '../../src/lib/domain/label-schema';
import { SHORTCUT_GROUPS } from '../../src/lib/workspace/keyboard';

describe('rendering guidelines', () => {
	it('renders Markdown: titles, lists, tables, code', () => {
		const html = renderGuidelines('# Titre\n\n- **PER** : `Lavrov`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
		expect(html).toContain('<h1>Titre</h1>');
		expect(html).toContain('<li><strong>PER</strong> : <code>Lavrov</code></li>');
		expect(html).toContain('<td>1</td>');
	});

	it('shows raw HTML as text, so a guideline cannot run a script in an annotator’s page', () => {
		const html = renderGuidelines('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">');
		expect(html).not.toContain('<script');
		expect(html).not.toContain('<img');
		expect(html).toContain('&lt;script&gt;');
	});

	it('refuses script links and opens the others beside the work', () => {
		const html = renderGuidelines('[piège](javascript:alert(1)) [données](data:text/html;base64,PHNjcmlwdD4=) [HIPE](https://hipe-eval.github.io/)');
		expect(html).not.toMatch(/href="(javascript|data):/);
		expect(html).toContain('<a href="https://hipe-eval.github.io/" target="_blank" rel="noopener noreferrer">HIPE</a>');
	});
});

describe('a guidelines text', () => {
	it('may be neither blank nor longer than the limit', () => {
		expect(describeGuidelinesProblem(' \n ')).toMatch(/vides/);
		expect(describeGuidelinesProblem('x'.repeat(GUIDELINES_MAX_LENGTH + 1))).toMatch(/dépassent 100\u202f000 caractères \(100\u202f001\)/);
		expect(describeGuidelinesProblem('# Consignes')).toBeNull();
	});
});

describe('Guillemet’s own guidelines', () => {
	it('define every label of the default schema', () => {
		for (const label of DEFAULT_LABEL_SCHEMA.entityLabels) expect(DEFAULT_GUIDELINES).toContain(`| **${label.name}** |`);
	});

	it('name only keys that are workspace shortcuts', () => {
		const keys = new Set(SHORTCUT_GROUPS.flatMap((group) => group.shortcuts.flatMap((shortcut) => shortcut.keys)));
		const named = [...DEFAULT_GUIDELINES.matchAll(/\(([a-z]|Entrée|Ctrl\+Entrée|1–9)\)/g)].map((match) => match[1]);
		expect(named.length).toBeGreaterThan(6);
		for (const key of named) expect(keys, key).toContain(key);
	});
});
