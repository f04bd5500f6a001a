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

/** Collapses runs of blank lines into one paragraph break and trims the ends. */
export function normaliseParagraphs(text: string): string {
	return text.replace(/\n{3,}/g, '\n\n').trim();
}
