// Alignment of a tokenizer's sub-word pieces to code-point offsets of the original text.
// transformers.js gives no offset mapping, so we pre-split words with the project tokeniser,
// tokenize each word on its own and walk its pieces here. Works for the three piece conventions
// in use (WordPiece `##`, SentencePiece `▁`, byte-level BPE `Ġ`) and for normalisers that change
// characters (NFKC, lower-casing, accent stripping): both the word and the pieces are folded the
// same way before they are compared, so whatever the normaliser did is undone on both sides.
import type { Token } from '../tokens';

export type PieceScheme = 'wordpiece' | 'sentencepiece' | 'bytelevel';

export interface PieceConventions {
	scheme: PieceScheme;
	/** Marks a piece that continues a word (`##` for WordPiece); empty when none. */
	continuationPrefix: string;
	/** Marks a piece that starts a word (`▁` for SentencePiece); empty when none. */
	wordStartMarker: string;
	/** The unknown token as a piece string (`[UNK]`, `<unk>`); null when the vocabulary has none. */
	unkToken: string | null;
}

/** A piece's place in the text: code points, end exclusive; empty (start = end) for a piece that carries no character of its own. */
export interface PieceRange {
	start: number;
	end: number;
}

/**
 * Reads the conventions from a tokenizer.json object (what transformers.js keeps as
 * `tokenizer._tokenizerJSON`). Pure, so the rules are tested without loading a model.
 */
export function detectPieceConventions(tokenizerJson: Record<string, unknown>, unkToken?: string | null): PieceConventions {
	const model = (tokenizerJson.model ?? {}) as Record<string, unknown>;
	const types = new Set<string>();
	const collect = (node: unknown) => {
		if (!node || typeof node !== 'object') return;
		const record = node as Record<string, unknown>;
		if (typeof record.type === 'string') types.add(record.type);
		for (const key of ['pretokenizers', 'decoders']) if (Array.isArray(record[key])) (record[key] as unknown[]).forEach(collect);
	};
	collect(tokenizerJson.pre_tokenizer);
	collect(tokenizerJson.decoder);
	const metaspace = [tokenizerJson.pre_tokenizer, tokenizerJson.decoder].find(
		(node) => node && typeof node === 'object' && (node as Record<string, unknown>).type === 'Metaspace'
	) as Record<string, unknown> | undefined;
	let unk = unkToken ?? null;
	if (!unk && typeof model.unk_token === 'string') unk = model.unk_token;
	if (!unk && model.type === 'Unigram' && typeof model.unk_id === 'number' && Array.isArray(model.vocab)) {
		const entry = (model.vocab as unknown[][])[model.unk_id as number];
		if (entry && typeof entry[0] === 'string') unk = entry[0];
	}
	if (types.has('ByteLevel')) return { scheme: 'bytelevel', continuationPrefix: '', wordStartMarker: '', unkToken: unk };
	if (model.type === 'WordPiece' || (typeof model.continuing_subword_prefix === 'string' && model.continuing_subword_prefix !== '')) {
		return { scheme: 'wordpiece', continuationPrefix: (model.continuing_subword_prefix as string) || '##', wordStartMarker: '', unkToken: unk };
	}
	const replacement = typeof metaspace?.replacement === 'string' ? metaspace.replacement : '▁';
	return { scheme: 'sentencepiece', continuationPrefix: '', wordStartMarker: replacement, unkToken: unk };
}

const FOLD_DROPPED = /[\p{M}\p{Cc}\p{Cf}\s]/gu;

/**
 * The comparison key of a string: lower case, compatibility-decomposed, without marks, controls
 * or spaces. Lower-casing, accent stripping and NFKC all vanish under it, applied to either side.
 */
export function foldForAlignment(text: string): string {
	return text.toLowerCase().normalize('NFKD').replace(FOLD_DROPPED, '').replace(/ς/g, 'σ');
}

