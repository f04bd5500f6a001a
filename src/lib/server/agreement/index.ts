// Reads annotators' sets from the database into the pure agreement figures.
import type { Db } from '../db/client';
import { computeDocumentAgreement, computeProjectAgreement, type AgreementSpan, type DocumentAgreement, type DocumentSets, type ProjectAgreement } from '../../domain/agreement';

export interface AgreementOptions {
	/** Count sets that are not marked done yet (default: only finished work is compared). */
	includeUnfinished?: boolean;
	/** Only this document. */
	documentId?: number;
}

interface SpanRow {
	documentId: number;
	externalId: string;
	title: string;
	owner: string;
	spanId: number | null;
	layer: string;
	start: number;
	end: number;
	label: string;
	polarity: string | null;
	speakerStart: number | null;
	speakerEnd: number | null;
}

/** Every annotator set of the project (or one document) as agreement input. */
export function loadAnnotatorSets(db: Db, projectId: number, options: AgreementOptions = {}): DocumentSets[] {
	const statusFilter = options.includeUnfinished ? '' : ` AND s.status = 'done'`;
	const documentFilter = options.documentId === undefined ? '' : ' AND d.id = ?';
	const rows = db.$client
		.prepare(
			`SELECT d.id AS documentId, d.external_id AS externalId, d.title, s.owner, sp.id AS spanId, sp.layer, sp.start, sp."end" AS "end", sp.label,
			        json_extract(sp.attributes, '$.polarity') AS polarity,
			        speaker.start AS speakerStart, speaker."end" AS speakerEnd
			   FROM documents d
			   JOIN annotation_sets s ON s.document_id = d.id AND s.owner_kind = 'annotator'${statusFilter}
			   LEFT JOIN spans sp ON sp.set_id = s.id
			   LEFT JOIN links l ON l.from_span_id = sp.id AND l.kind = 'speaker'
			   LEFT JOIN spans speaker ON speaker.id = l.to_span_id
			  WHERE d.project_id = ?${documentFilter}
			  ORDER BY d.id, s.owner, sp.start, sp."end"`
		)
		.all(...(options.documentId === undefined ? [projectId] : [projectId, options.documentId])) as SpanRow[];
	const documents = new Map<number, { externalId: string; title: string; sets: Map<string, AgreementSpan[]> }>();
	for (const row of rows) {
		let document = documents.get(row.documentId);
		if (!document) documents.set(row.documentId, (document = { externalId: row.externalId, title: row.title, sets: new Map() }));
		let spans = document.sets.get(row.owner);
		if (!spans) document.sets.set(row.owner, (spans = []));
		if (row.spanId === null) continue;
		spans.push({
			layer: row.layer,
			start: row.start,
			end: row.end,
			label: row.label,
			polarity: row.polarity,
			speaker: row.speakerStart === null ? null : { start: row.speakerStart, end: row.speakerEnd! }
		});
	}
	return [...documents].map(([documentId, document]) => ({
		documentId,
		externalId: document.externalId,
		title: document.title,
		sets: [...document.sets].map(([annotator, spans]) => ({ annotator, spans }))
	}));
}

export function computeAgreementForProject(db: Db, projectId: number, options: AgreementOptions = {}): ProjectAgreement {
	return computeProjectAgreement(loadAnnotatorSets(db, projectId, options));
}

export function computeAgreementForDocument(db: Db, projectId: number, documentId: number, options: AgreementOptions = {}): DocumentAgreement | null {
	const [document] = loadAnnotatorSets(db, projectId, { ...options, documentId });
	return document ? computeDocumentAgreement(document) : null;
}
