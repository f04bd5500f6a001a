// The model and style of the scripts that run the NER model, checked before it loads: a name that
// is not there is a usage error (exit 2) that lists what is there, whether it came from --model /
// --style or from NER_MODEL / NER_STYLE. A model that is there but cannot be loaded stays a failure (exit 1).
import type { NerModelSettings } from '../../src/lib/server/ner/model';
import { describeNerChoiceProblem, findNerChoiceProblem, type NerChoiceProblem } from '../../src/lib/server/ner/registry';
import { fail } from './cli';

export function checkNerChoices(prefix: string, settings: NerModelSettings, given: { model?: string; style?: string }): void {
	let problem: NerChoiceProblem | null;
	try {
		problem = findNerChoiceProblem(settings);
	} catch (error) {
		fail(prefix, (error as Error).message);
	}
	if (!problem) return;
	const name = problem.setting === 'model' ? (given.model !== undefined ? '--model' : 'NER_MODEL') : given.style !== undefined ? '--style' : 'NER_STYLE';
	fail(prefix, describeNerChoiceProblem(problem, name, settings), 2);
}
