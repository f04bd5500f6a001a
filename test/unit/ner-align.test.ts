// Piece alignment on hard French text, for each tokenizer kind, with the real transformers.js
// tokenizers of the fixture models (test/fixtures/models, made by scripts/make-fixture-models).
import path from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignPiecesToWord, detectPieceConventions, foldForAlignment, type PieceConventions } from '../../src/lib/domain/ner/align';
import { OffsetIndex } from '../../src/lib/domain/offsets';
import { tokenizeWords } from '../../src/lib/domain/tokens';

const FIXTURES = path.resolve('test/fixtures/models');

const HARD_TEXT = [
	'Selon l’Otan et l\'Onu, M. Sergueï Lavrov a déclaré\u00a0: «\u202fNous n’irons pas\u202f» à Moscou.',
	'Jean-Marie, les États-Unis, Œuvre, ÇA, naïveté, où, cœur ; 12\u202f000 € ; 3,5 %.',
	'Emoji 😀 et drapeau 🇫🇷, famille 👩‍👩‍👧, combinant e\u0301te\u0301 et Ａｂｃ pleine chasse, ligature ﬁnancement, x² …',
	'anticonstitutionnellementanticonstitutionnellementanticonstitutionnellementanticonstitutionnellement',
	'Ελληνικά ΟΔΟΣ, русский текст, 中文字符, עברית, ﷺ, İstanbul, straße.'
].join('\n\n');

const KINDS = ['bert-wordpiece-cased', 'bert-wordpiece-uncased', 'sentencepiece-unigram', 'roberta-bytelevel'] as const;

const tokenizers = new Map<string, { tokenizer: PreTrainedTokenizer; conventions: PieceConventions }>();

beforeAll(async () => {
	env.allowRemoteModels = false;
	env.localModelPath = FIXTURES + path.sep;
	for (const kind of KINDS) {
		const tokenizer = (await AutoTokenizer.from_pretrained(kind)) as PreTrainedTokenizer;
		const json = (tokenizer as unknown as { _tokenizerJSON: Record<string, unknown> })._tokenizerJSON;
		tokenizers.set(kind, { tokenizer, conventions: detectPieceConventions(json, (tokenizer as unknown as { unk_token: string }).unk_token) });
	}
});

describe('detectPieceConventions', () => {
	it('reads the scheme of each fixture', () => {
		expect(tokenizers.get('bert-wordpiece-cased')!.conventions).toMatchObject({ scheme: 'wordpiece', continuationPrefix: '##', unkToken: '[UNK]' });
		expect(tokenizers.get('sentencepiece-unigram')!.conventions).toMatchObject({ scheme: 'sentencepiece', wordStartMarker: '▁', unkToken: '<unk>' });
		expect(tokenizers.get('roberta-bytelevel')!.conventions).toMatchObject({ scheme: 'bytelevel' });
	});
});

