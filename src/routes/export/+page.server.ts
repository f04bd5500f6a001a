import { formatExportCommand, parseExportOptions, rawOptionsFromQuery } from '$lib/domain/export/options';
import { downloadFileName, listExportableOwners, partNames, previewExport } from '$lib/server/export';
import type { PageServerLoad } from './$types';

// A GET form: the chosen options live in the URL, so a download link can be shared or bookmarked.
export const load: PageServerLoad = ({ url, locals }) => {
	const owners = listExportableOwners(locals.db, locals.project.id);
	const submitted = url.searchParams.has('format');
	const layers = submitted ? url.searchParams.getAll('layers') : ['entity', 'quote', 'stance'];
	const parsed = parseExportOptions(submitted ? rawOptionsFromQuery(url.searchParams) : {});
	const values = Object.fromEntries(url.searchParams);
	const entityLabels = locals.project.labelSchema.entityLabels.map((label) => label.name);
	if (!parsed.ok) return { owners, submitted, values, layers, entityLabels, errors: parsed.errors, downloads: [], command: null, preview: null };
	const { options } = parsed;
	const query = url.searchParams.toString();
	// Documents per part before any download: an empty selection is said, not served as an empty file.
	const preview = submitted ? previewExport(locals.db, locals.project, options) : null;
	const downloads = submitted && preview && preview.documents > 0
		? [...partNames(options), 'manifest'].map((part) => ({
				part,
				name: downloadFileName(locals.project, options, part),
				documents: part === 'manifest' ? null : preview.parts[part],
				href: `/export/download?${query}&part=${encodeURIComponent(part)}`
			}))
		: [];
	return {
		owners,
		submitted,
		values,
		layers,
		entityLabels,
		errors: [] as string[],
		preview,
		options,
		downloads,
		command: formatExportCommand(options, options.split ? 'corpus/' : `corpus.${options.format === 'conll' ? 'conll' : 'jsonl'}${options.gzip ? '.gz' : ''}`)
	};
};
