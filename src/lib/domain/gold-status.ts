// How Relecture names the state of a document's gold set, on its list and on the document's page:
// a set that exists but that nobody has edited yet (revision 0) is not a review in progress.

export type GoldStage = 'not-started' | 'in-review' | 'reviewed';

export function goldStage(gold: { status: string; revision: number } | null | undefined): GoldStage {
	if (gold?.status === 'done') return 'reviewed';
	return gold && gold.revision > 0 ? 'in-review' : 'not-started';
}

export const GOLD_STAGE_LABELS: Record<GoldStage, string> = {
	'not-started': 'relecture pas commencée',
	'in-review': 'relecture en cours',
	reviewed: 'relecture terminée'
};
