// A project's label schema: project configuration, stored as JSON, editable without a migration.
// Its messages are French: the schema is edited on the settings page (Schéma).
import { z } from 'zod';
import { PERSON_TITLE_CONVENTIONS } from './ner/person-titles';

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'une couleur s’écrit #rrggbb');

export const entityLabelSchema = z.object({
	name: z.string().regex(/^[A-Z][A-Z0-9_-]{0,31}$/, 'un nom d’étiquette s’écrit en majuscules, par ex. PER'),
	description: z.string().default(''),
	colour: hexColour,
	hotkey: z.string().regex(/^[1-9]$/, 'un raccourci est un chiffre de 1 à 9')
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
