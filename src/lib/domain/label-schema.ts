// A project's label schema: project configuration, stored as JSON, editable without a migration.
// Its messages are French: the schema is edited on the settings page (Schéma).
import { z } from 'zod';
import { PERSON_TITLE_CONVENTIONS } from './ner/person-titles';

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'une couleur s’écrit #rrggbb');

export const entityLabelSchema = z.object({
	name: z.string().regex(/^[A-Z][A-Z0-9_-]{0,31}$/, 'un nom d’étiquette s’écrit en majuscules, par ex. PER'),
	description: z.string().default(''),
	colour: hexColour,
	hotkey: z.string().regex(/^[1-9]$/, 'un raccourci est un chiffre de 1 à 9'),
	/**
	 * The names this label had before it was renamed on the settings page (`PER` for a label now
	 * called `PERS`): what still produces an old name (the model, the gazetteers, the quote rules'
	 * idea of a person) lands on this label. Kept by the save, not typed by anyone.
	 */
	formerNames: z.array(z.string()).optional()
});

export const labelSchemaSchema = z
	.object({
		entityLabels: z.array(entityLabelSchema).min(1).max(9),
		quoteKinds: z.array(z.string().min(1)).min(1),
		stancePolarities: z.array(z.string().min(1)).min(1),
		stanceTargets: z.array(z.string().min(1)).default([]),
		/** Whether a person span carries its title (`M. Lavrov`) or not (`Lavrov`, the default); model suggestions follow it. */
		personTitles: z.enum(PERSON_TITLE_CONVENTIONS).default('exclude')
	})
	.superRefine((schema, ctx) => {
		const seen = new Set<string>();
		const labelOfKey = new Map<string, string>();
		for (const label of schema.entityLabels) {
			if (seen.has(label.name)) ctx.addIssue({ code: 'custom', message: `l’étiquette ${label.name} figure deux fois` });
			const other = labelOfKey.get(label.hotkey);
			if (other !== undefined) ctx.addIssue({ code: 'custom', message: `le raccourci ${label.hotkey} sert à deux étiquettes (${other} et ${label.name})` });
			seen.add(label.name);
			labelOfKey.set(label.hotkey, label.name);
		}
	});

/**
 * The labels Guillemet's own rules know by name (the default schema's): person titles and quote
 * speakers look for persons, the gazetteers suggest places. Renamed in a project, they are found
 * through `projectLabelFor`.
 */
export const PERSON_LABEL = 'PER';
export const PLACE_LABEL = 'LOC';
export const ORGANISATION_LABEL = 'ORG';

export type EntityLabel = z.infer<typeof entityLabelSchema>;
export type LabelSchema = z.infer<typeof labelSchemaSchema>;

export const DEFAULT_LABEL_SCHEMA: LabelSchema = {
	entityLabels: [
		{ name: 'PER', description: 'Personne', colour: '#c2410c', hotkey: '1' },
		{ name: 'LOC', description: 'Lieu', colour: '#15803d', hotkey: '2' },
		{ name: 'ORG', description: 'Organisation', colour: '#1d4ed8', hotkey: '3' },
		{ name: 'MISC', description: 'Divers (événements, œuvres…)', colour: '#7e22ce', hotkey: '4' }
	],
	quoteKinds: ['direct', 'indirect'],
	stancePolarities: ['favor', 'against', 'neutral'],
	stanceTargets: [],
	personTitles: 'exclude'
};

export function entityLabelNames(schema: LabelSchema): string[] {
	return schema.entityLabels.map((label) => label.name);
}

/**
 * The project label a name stands for: the label of that name, else the one renamed from it; none
 * when the project has neither (the name's suggestions are then dropped).
 */
export function projectLabelFor(schema: LabelSchema, name: string): string | undefined {
	if (schema.entityLabels.some((label) => label.name === name)) return name;
	return schema.entityLabels.find((label) => label.formerNames?.includes(name))?.name;
}

/**
 * `next` with each label's former names carried over from `previous`: those of the label of the
 * same name, and for a rename `from → to`, `from` and its own former names. A name some label now
 * carries is nobody's former name (renaming back drops it; see `formerNamesTaken` for the others).
 */
export function carryFormerNames(previous: LabelSchema | undefined, next: LabelSchema, renames: readonly (readonly [string, string])[]): LabelSchema {
	const formerOf = (name: string) => previous?.entityLabels.find((label) => label.name === name)?.formerNames ?? [];
	const currentNames = new Set(next.entityLabels.map((label) => label.name));
	return {
		...next,
		entityLabels: next.entityLabels.map((label) => {
			const renamedFrom = renames.filter(([, to]) => to === label.name).flatMap(([from]) => [from, ...formerOf(from)]);
			const names = [...new Set([...(label.formerNames ?? []), ...formerOf(label.name), ...renamedFrom])].filter((name) => !currentNames.has(name));
			const { formerNames: _, ...rest } = label;
			return names.length ? { ...rest, formerNames: names } : rest;
		})
	};
}

/**
 * Former names another label would take (`ORG` renamed `LOC` while `LIEU` was once `LOC`): what the
 * model, the gazetteers and the rules produce under that name would go to the new holder from then
 * on, not to the label it has gone to so far, so the save asks the admin first (see
 * `describeFormerNameTaken`). Renaming a label back to its own former name is not one, nor taking
 * the former name of a label the same save removes (nothing goes to it any more).
 */
export function formerNamesTaken(previous: LabelSchema | undefined, next: LabelSchema, renames: readonly (readonly [string, string])[]): { name: string; formerlyOf: string }[] {
	const renamedTo = new Map(renames);
	const nextNames = new Set(next.entityLabels.map((label) => label.name));
	return (previous?.entityLabels ?? []).flatMap((label) => {
		const holder = renamedTo.get(label.name) ?? label.name;
		if (!nextNames.has(holder)) return [];
		return (label.formerNames ?? []).filter((name) => nextNames.has(name) && holder !== name).map((name) => ({ name, formerlyOf: holder }));
	});
}

/** Why a save that would take another label's former name is held back, and how to go on. */
export function describeFormerNameTaken(taken: { name: string; formerlyOf: string }): string {
	return (
		`${taken.name} est l’ancien nom de ${taken.formerlyOf} : ce que le modèle, les gazetteers et les règles de citation produisent sous ${taken.name} va à ${taken.formerlyOf}. ` +
		`Choisissez un autre nom, ou cochez « Donner l’ancien nom ${taken.name} à la nouvelle étiquette ${taken.name} » pour que cela aille désormais à ${taken.name}, plus à ${taken.formerlyOf}.`
	);
}

/** Every former name → the label that now carries it (see `projectLabelFor`). */
export function formerLabelNames(schema: LabelSchema): Record<string, string> {
	const map: Record<string, string> = {};
	for (const label of schema.entityLabels) for (const former of label.formerNames ?? []) map[former] ??= label.name;
	return map;
}
