// Finds known surface forms in a text: whole tokens only (never inside a word), case- and
// accent-exact, longest match first, never overlapping. Shared by the entity memory and the
// gazetteers, so both cut text exactly as the tokeniser does (`l’Otan` matches `Otan`).
import { OffsetIndex } from '../offsets';
import { tokenizeWords, type Token } from '../tokens';

export interface SurfaceMatch<T> {
	start: number;
	end: number;
	surface: string;
	value: T;
	/** Index of the first matched token, for context rules (the word before). */
	tokenIndex: number;
}

interface Candidate<T> {
	surface: string;
	value: T;
}

const ELIDED_FIRST = /^(?:[lLdDjJmMnNsStTcC]|[Qq]u)['’](?=\p{L})/u;
const WORD_FIRST = /^[\p{L}\p{M}\p{N}]+(?:['’.][\p{L}\p{M}\p{N}]+)*/u;

/**
 * The first token of a form, as tokenizeWords would cut it in running text. Computed with a
 * regular expression because building a gazetteer adds tens of thousands of forms; where it
 * disagrees with the tokeniser the form simply never matches (matches are verified on tokens).
 */
function firstToken(surface: string): string {
	return ELIDED_FIRST.exec(surface)?.[0] ?? WORD_FIRST.exec(surface)?.[0] ?? String.fromCodePoint(surface.codePointAt(0)!);
}

export class SurfaceMatcher<T> {
	private readonly byFirstToken = new Map<string, Candidate<T>[]>();
	private count = 0;

	/** Adds a form; a form already present keeps its first value. */
	add(surface: string, value: T): void {
		const normalised = surface.normalize('NFC').trim();
		if (normalised === '') return;
		const key = firstToken(normalised);
		const list = this.byFirstToken.get(key);
		if (!list) {
			this.byFirstToken.set(key, [{ surface: normalised, value }]);
		} else {
			if (list.some((c) => c.surface === normalised)) return;
			list.push({ surface: normalised, value });
			list.sort((a, b) => b.surface.length - a.surface.length);
		}
		this.count++;
	}

	delete(surface: string): void {
		const normalised = surface.normalize('NFC').trim();
		const list = this.byFirstToken.get(firstToken(normalised));
		const at = list?.findIndex((c) => c.surface === normalised) ?? -1;
		if (list && at >= 0) {
			list.splice(at, 1);
			this.count--;
		}
	}

	get size(): number {
		return this.count;
	}

	/**
	 * Every non-overlapping match in `text`, left to right, preferring the longest at each position.
	 * A form `accept` refuses is passed over as if absent, so a shorter form there can still match.
	 */
	match(text: string, tokens?: Token[], accept?: (value: T) => boolean): SurfaceMatch<T>[] {
		const index = new OffsetIndex(text);
		const words = tokens ?? tokenizeWords(text, index);
		const tokenEndingAt = new Map<number, number>();
		words.forEach((token, i) => tokenEndingAt.set(token.end, i));
		const matches: SurfaceMatch<T>[] = [];
		for (let i = 0; i < words.length; i++) {
			const candidates = this.byFirstToken.get(words[i].text);
			if (!candidates) continue;
			const unitStart = index.toUtf16(words[i].start);
			for (const candidate of candidates) {
				if (!text.startsWith(candidate.surface, unitStart)) continue;
				const end = index.toCodePoint(unitStart + candidate.surface.length);
				const last = tokenEndingAt.get(end);
				if (last === undefined || last < i) continue;
				if (accept && !accept(candidate.value)) continue;
				matches.push({ start: words[i].start, end, surface: candidate.surface, value: candidate.value, tokenIndex: i });
				i = last;
				break;
			}
		}
		return matches;
	}
}
