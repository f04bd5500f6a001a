// Every problem shape the import can report, produced by the real import code, reads in French on
// the Importer page: a new English message would show here first.
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importUploads } from '../../src/lib/server/import';
import { importProblemInFrench, uploadTooLargeMessage } from '../../src/lib/ui/import-messages-fr';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';

let temp: TempDatabase;
beforeEach(() => (temp = createTempDatabase()));
afterEach(() => temp.close());

const encode = (text: string) => new TextEncoder().encode(text);
const ENGLISH = /\b(is|are|the|must|not|unknown|does|expected|received|missing|already|used|nothing|file|record|offsets?|overlaps|holds)\b/;

describe('import problems in French', () => {
	it('translates every problem the import reports', () => {
		const lines = [
			'{not json',
			'[1, 2]',
			'{"text": "   "}',
			'{"title": "Sans texte"}',
			'{"text": 42}',
			'{"text": "Daté.", "published_at": "hier"}',
			'{"text": "Jean à Paris.", "entities": [{"start": 0, "end": 40, "label": "PER"}]}',
			'{"text": "Jean à Paris.", "entities": [{"start": 0, "end": 4, "label": "VILLE"}]}',
			'{"text": "Jean à Paris.", "entities": [{"start": 0, "end": 4, "label": "PER"}, {"start": 2, "end": 6, "label": "LOC"}]}',
			'{"text": "Jean à Paris.", "entities": [{"id": "e1", "start": 0, "end": 4, "label": "PER", "text": "Jeanne"}]}',
			'{"text": "Il a dit « oui ».", "quotes": [{"id": "q1", "start": 11, "end": 14, "speaker": "e9"}]}',
			'{"text": "Jean à Paris.", "entities": [{"id": "e1", "start": 0, "end": 4, "label": "PER"}, {"id": "e1", "start": 7, "end": 12, "label": "LOC"}]}',
			'{"text": "Jean à Paris.", "entities": [{"id": "e1", "start": 0.5, "end": 4, "label": "PER"}]}',
			'{"id": "a", "text": "Premier texte."}',
			'{"id": "a", "text": "Autre texte."}',
			'{"text": "Rubriqué.", "meta": "Monde"}',
			'{"text": "Jean à Paris. \\nIl parle.", "entities": [{"start": 0, "end": 4, "label": "PER"}]}',
			'{"text": "Jean à Paris.\\r\\nIl parle.", "entities": [{"start": 0, "end": 4, "label": "PER"}]}',
			'{"text": "\\uFEFFJean à Paris.", "entities": [{"start": 1, "end": 5, "label": "PER"}]}',
			'{"text": "Jean à Pe\\u0301rouse.", "entities": [{"start": 0, "end": 4, "label": "PER"}]}'
		];
		const summary = importUploads(temp.db, temp.project, [
			{ name: 'bad.jsonl', bytes: encode(lines.join('\n')) },
			{ name: 'latin1.jsonl', bytes: new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]) },
			{ name: 'broken.jsonl.gz', bytes: gzipSync(Buffer.from('{"text": "x"}')).subarray(0, 12) },
			{ name: 'empty.jsonl', bytes: encode('\n') },
			{ name: 'word.txt', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]) },
			{ name: 'unicode.txt', bytes: new Uint8Array([0xff, 0xfe, 0x4c, 0x00]) },
			{ name: 'page.txt', bytes: encode('Seulement un titre\n') },
			{ name: 'vide.txt', bytes: encode('') },
			{ name: 'blanc.txt', bytes: encode('\n \n') },
			{ name: 'gold.jsonl', bytes: encode('{"id": "g", "text": "Jean à Paris.", "entities": [{"start": 0, "end": 4, "label": "PER"}]}') },
			{ name: 'gold2.jsonl', bytes: encode('{"id": "g", "text": "Jean à Paris.", "entities": [{"start": 7, "end": 12, "label": "LOC"}]}') }
		]);
		expect(summary.problems.length).toBeGreaterThanOrEqual(25);
		for (const problem of summary.problems) {
			const french = importProblemInFrench(problem.message);
			// What the parsers say (in parentheses: `JSON invalide (Unexpected token …)`) stays as it is.
			expect(french.replace(/\([^)]*\)/g, ''), problem.message).not.toMatch(ENGLISH);
			expect(french, problem.message).not.toBe(problem.message);
		}
	});

	it('says an upload too large in Ko or Mo', () => {
		expect(uploadTooLargeMessage(57_673_578, 52_428_800)).toMatch(/^Envoi trop volumineux : 55,0 Mo pour une limite de 50,0 Mo \(UPLOAD_MAX_BYTES\)\. .*npm run import\.$/);
		expect(uploadTooLargeMessage(4000, 2000)).toMatch(/^Envoi trop volumineux : 4 Ko pour une limite de 2 Ko /);
	});

	it('keeps the figures and names of the original message', () => {
		expect(importProblemInFrench('entities "e2": unknown entity label "VILLE" (known: PER, LOC, ORG, MISC)')).toBe(
			'entité « e2 » : étiquette d’entité inconnue « VILLE » (connues : PER, LOC, ORG, MISC)'
		);
		expect(importProblemInFrench('entities.0.start: Invalid input: expected number, received string; text: is missing')).toBe(
			'entité n° 1 début : un nombre attendu, du texte reçu ; texte : manquant'
		);
		expect(importProblemInFrench('meta: must be an object of string keys, such as {"section": "Monde"}')).toBe('meta : doit être un objet à clés texte, par ex. {"section": "Monde"}');
		expect(
			importProblemInFrench(
				'the text carries spans but line 2 of the text ends with a space or tab; texts are stored in NFC with \\n line endings and no space or tab at line ends, so its offsets would shift: fix the text and its offsets'
			)
		).toBe(
			'le texte porte des annotations mais la ligne 2 du texte se termine par une espace ou une tabulation ; les textes sont enregistrés en NFC, avec des fins de ligne \\n et sans espace ni tabulation en fin de ligne : ses décalages seraient faussés ; corrigez le texte et ses décalages'
		);
		expect(importProblemInFrench('something new')).toBe('something new');
		expect(importProblemInFrench("not valid JSON (Expected ',' or '}' after property value in JSON at position 25)")).toBe('JSON invalide (vers le caractère 26 de la ligne)');
	});
});