/** GPT-2's byte -> printable character table, inverted: piece character -> byte. */
const BYTE_OF_CHAR: Map<string, number> = (() => {
	const bytes: number[] = [];
	for (let b = 0x21; b <= 0x7e; b++) bytes.push(b);
	for (let b = 0xa1; b <= 0xac; b++) bytes.push(b);
	for (let b = 0xae; b <= 0xff; b++) bytes.push(b);
	const chars = bytes.slice();
	let n = 0;
	for (let b = 0; b < 256; b++) {
		if (!bytes.includes(b)) {
			bytes.push(b);
			chars.push(256 + n++);
		}
	}
	return new Map(bytes.map((b, i) => [String.fromCodePoint(chars[i]), b]));
})();

const utf8 = new TextEncoder();

/** Bytes as a string of code units 0–255, so byte sequences compare with startsWith/indexOf. */
function bytesToKey(bytes: Iterable<number>): string {
	let key = '';
	for (const b of bytes) key += String.fromCharCode(b);
	return key;
}

function bytelevelPieceKey(piece: string): string {
	let key = '';
	for (const char of piece) {
		const byte = BYTE_OF_CHAR.get(char);
		key += byte === undefined ? bytesToKey(utf8.encode(char)) : String.fromCharCode(byte);
	}
	return key;
}

interface WordKey {
	key: string;
	/** unitStart[c] = index in `key` where code point c of the word begins; unitStart[n] = key.length. */
	unitStart: number[];
}

function textWordKey(chars: readonly string[]): WordKey {
	let key = '';
	const unitStart: number[] = [];
	for (const char of chars) {
		unitStart.push(key.length);
		key += foldForAlignment(char);
	}
	unitStart.push(key.length);
	return { key, unitStart };
}

function byteWordKey(chars: readonly string[]): WordKey {
	let key = '';
	const unitStart: number[] = [];
	for (const char of chars) {
		unitStart.push(key.length);
		key += bytesToKey(utf8.encode(char));
	}
	unitStart.push(key.length);
	return { key, unitStart };
}

/** Piece keys in the word key's alphabet; null marks the unknown token. */
function pieceKeys(pieces: readonly string[], conventions: PieceConventions): (string | null)[] {
	const { scheme, continuationPrefix, wordStartMarker, unkToken } = conventions;
	let contentSeen = false;
	return pieces.map((piece) => {
		if (unkToken !== null && piece === unkToken) return null;
		if (scheme === 'bytelevel') {
			let key = bytelevelPieceKey(piece);
			// The prefix space (Ġ) the tokenizer adds before a word is not in the word.
			if (!contentSeen) key = key.replace(/^ +/, '');
			if (key !== '') contentSeen = true;
			return key;
		}
		let content = piece;
		if (scheme === 'wordpiece' && continuationPrefix && content.startsWith(continuationPrefix) && content.length > continuationPrefix.length) {
			content = content.slice(continuationPrefix.length);
		}
		if (scheme === 'sentencepiece' && wordStartMarker && content.startsWith(wordStartMarker)) {
			content = content.slice(wordStartMarker.length);
		}
		return foldForAlignment(content);
	});
}

/**
 * Aligns the pieces of one word to code-point ranges relative to the word. The ranges are in
 * order, never overlap, and cover the word: the first starts at 0, the last ends at its length.
 * The unknown token covers the characters up to where the next known piece matches (the whole
 * word when it is the only piece; a run of unknown pieces shares that stretch). When the pieces cannot be matched (a normaliser this fold does
 * not undo), the remaining characters are shared in proportion to the pieces' lengths, so a
 * range is never invented outside the word.
 */
export function alignPiecesToWord(word: string, pieces: readonly string[], conventions: PieceConventions): PieceRange[] {
	const chars = Array.from(word);
	const n = chars.length;
	if (pieces.length === 0) return [];
	const { key, unitStart } = conventions.scheme === 'bytelevel' ? byteWordKey(chars) : textWordKey(chars);
	const keys = pieceKeys(pieces, conventions);
	const units = unitRanges(key, keys);
	return unitsToCodePoints(units, unitStart, n);
}

