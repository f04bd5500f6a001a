import { error } from '@sveltejs/kit';
import { parseExportOptions, rawOptionsFromQuery } from '$lib/domain/export/options';
import { downloadFileName, partNames, streamExportPart } from '$lib/server/export';
import type { RequestHandler } from './$types';

const CONTENT_TYPES = { spans: 'application/x-ndjson', bio: 'application/x-ndjson', conll: 'text/plain' } as const;

/** Streams one part of an export (a split, `corpus`, or `manifest`) as an attachment. */
export const GET: RequestHandler = ({ url, locals }) => {
	const parsed = parseExportOptions(rawOptionsFromQuery(url.searchParams));
	if (!parsed.ok) error(400, parsed.errors.join(' ; '));
	const { options } = parsed;
	const part = url.searchParams.get('part') ?? partNames(options)[0];
	if (part !== 'manifest' && !partNames(options).includes(part)) {
		error(400, `Partie inconnue « ${part} » (attendu : ${[...partNames(options), 'manifest'].join(', ')})`);
	}
	const name = downloadFileName(locals.project, options, part);
	const type = part === 'manifest' ? 'application/json' : options.gzip ? 'application/gzip' : CONTENT_TYPES[options.format];
	const query = new URLSearchParams(url.searchParams);
	query.delete('part');
	const stream = streamExportPart(locals.db, locals.project, options, part, `download /export/download?${query}`);
	return new Response(stream, {
		headers: {
			'content-type': `${type}${type.startsWith('text/') || type.endsWith('json') || type.endsWith('ndjson') ? '; charset=utf-8' : ''}`,
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store'
		}
	});
};