describe.each(KINDS)('alignment with %s', (kind) => {
	const index = new OffsetIndex(HARD_TEXT);
	const words = tokenizeWords(HARD_TEXT, index);

	it('covers every word with ordered, non-overlapping pieces inside it', () => {
		const { tokenizer, conventions } = tokenizers.get(kind)!;
		for (const word of words) {
			const pieces = tokenizer.tokenize(word.text);
			expect(pieces.length, `pieces of "${word.text}"`).toBeGreaterThan(0);
			const ranges = alignPiecesToWord(word.text, pieces, conventions);
			const length = [...word.text].length;
			expect(ranges).toHaveLength(pieces.length);
			expect(ranges[0].start).toBe(0);
			expect(ranges.at(-1)!.end).toBe(length);
			for (let k = 0; k < ranges.length; k++) {
				expect(ranges[k].start).toBeLessThanOrEqual(ranges[k].end);
				if (k > 0) expect(ranges[k].start).toBe(ranges[k - 1].end);
			}
		}
	});

	it('gives each known piece exactly the characters it stands for (round trip)', () => {
		const { tokenizer, conventions } = tokenizers.get(kind)!;
		let checked = 0;
		for (const word of words) {
			const pieces = tokenizer.tokenize(word.text);
			if (conventions.unkToken && pieces.includes(conventions.unkToken)) continue;
			const ranges = alignPiecesToWord(word.text, pieces, conventions);
			const chars = [...word.text];
			if (conventions.scheme === 'bytelevel') {
				// Concatenated bytes of the pieces owning each character rebuild the word exactly.
				const rebuilt = ranges.map((r) => chars.slice(r.start, r.end).join('')).join('');
				expect(rebuilt).toBe(word.text);
				// Pieces that end on a character boundary carry exactly that character's bytes.
				const decoder = new TextDecoder();
				const bytes = pieces.map((p) => pieceBytes(p));
				bytes[0] = bytes[0].filter((b, i) => !(i === 0 && b === 0x20));
				const all = decoder.decode(new Uint8Array(bytes.flat()));
				expect(all.replace(/^ /, '')).toBe(word.text);
			} else {
				for (let k = 0; k < pieces.length; k++) {
					const text = chars.slice(ranges[k].start, ranges[k].end).join('');
					const content = pieces[k].replace(/^##(?=.)/, '').replace(/^▁/, '');
					// Characters split across pieces (a ligature NFKC expands) are owned by the first piece.
					if (foldForAlignment(text) !== foldForAlignment(content)) {
						expect(foldForAlignment(text).startsWith(foldForAlignment(content)) || foldForAlignment(content).endsWith(foldForAlignment(text)) || foldForAlignment(content).startsWith(foldForAlignment(text))).toBe(true);
					}
				}
			}
			checked++;
		}
		expect(checked).toBeGreaterThan(30);
	});

	it('splits the elided article from l’Otan and l\'Otan', () => {
		const { tokenizer, conventions } = tokenizers.get(kind)!;
		for (const sample of ['Selon l’Otan.', "Selon l'Otan."]) {
			const sampleWords = tokenizeWords(sample);
			expect(sampleWords.map((w) => w.text)).toEqual(['Selon', sample.includes('’') ? 'l’' : "l'", 'Otan', '.']);
			const otan = sampleWords[2];
			const ranges = alignPiecesToWord(otan.text, tokenizer.tokenize(otan.text), conventions);
			expect(ranges.at(-1)!.end).toBe(4);
		}
	});
});

describe('unknown pieces', () => {
	it('[UNK] covers its whole word (WordPiece)', () => {
		const { tokenizer, conventions } = tokenizers.get('bert-wordpiece-cased')!;
		for (const word of ['😀', '🇫🇷', 'ﬁnancement']) {
			const pieces = tokenizer.tokenize(word);
			expect(pieces).toEqual(['[UNK]']);
			expect(alignPiecesToWord(word, pieces, conventions)).toEqual([{ start: 0, end: [...word].length }]);
		}
	});

	it('a run of [UNK] shares its stretch (one per CJK character)', () => {
		const { tokenizer, conventions } = tokenizers.get('bert-wordpiece-cased')!;
		const word = '中文字符';
		expect(tokenizer.tokenize(word)).toEqual(['[UNK]', '[UNK]', '[UNK]', '[UNK]']);
		expect(alignPiecesToWord(word, tokenizer.tokenize(word), conventions)).toEqual([0, 1, 2, 3].map((i) => ({ start: i, end: i + 1 })));
	});

	it('an unknown piece between known ones covers only what they do not', () => {
		const conventions: PieceConventions = { scheme: 'sentencepiece', continuationPrefix: '', wordStartMarker: '▁', unkToken: '<unk>' };
		expect(alignPiecesToWord('a😀b', ['▁a', '<unk>', 'b'], conventions)).toEqual([
			{ start: 0, end: 1 },
			{ start: 1, end: 2 },
			{ start: 2, end: 3 }
		]);
	});

	it('a piece that matches nothing falls back to proportional shares inside the word', () => {
		const conventions: PieceConventions = { scheme: 'wordpiece', continuationPrefix: '##', wordStartMarker: '', unkToken: '[UNK]' };
		const ranges = alignPiecesToWord('abcdef', ['ab', '##xx', '##ef'], conventions);
		expect(ranges[0]).toEqual({ start: 0, end: 2 });
		expect(ranges.at(-1)!.end).toBe(6);
		expect(ranges[1].start).toBe(2);
	});
});

describe('normalisers that change characters', () => {
	it('lower-casing and accent stripping (uncased WordPiece)', () => {
		const { tokenizer, conventions } = tokenizers.get('bert-wordpiece-uncased')!;
		const word = 'Sergueï';
		const pieces = tokenizer.tokenize(word);
		expect(pieces).toEqual(['serguei']);
		expect(alignPiecesToWord(word, pieces, conventions)).toEqual([{ start: 0, end: 7 }]);
		const combining = 'e\u0301te\u0301';
		const ranges = alignPiecesToWord(combining, tokenizer.tokenize(combining), conventions);
		// A combining accent stays with its base letter.
		for (const range of ranges) expect([0, 2, 3, 5]).toContain(range.start);
		expect(ranges.at(-1)!.end).toBe(5);
	});

	it('NFKC (SentencePiece): ligature and full-width letters', () => {
		const { tokenizer, conventions } = tokenizers.get('sentencepiece-unigram')!;
		const ligature = 'ﬁnancement';
		const ranges = alignPiecesToWord(ligature, tokenizer.tokenize(ligature), conventions);
		expect(ranges[0]).toEqual({ start: 0, end: 1 });
		expect(ranges.at(-1)!.end).toBe([...ligature].length);
	});

	it('byte-level BPE: a multi-byte character split over pieces belongs to the first', () => {
		const { tokenizer, conventions } = tokenizers.get('roberta-bytelevel')!;
		const word = 'l’';
		const pieces = tokenizer.tokenize(word);
		expect(pieces.length).toBeGreaterThan(2);
		const ranges = alignPiecesToWord(word, pieces, conventions);
		expect(ranges[0]).toEqual({ start: 0, end: 1 });
		expect(ranges[1]).toEqual({ start: 1, end: 2 });
		for (const range of ranges.slice(2)) expect(range).toEqual({ start: 2, end: 2 });
	});
});

const BYTE_TABLE = (() => {
	const bytes: number[] = [];
	for (let b = 0x21; b <= 0x7e; b++) bytes.push(b);
	for (let b = 0xa1; b <= 0xac; b++) bytes.push(b);
	for (let b = 0xae; b <= 0xff; b++) bytes.push(b);
	const chars = bytes.slice();
	let n = 0;
	for (let b = 0; b < 256; b++) if (!bytes.includes(b)) (bytes.push(b), chars.push(256 + n++));
	return new Map(bytes.map((b, i) => [String.fromCodePoint(chars[i]), b]));
})();

function pieceBytes(piece: string): number[] {
	return [...piece].map((c) => BYTE_TABLE.get(c)!);
}
