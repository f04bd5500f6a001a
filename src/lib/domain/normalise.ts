// Unicode and line-ending normalisation applied to every imported text before cleaning.
// Typographic characters (« » ’ NBSP, narrow NBSP) are meaningful in French and are kept.

/** NFC, `\r\n` and `\r` to `\n`, no BOM, no trailing spaces on lines. */
export function normaliseText(text: string): string {
	return text
		.replace(/^\uFEFF/, '')
		.replace(/\r\n?/g, '\n')
		.normalize('NFC')
		.replace(/[ \t]+$/gm, '');
}

/**
 * What normaliseText would change in `text`, the first change in words (`line 3 ends with a space
 * or tab`), or null when it would change nothing. Lines are the text's own, counted from 1.
 */
export function describeNormalisation(text: string): string | null {
	if (normaliseText(text) === text) return null;
	if (text.startsWith('\uFEFF')) return 'the text starts with a byte order mark (U+FEFF)';
	// normaliseText's `$` also ends a line at \r, U+2028 and U+2029.
	const lines = text.split(/\n|\u2028|\u2029/);
	for (const [i, line] of lines.entries()) {
		if (line.includes('\r')) return `line ${i + 1} of the text has a carriage return (\\r)`;
		if (line.normalize('NFC') !== line) return `line ${i + 1} of the text is not in NFC`;
		if (/[ \t]$/.test(line)) return `line ${i + 1} of the text ends with a space or tab`;
	}
	return 'the text is not in NFC';
}

/** Collapses runs of blank lines into one paragraph break and trims the ends. */
export function normaliseParagraphs(text: string): string {
	return text.replace(/\n{3,}/g, '\n\n').trim();
}
