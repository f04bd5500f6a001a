// BIO (IOB2) tagging of tokens from entity spans, and the two token flavours built on it:
// `{"id","tokens","ner_tags"}` records (HF datasets) and CoNLL columns.
import type { Sentence, Token } from '../tokens';

export interface EntityOffsets {
	start: number;
	end: number;
	label: string;
}

export interface TaggedTokens {
	tags: string[];
	/** Entities whose edges fall inside a token: tagged by overlap, so the tag covers more text. */
	offBoundary: number;
}

/**
 * IOB2 tags for `tokens` (sorted, non-overlapping): a token overlapping an entity gets B- if it
 * is the first such token of that entity, I- otherwise; other tokens get O. Entities are sorted
 * and may not overlap (the span rules forbid it); should two overlap, the earlier one wins.
 */
export function tagTokens(tokens: readonly Pick<Token, 'start' | 'end'>[], entities: readonly EntityOffsets[]): TaggedTokens {
	const sorted = [...entities].sort((a, b) => a.start - b.start || a.end - b.end);
	const tags = new Array<string>(tokens.length).fill('O');
	let offBoundary = 0;
	let t = 0;
	for (const entity of sorted) {
		while (t < tokens.length && tokens[t].end <= entity.start) t++;
		let first = true;
		let k = t;
		let startsOnToken = false;
		let endsOnToken = false;
		while (k < tokens.length && tokens[k].start < entity.end) {
			if (tags[k] === 'O') {
				tags[k] = `${first ? 'B' : 'I'}-${entity.label}`;
				first = false;
			}
			if (tokens[k].start === entity.start) startsOnToken = true;
			if (tokens[k].end === entity.end) endsOnToken = true;
			k++;
		}
		if (!startsOnToken || !endsOnToken) offBoundary++;
	}
	return { tags, offBoundary };
}

/** The first problem of an IOB2 sequence, or null: I-X must follow B-X or I-X. */
export function findBioProblem(tags: readonly string[]): { index: number; message: string } | null {
	for (let i = 0; i < tags.length; i++) {
		const tag = tags[i];
		if (tag === 'O') continue;
		const match = /^([BI])-(\S+)$/.exec(tag);
		if (!match) return { index: i, message: `"${tag}" is not a BIO tag (O, B-LABEL or I-LABEL)` };
		if (match[1] === 'I') {
			const previous = i > 0 ? tags[i - 1] : 'O';
			if (previous !== `B-${match[2]}` && previous !== `I-${match[2]}`) {
				return { index: i, message: `"${tag}" follows "${previous}": an I- tag must continue a B- or I- of the same label` };
			}
		}
	}
	return null;
}

/** O, then B- and I- of each label in order: the ClassLabel names for `--tag-ids`. */
export function bioLabelList(entityLabels: readonly string[]): string[] {
	return ['O', ...entityLabels.flatMap((label) => [`B-${label}`, `I-${label}`])];
}

export interface BioRecord {
	id: string;
	tokens: string[];
	ner_tags: (string | number)[];
}

/**
 * Token records of one document: one per sentence (`id#n`, n from 1) or one for the document.
 * With `tagIds`, tags are indexes into `labelList` (an unknown tag is a broken invariant).
 */
export function formatBioRecords(
	id: string,
	sentences: readonly Sentence[],
	tags: readonly string[],
	unit: 'sentence' | 'document',
	labelList: readonly string[] | null
): BioRecord[] {
	const toOutput = (tag: string): string | number => {
		if (!labelList) return tag;
		const index = labelList.indexOf(tag);
		if (index < 0) throw new Error(`tag "${tag}" of "${id}" is not in the label list (${labelList.join(', ')})`);
		return index;
	};
	const records: BioRecord[] = [];
	let offset = 0;
	sentences.forEach((sentence, n) => {
		const sentenceTags = tags.slice(offset, offset + sentence.tokens.length);
		offset += sentence.tokens.length;
		if (unit === 'sentence') {
			records.push({ id: `${id}#${n + 1}`, tokens: sentence.tokens.map((t) => t.text), ner_tags: sentenceTags.map(toOutput) });
		}
	});
	if (unit === 'document') {
		records.push({ id, tokens: sentences.flatMap((s) => s.tokens.map((t) => t.text)), ner_tags: tags.map(toOutput) });
	}
	return records;
}

export const CONLL_DOCSTART = '-DOCSTART- -X- O O';

/**
 * CoNLL lines of one document: `-DOCSTART- -X- O O` and a blank line, then `token<TAB>tag` per
 * token with a blank line after each sentence. Ends with a newline.
 */
export function formatConllDocument(sentences: readonly Sentence[], tags: readonly string[]): string {
	const lines: string[] = [CONLL_DOCSTART, ''];
	let offset = 0;
	for (const sentence of sentences) {
		for (const token of sentence.tokens) lines.push(`${token.text}\t${tags[offset++]}`);
		lines.push('');
	}
	return lines.join('\n') + '\n';
}
