import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cleanTextPage, LINE_RULES } from '../../src/lib/domain/cleaning';
import { describeNormalisation, normaliseText } from '../../src/lib/domain/normalise';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures');
const sample = fs.readFileSync(path.join(fixtures, 'articles', 'sputnik-fr-3255db79b009ce73.txt'), 'utf8');

describe('cleaning the sample page', () => {
	const page = cleanTextPage(sample);

	it('takes the first line as the title', () => {
		expect(page.title).toBe('Lavrov: la Russie est prête à réinitialiser la coopération militaire avec l’Otan');
	});

	it('keeps exactly the body, from its first to its last sentence', () => {
		expect(page.text.startsWith('Sur fond de tension diplomatique')).toBe(true);
		expect(page.text.endsWith("… sont également à l'ordre du jour.".slice(2))).toBe(true);
		expect(page.text.split('\n\n')).toHaveLength(8);
	});

	it('records which rules fired on which lines', () => {
		expect(page.report.rules).toEqual([
			'photo-credit',
			'subscribe-prompt',
			'social-prompt',
			'comment-widget',
			'ui-leftover',
			'lone-number',
			'repeated-caption',
			'other-script'
		]);
		expect(page.report.dropped.find((d) => d.rule === 'repeated-caption')?.line).toBe(4);
		expect(page.report.dropped.find((d) => d.rule === 'other-script')?.text).toBe('Заголовок открываемого материала');
	});

	it('keeps typographic characters as they are', () => {
		expect(page.text).toContain('l’Otan');
		expect(page.text).toContain('« Pour faire cesser');
	});
});

describe('tricky pages', () => {
	it('keeps a body paragraph that merely mentions a rule word', () => {
		const page = cleanTextPage(
			'Titre\n\nLe Chat de Philippe Geluck fête ses 40 ans.\n\nSelon le rapport, 0 victime.\n\nChat\n\nPartagez vos commentaires ci-dessous, a écrit le journal.'
		);
		expect(page.text.split('\n\n')).toEqual([
			'Le Chat de Philippe Geluck fête ses 40 ans.',
			'Selon le rapport, 0 victime.',
			'Partagez vos commentaires ci-dessous, a écrit le journal.'
		]);
		expect(page.report.dropped.map((d) => d.rule)).toEqual(['ui-leftover']);
	});

	it('drops a follow prompt naming the outlet in several words', () => {
		const prompts = ['Suivez Le Petit Journal sur Telegram', 'Retrouvez France 24 sur WhatsApp', 'Suivez Le Journal du Dimanche sur Google Actualités', 'Rejoignez Sputnik Afrique sur Telegram'];
		const page = cleanTextPage(`Titre\n${prompts.join('\n')}\nSuivez le guide sur le terrain, a dit le maire.`);
		expect(page.report.dropped.map((d) => [d.rule, d.text])).toEqual(prompts.map((p) => ['social-prompt', p]));
		expect(page.text).toBe('Suivez le guide sur le terrain, a dit le maire.');
	});

	it('drops a caption that repeats a credit line, but not a short repeated line', () => {
		const caption = 'Emmanuel Macron et Olaf Scholz lors de leur rencontre à Berlin, le 3 mars';
		const page = cleanTextPage(`Titre\n© AFP / Photo ${caption}\n${caption} - Le Journal\nOui.\nOui.`);
		expect(page.text).toBe('Oui.\n\nOui.');
		expect(page.report.rules).toEqual(['photo-credit', 'repeated-caption']);
	});

	it('keeps a French paragraph quoting a Russian name, drops a line mostly in Cyrillic', () => {
		const page = cleanTextPage('Titre\nLe journal «\u00a0Коммерсантъ\u00a0» rapporte que Moscou attend.\nГлавное за день');
		expect(page.text).toBe('Le journal «\u00a0Коммерсантъ\u00a0» rapporte que Moscou attend.');
	});

	it('normalises NFD to NFC and CRLF to LF', () => {
		expect(normaliseText('Se\u0301curite\u0301\r\nok\r')).toBe('Sécurité\nok\n');
		const page = cleanTextPage('Titre\r\n\r\nE\u0301te\u0301 2017.\r\n');
		expect(page.text).toBe('Été 2017.');
	});

	it('says what normalisation would change in a text, and on which of its lines', () => {
		expect(describeNormalisation('Jean à Paris.\n\nIl parle.')).toBeNull();
		expect(describeNormalisation('\uFEFFJean')).toBe('the text starts with a byte order mark (U+FEFF)');
		expect(describeNormalisation('Jean\r\nà Paris.')).toBe('line 1 of the text has a carriage return (\\r)');
		expect(describeNormalisation('Jean\n\nà Pe\u0301rouse.')).toBe('line 3 of the text is not in NFC');
		expect(describeNormalisation('Jean à Paris.\u00a0\nIl a dit : \n« oui ».')).toBe('line 2 of the text ends with a space or tab');
		// A no-break space at a line's end is kept (French typography), and so is the text.
		expect(describeNormalisation('Il a dit :\u202f\n« oui ».')).toBeNull();
	});

	it('gives every rule a name and a description', () => {
		for (const rule of LINE_RULES) {
			expect(rule.name).toMatch(/^[a-z-]+$/);
			expect(rule.description.length).toBeGreaterThan(10);
		}
	});
});

describe('articles-fr: no body paragraph is ever dropped', () => {
	const articles = gunzipSync(fs.readFileSync(path.join(fixtures, 'articles-fr', 'articles.jsonl.gz')))
		.toString('utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as { id: string; title: string; text: string });

	it('reads all 180 articles', () => expect(articles).toHaveLength(180));

	it('keeps every paragraph of every article when it arrives as a text page', () => {
		const lost: string[] = [];
		for (const article of articles) {
			const page = cleanTextPage(`${article.title}\n\n${article.text}`);
			const paragraphs = normaliseText(article.text).split(/\n+/).map((p) => p.trim()).filter(Boolean);
			const kept = page.text.split('\n\n');
			if (kept.length !== paragraphs.length || kept.some((p, i) => p !== paragraphs[i])) {
				lost.push(`${article.id}: ${page.report.dropped.map((d) => `${d.rule} "${d.text.slice(0, 40)}"`).join('; ')}`);
			}
		}
		expect(lost).toEqual([]);
	});
});
