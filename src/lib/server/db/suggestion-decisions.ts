// What annotators did with each source's suggestions: accepted as they were, edited, rejected, or
// ignored (left untaken in a document marked done), per source (model id@revision, rules, memory, gazetteer) and label. Tells a team which source
// to trust.
import type { Db } from './client';

export interface DecisionSummary {
	source: string;
	layer: string;
	label: string;
	accepted: number;
	edited: number;
	rejected: number;
	/** Left untaken in documents marked done. */
	ignored: number;
	total: number;
	/** accepted / total: the share of the source's decided suggestions kept as they were */
	acceptanceRate: number;
}

export function summariseDecisions(db: Db, projectId: number): DecisionSummary[] {
	const rows = db.$client
		.prepare(
			`SELECT sd.provenance AS source, sd.layer, sd.label,
			        SUM(sd.decision = 'accepted') AS accepted, SUM(sd.decision = 'edited') AS edited,
			        SUM(sd.decision = 'rejected') AS rejected, SUM(sd.decision = 'ignored') AS ignored, COUNT(*) AS total
			   FROM suggestion_decisions sd
			   JOIN annotation_sets s ON s.id = sd.set_id JOIN documents d ON d.id = s.document_id
			  WHERE d.project_id = ?
			  GROUP BY sd.provenance, sd.layer, sd.label
			  ORDER BY sd.provenance, sd.layer, total DESC`
		)
		.all(projectId) as Omit<DecisionSummary, 'acceptanceRate'>[];
	return rows.map((row) => ({ ...row, acceptanceRate: row.total ? row.accepted / row.total : 0 }));
}
