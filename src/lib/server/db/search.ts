// The one module that uses SQLite's FTS5 (see drizzle/0001_full_text_search.sql). Swapping the
// database for PostgreSQL means rewriting this file only.

/**
 * Turns what a user typed into a safe FTS5 query: each word becomes a quoted prefix term, all
 * required. Operators and quotes typed by the user are treated as text, never as syntax.
 */
export function toFtsQuery(input: string): string | null {
	const words = input
		.normalize('NFC')
		.split(/[^\p{L}\p{N}]+/u)
		.filter((word) => word.length > 0)
		.slice(0, 16);
	if (words.length === 0) return null;
	return words.map((word) => `"${word}"*`).join(' ');
}

/** SQL fragment selecting matching document ids, to be used as `id IN (…)` with the query bound. */
export const FTS_MATCH_IDS = 'SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?';
