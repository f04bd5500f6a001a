// Entity-level evaluation of the pre-annotation path on {tokens, tags} sentences: each sentence's
// text is rebuilt (tokens joined by spaces, code-point offsets kept), run through annotateTexts
// exactly as a document would be (same words, pieces, windows and decoding), and compared on
// character offsets with the gold spans read from its BIO tags.
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createLabelResolver } from '../../domain/ner/labels';
import { bioTagsToSpans, EntityScorer, joinTokensWithOffsets, type LabelledSpan, type NerEvaluation } from '../../domain/ner/metrics';
import { annotateTexts, DEFAULT_BATCH_SIZE, type AnnotateOptions } from './annotate';
import type { NerModel } from './model';

export interface TaggedSentence {
	tokens: string[];
	tags: string[];
}

export interface EvaluationProblem {
	line: number;
	message: string;
}

/**
 * Reads a .jsonl or .jsonl.gz file of {tokens, tags}; bad lines are returned as problems. Each
 * line is decoded as strict UTF-8 (a BOM is dropped): a Latin-1 file would otherwise be scored
 * on words whose accented letters became U+FFFD, with no word of warning.
 */
export function readTaggedSentences(file: string, limit?: number): { sentences: TaggedSentence[]; problems: EvaluationProblem[] } {
	let bytes: Buffer = fs.readFileSync(file);
	if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
	const sentences: TaggedSentence[] = [];
	const problems: EvaluationProblem[] = [];
	const decoder = new TextDecoder('utf-8', { fatal: true });
	let start = 0;
	for (let i = 0; start < bytes.length && (limit === undefined || sentences.length < limit); i++) {
		const newline = bytes.indexOf(0x0a, start);
		const lineBytes = bytes.subarray(start, newline < 0 ? bytes.length : newline);
		start = newline < 0 ? bytes.length : newline + 1;
		let line: string;
		try {
			line = decoder.decode(lineBytes).trim();
		} catch {
			problems.push({ line: i + 1, message: 'not valid UTF-8: re-encode the file as UTF-8' });
			continue;
		}
		if (!line) continue;
		try {
			// The open datasets write `tags`; Guillemet's own `bio` export writes `ner_tags` (strings).
			const record = JSON.parse(line) as Partial<TaggedSentence> & { ner_tags?: unknown };
			const tags = record.tags ?? record.ner_tags;
			if (!Array.isArray(record.tokens) || !Array.isArray(tags) || record.tokens.length !== tags.length) {
				problems.push({ line: i + 1, message: 'expected {"tokens": [...], "tags" or "ner_tags": [...]} of the same length' });
			} else if (record.tokens.some((token) => typeof token !== 'string' || token.trim() === '')) {
				problems.push({ line: i + 1, message: 'a token is empty or not a string' });
			} else if (tags.some((tag) => typeof tag !== 'string')) {
				problems.push({ line: i + 1, message: 'tags must be strings such as B-PER (export with string tags, not --tag-ids)' });
			} else {
				sentences.push({ tokens: record.tokens, tags: tags as string[] });
			}
		} catch (error) {
			problems.push({ line: i + 1, message: `not JSON: ${(error as Error).message}` });
		}
	}
	return { sentences, problems };
}

export interface EvaluationResult extends NerEvaluation {
	sentences: number;
	words: number;
	seconds: number;
}

export async function evaluateNerModel(
	model: NerModel,
	sentences: readonly TaggedSentence[],
	options: {
		projectLabels: readonly string[];
		batchSize?: number;
		chunk?: number;
		decoding?: AnnotateOptions['decoding'];
		touching?: AnnotateOptions['touching'];
		personTitles?: AnnotateOptions['personTitles'];
		onProgress?: (done: number) => void;
		warn?: (message: string) => void;
	}
): Promise<EvaluationResult> {
	const started = performance.now();
	const resolver = createLabelResolver(model.id2label, { projectLabels: options.projectLabels, map: model.settings.labelMap, warn: options.warn });
	const scorer = new EntityScorer();
	const chunk = options.chunk ?? 64;
	let words = 0;
	for (let from = 0; from < sentences.length; from += chunk) {
		const slice = sentences.slice(from, from + chunk);
		const rebuilt = slice.map((sentence) => joinTokensWithOffsets(sentence.tokens));
		const annotations = await annotateTexts(
			model,
			rebuilt.map((r) => r.text),
			{ resolver, batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, decoding: options.decoding, touching: options.touching, personTitles: options.personTitles }
		);
		slice.forEach((sentence, i) => {
			const gold = bioTagsToSpans(sentence.tags, rebuilt[i].offsets);
			const predicted: LabelledSpan[] = annotations[i].spans.map(({ start, end, label }) => ({ start, end, label }));
			scorer.add(gold, predicted);
			words += sentence.tokens.length;
		});
		options.onProgress?.(Math.min(from + chunk, sentences.length));
	}
	return { ...scorer.report(), sentences: sentences.length, words, seconds: (performance.now() - started) / 1000 };
}
