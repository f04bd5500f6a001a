// Cleans a scraped text page: takes the title, drops boilerplate lines by named rules (see
// rules.ts), keeps every other line as a paragraph, and reports which rules fired where.
import { normaliseParagraphs, normaliseText } from '../normalise';
import { LINE_RULES, MIN_REPEATED_CAPTION_LENGTH, OTHER_SCRIPT_THRESHOLD } from './rules';

export interface DroppedLine {
	rule: string;
	/** 1-based line number in the raw page. */
	line: number;
	text: string;
}

export interface CleaningReport {
	/** Rule names that fired at least once, in rule order. */
	rules: string[];
	dropped: DroppedLine[];
}

export interface CleanedPage {
	title: string;
	text: string;
	report: CleaningReport;
}

/** Cleans a plain-text page whose first non-empty line is the title. */
export function cleanTextPage(raw: string): CleanedPage {
	const lines = normaliseText(raw).split('\n');
	const titleIndex = lines.findIndex((line) => line.trim() !== '');
	if (titleIndex === -1) return { title: '', text: '', report: { rules: [], dropped: [] } };
	const title = lines[titleIndex].trim();
	const body = lines.slice(titleIndex + 1).map((text, i) => ({ text, line: titleIndex + 2 + i }));
	const { kept, report } = dropBoilerplate(body);
	return { title, text: kept.join('\n\n'), report };
}

/** Applies the line rules to numbered lines; exported for tests and for pages without a title. */
export function dropBoilerplate(lines: { text: string; line: number }[]): { kept: string[]; report: CleaningReport } {
	const kept: string[] = [];
	const dropped: DroppedLine[] = [];
	const creditLines: string[] = [];
	for (const { text, line } of lines) {
		const trimmed = text.trim();
		if (trimmed === '') continue;
		const rule = matchRule(trimmed, creditLines);
		if (rule) {
			dropped.push({ rule, line, text: trimmed });
			if (rule === 'photo-credit') creditLines.push(trimmed);
		} else {
			kept.push(trimmed);
		}
	}
	const fired = new Set(dropped.map((d) => d.rule));
	const order = [...LINE_RULES.map((r) => r.name), 'repeated-caption', 'other-script'];
	return { kept, report: { rules: order.filter((name) => fired.has(name)), dropped } };
}

function matchRule(line: string, creditLines: readonly string[]): string | null {
	for (const rule of LINE_RULES) if (rule.pattern.test(line)) return rule.name;
	if (isRepeatedCaption(line, creditLines)) return 'repeated-caption';
	if (isOtherScript(line)) return 'other-script';
	return null;
}

/**
 * A caption printed again under the photo, usually with the outlet's name appended
 * (`… lors de leur réunion - Sputnik Afrique`): its text already stands in a credit line.
 */
function isRepeatedCaption(line: string, creditLines: readonly string[]): boolean {
	const withoutSuffix = line.replace(/\s+[-–—|]\s+[\p{Lu}][\p{L} .’'-]{1,40}$/u, '');
	if (withoutSuffix.length < MIN_REPEATED_CAPTION_LENGTH) return false;
	return creditLines.some((credit) => credit.includes(withoutSuffix));
}

/** Lines written mostly in another script (Cyrillic, Arabic, CJK…): untranslated UI strings. */
function isOtherScript(line: string): boolean {
	const letters = line.match(/\p{L}/gu);
	if (!letters || letters.length < 3) return false;
	const latin = line.match(/\p{Script=Latin}/gu)?.length ?? 0;
	return 1 - latin / letters.length > OTHER_SCRIPT_THRESHOLD;
}

/** Normalisation only, for texts that arrive already clean (JSONL records). */
export function normaliseRecordText(raw: string): string {
	return normaliseParagraphs(normaliseText(raw));
}

export { LINE_RULES } from './rules';
