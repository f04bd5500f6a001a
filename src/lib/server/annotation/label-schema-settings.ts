// Saving a project's label schema from the settings page. The schema is JSON on the project (no
// migration); what it must not do is orphan stored spans: an entity label, quote kind or stance
// polarity still used by some set cannot be removed or renamed, or later saves of that set
// would be refused.
import type { Db } from '../db/client';
import { updateLabelSchema } from '../db/projects';
import { labelSchemaSchema, type LabelSchema } from '../../domain/label-schema';

export type LabelSchemaResult = { ok: true; labelSchema: LabelSchema } | { ok: false; message: string; details: string[] };

export function saveLabelSchema(db: Db, projectId: number, input: unknown): LabelSchemaResult {
	const parsed = labelSchemaSchema.safeParse(input);
	if (!parsed.success) {
		return { ok: false, message: 'Schéma invalide.', details: parsed.error.issues.map((issue) => `${issue.path.length ? `${describePath(issue.path)} : ` : ''}${issue.message}`) };
	}
	const schema = parsed.data;
	const details: string[] = [];
	const usage = (sql: string) => db.$client.prepare(sql).all(projectId) as { value: string; n: number }[];
	const join = `FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id JOIN documents d ON d.id = s.document_id WHERE d.project_id = ?`;
	const labels = new Set(schema.entityLabels.map((label) => label.name));
	for (const { value, n } of usage(`SELECT sp.label AS value, COUNT(*) AS n ${join} AND sp.layer = 'entity' GROUP BY sp.label`)) {
		if (!labels.has(value)) details.push(`l’étiquette ${value} est utilisée par ${n} entité(s)`);
	}
	for (const { value, n } of usage(`SELECT json_extract(sp.attributes, '$.kind') AS value, COUNT(*) AS n ${join} AND sp.layer = 'quote' AND value IS NOT NULL GROUP BY value`)) {
		if (!schema.quoteKinds.includes(value)) details.push(`le type de citation « ${value} » est utilisé par ${n} citation(s)`);
	}
	for (const { value, n } of usage(`SELECT json_extract(sp.attributes, '$.polarity') AS value, COUNT(*) AS n ${join} AND sp.layer = 'stance' AND value IS NOT NULL GROUP BY value`)) {
		if (!schema.stancePolarities.includes(value)) details.push(`la polarité « ${value} » est utilisée par ${n} position(s)`);
	}
	if (details.length) return { ok: false, message: 'Ces valeurs sont encore utilisées : gardez-les ou corrigez d’abord les annotations.', details };
	return { ok: true, labelSchema: updateLabelSchema(db, projectId, schema).labelSchema };
}

const FIELD_NAMES: Record<string, string> = {
	entityLabels: 'étiquettes',
	quoteKinds: 'types de citation',
	stancePolarities: 'polarités',
	stanceTargets: 'cibles',
	personTitles: 'titres de personne',
	name: 'nom',
	description: 'description',
	colour: 'couleur',
	hotkey: 'raccourci'
};

/** `entityLabels.2.hotkey` as the form shows it: `étiquette 3, raccourci`. */
function describePath(path: readonly PropertyKey[]): string {
	const [group, index, field] = path;
	if (group === 'entityLabels' && typeof index === 'number') return `étiquette ${index + 1}${field ? `, ${FIELD_NAMES[String(field)] ?? String(field)}` : ''}`;
	return path.map((part) => (typeof part === 'number' ? `n° ${part + 1}` : (FIELD_NAMES[String(part)] ?? String(part)))).join(', ');
}