/** Ranges in key units for each piece, monotone and covering [0, key.length]. */
function unitRanges(key: string, keys: readonly (string | null)[]): [number, number][] {
	const ranges: [number, number][] = [];
	let pos = 0;
	for (let j = 0; j < keys.length; j++) {
		const pieceKey = keys[j];
		if (pieceKey === null) {
			// A run of unknown pieces shares what lies before the next known piece (or the end).
			let runEnd = j;
			while (runEnd + 1 < keys.length && keys[runEnd + 1] === null) runEnd++;
			let next = runEnd + 1;
			while (next < keys.length && keys[next] === '') next++;
			let end = key.length;
			if (next < keys.length) {
				end = key.indexOf(keys[next] as string, Math.min(pos + 1, key.length));
				if (end < 0) return ranges.concat(shareProportionally(key, keys, j, pos));
			}
			const run = runEnd - j + 1;
			const from = pos;
			for (let k = 0; k < run; k++) {
				const to = k === run - 1 ? end : from + Math.round(((end - from) * (k + 1)) / run);
				ranges.push([pos, Math.max(pos, to)]);
				pos = Math.max(pos, to);
			}
			j = runEnd;
		} else if (key.startsWith(pieceKey, pos)) {
			ranges.push([pos, pos + pieceKey.length]);
			pos += pieceKey.length;
		} else {
			return ranges.concat(shareProportionally(key, keys, j, pos));
		}
	}
	// Units no piece claimed (characters a normaliser dropped at the end) go to the last piece
	// that covers anything, so the word stays covered.
	if (pos < key.length && ranges.length) {
		let last = ranges.length - 1;
		while (last > 0 && ranges[last][0] === ranges[last][1]) last--;
		for (let k = last; k < ranges.length; k++) ranges[k] = [ranges[k][0], key.length];
		for (let k = last + 1; k < ranges.length; k++) ranges[k] = [key.length, key.length];
	}
	return ranges;
}

function shareProportionally(key: string, keys: readonly (string | null)[], from: number, pos: number): [number, number][] {
	const weights = keys.slice(from).map((k) => (k === null ? 1 : Math.max(k.length, 0)));
	const total = weights.reduce((a, b) => a + b, 0) || 1;
	const available = key.length - pos;
	const ranges: [number, number][] = [];
	let cumulative = 0;
	let start = pos;
	weights.forEach((weight, i) => {
		cumulative += weight;
		const end = i === weights.length - 1 ? key.length : pos + Math.round((available * cumulative) / total);
		ranges.push([start, Math.max(start, end)]);
		start = Math.max(start, end);
	});
	return ranges;
}

/**
 * Unit ranges -> code points. A character whose key is empty (a combining mark, a control
 * character) stays with the character before it; a character split over several pieces (an
 * emoji in byte-level BPE) belongs to the first piece that touches it.
 */
function unitsToCodePoints(units: readonly [number, number][], unitStart: readonly number[], n: number): PieceRange[] {
	// Boundaries a range may start or end at: the word start, the end, and each character with units.
	const boundaries: number[] = [0];
	for (let c = 1; c < n; c++) if (unitStart[c + 1] > unitStart[c]) boundaries.push(c);
	boundaries.push(n);
	let pointer = 0;
	const ceil = (u: number): number => {
		while (pointer > 0 && unitStart[boundaries[pointer - 1]] >= u) pointer--;
		while (pointer < boundaries.length - 1 && unitStart[boundaries[pointer]] < u) pointer++;
		return boundaries[pointer];
	};
	const ranges = units.map(([start, end]) => {
		const s = start === 0 ? 0 : ceil(start);
		return { start: s, end: Math.max(s, ceil(end)) };
	});
	if (ranges.length) {
		ranges[ranges.length - 1].end = n;
		// A word whose every character folds to nothing: the first piece takes it.
		if (unitStart[n] === 0) ranges.forEach((range, i) => ((range.start = i === 0 ? 0 : n), (range.end = n)));
	}
	return ranges;
}

/** Pieces of every word aligned to absolute code-point offsets of the text. */
export function alignPiecesToText(words: readonly Token[], piecesPerWord: readonly (readonly string[])[], conventions: PieceConventions): PieceRange[][] {
	return words.map((word, i) =>
		alignPiecesToWord(word.text, piecesPerWord[i], conventions).map((range) => ({ start: word.start + range.start, end: word.start + range.end }))
	);
}
