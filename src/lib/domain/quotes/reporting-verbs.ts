// Reporting verbs ("verbes introducteurs") as DATA: each lemma with the forms the quote rules
// recognise. Regular -er and -ir verbs are conjugated by the two small generators below; the
// others list their forms. Only third-person forms are generated: news reports speech in the
// third person. To add a verb, add a line here and bump QUOTE_RULES_VERSION (see index.ts).
//
// Recognised shapes (built into one regular expression by `reportingCuePattern`):
//   simple      déclare, déclarent, déclarait, déclarera, déclara, déclarerait, (+ -t-il / -il inverted)
//   compound    a/ont/avait/avaient/aura/auront/aurait/auraient/eut déclaré(e)(s), a-t-il déclaré,
//               with up to two adverbs between ("a cependant déclaré", "a de nouveau affirmé")
//   pronominal  se réjouit, s'est réjoui(e), se sont félicités, s’était dit (both apostrophes)
//   gerund      en affirmant, ajoutant, disant (present participle, with or without "en")
//   insister    "a insisté sur le fait" — the complement is part of the cue
//   light verbs "vient d'annoncer", "a fait savoir" 

export interface ReportingVerb {
	lemma: string;
	/** Pronominal verbs report with "se"/"s'" (se réjouir, s'exclamer). */
	pronominal?: boolean;
	/** Irregular verbs list their finite forms, participle and present participle. */
	finite?: string[];
	participle?: string;
	presentParticiple?: string;
	/** Extra finite forms of a regular verb whose stem changes (répète, rappelle). */
	extraFinite?: string[];
}

/** The lemmas. Keep alphabetical within each group. */
export const REPORTING_VERBS: readonly ReportingVerb[] = [
	// -er verbs, conjugated by conjugateEr
	{ lemma: 'affirmer' },
	{ lemma: 'ajouter' },
	{ lemma: 'annoncer' },
	{ lemma: 'appuyer', extraFinite: ['appuie', 'appuient', 'appuyait', 'appuya'] },
	{ lemma: 'assurer' },
	{ lemma: 'avertir' },
	{ lemma: 'avouer' },
	{ lemma: 'clamer' },
	{ lemma: 'commenter' },
	{ lemma: 'communiquer' },
	{ lemma: 'confier' },
	{ lemma: 'confirmer' },
	{ lemma: 'considérer', extraFinite: ['considère', 'considèrent'] },
	{ lemma: 'constater' },
	{ lemma: 'déclarer' },
	{ lemma: 'déplorer' },
	{ lemma: 'dénoncer' },
	{ lemma: 'demander' },
	{ lemma: 'détailler' },
	{ lemma: 'déterminer' },
	{ lemma: 'dévoiler' },
	{ lemma: 'écrier', pronominal: true },
	{ lemma: 'espérer', extraFinite: ['espère', 'espèrent'] },
	{ lemma: 'estimer' },
	{ lemma: 'exclamer', pronominal: true },
	{ lemma: 'évoquer' },
	{ lemma: 'expliquer' },
	{ lemma: 'féliciter', pronominal: true },
	{ lemma: 'indiquer' },
	{ lemma: 'inquiéter', pronominal: true, extraFinite: ['inquiète', 'inquiètent'] },
	{ lemma: 'insister' },
	{ lemma: 'interroger', pronominal: true },
	{ lemma: 'juger' },
	{ lemma: 'lâcher' },
	{ lemma: 'lancer' },
	{ lemma: 'marteler', extraFinite: ['martèle', 'martèlent'] },
	{ lemma: 'mentionner' },
	{ lemma: 'noter' },
	{ lemma: 'observer' },
	{ lemma: 'penser' },
	{ lemma: 'plaider' },
	{ lemma: 'préciser' },
	{ lemma: 'prévenir', finite: ['prévient', 'préviennent', 'prévenait', 'prévenaient', 'préviendra', 'préviendront', 'prévint', 'prévinrent', 'préviendrait', 'préviendraient'], participle: 'prévenu', presentParticiple: 'prévenant' },
	{ lemma: 'proclamer' },
	{ lemma: 'raconter' },
	{ lemma: 'rappeler', extraFinite: ['rappelle', 'rappellent', 'rappellera', 'rappelleront', 'rappellerait', 'rappelleraient'] },
	{ lemma: 'réclamer' },
	{ lemma: 'rapporter' },
	{ lemma: 'regretter' },
	{ lemma: 'relever', extraFinite: ['relève', 'relèvent'] },
	{ lemma: 'remarquer' },
	{ lemma: 'répéter', extraFinite: ['répète', 'répètent'] },
	{ lemma: 'répliquer' },
	{ lemma: 'résumer' },
	{ lemma: 'rétorquer' },
	{ lemma: 'révéler', extraFinite: ['révèle', 'révèlent'] },
	{ lemma: 'signaler' },
	{ lemma: 'souligner' },
	{ lemma: 'témoigner' },
	{ lemma: 'tweeter' },
	// -ir verbs (second group), conjugated by conjugateIr
	{ lemma: 'garantir' },
	{ lemma: 'réagir' },
	{ lemma: 'réjouir', pronominal: true },
	// irregular verbs
	{ lemma: 'admettre', finite: ['admet', 'admettent', 'admettait', 'admettaient', 'admettra', 'admettront', 'admit', 'admirent', 'admettrait', 'admettraient'], participle: 'admis', presentParticiple: 'admettant' },
	{ lemma: 'conclure', finite: ['conclut', 'concluent', 'concluait', 'concluaient', 'conclura', 'concluront', 'conclurent', 'conclurait', 'concluraient'], participle: 'conclu', presentParticiple: 'concluant' },
	{ lemma: 'craindre', finite: ['craint', 'craignent', 'craignait', 'craignaient', 'craindra', 'craindront', 'craignit', 'craignirent', 'craindrait', 'craindraient'], participle: 'craint', presentParticiple: 'craignant' },
	{ lemma: 'croire', finite: ['croit', 'croient', 'croyait', 'croyaient', 'croira', 'croiront', 'crut', 'crurent', 'croirait', 'croiraient'], participle: 'cru', presentParticiple: 'croyant' },
	{ lemma: 'démentir', finite: ['dément', 'démentent', 'démentait', 'démentaient', 'démentira', 'démentiront', 'démentit', 'démentirent', 'démentirait', 'démentiraient'], participle: 'démenti', presentParticiple: 'démentant' },
	{ lemma: 'dire', finite: ['dit', 'disent', 'disait', 'disaient', 'dira', 'diront', 'dirent', 'dirait', 'diraient'], participle: 'dit', presentParticiple: 'disant' },
	{ lemma: 'écrire', finite: ['écrit', 'écrivent', 'écrivait', 'écrivaient', 'écrira', 'écriront', 'écrivit', 'écrivirent', 'écrirait', 'écriraient'], participle: 'écrit', presentParticiple: 'écrivant' },
	{ lemma: 'poursuivre', finite: ['poursuit', 'poursuivent', 'poursuivait', 'poursuivaient', 'poursuivra', 'poursuivront', 'poursuivit', 'poursuivirent', 'poursuivrait', 'poursuivraient'], participle: 'poursuivi', presentParticiple: 'poursuivant' },
	{ lemma: 'prévoir', finite: ['prévoit', 'prévoient', 'prévoyait', 'prévoyaient', 'prévoira', 'prévoiront', 'prévit', 'prévirent', 'prévoirait', 'prévoiraient'], participle: 'prévu', presentParticiple: 'prévoyant' },
	{ lemma: 'promettre', finite: ['promet', 'promettent', 'promettait', 'promettaient', 'promettra', 'promettront', 'promit', 'promirent', 'promettrait', 'promettraient'], participle: 'promis', presentParticiple: 'promettant' },
	{ lemma: 'reconnaître', finite: ['reconnaît', 'reconnait', 'reconnaissent', 'reconnaissait', 'reconnaissaient', 'reconnaîtra', 'reconnaitra', 'reconnaîtront', 'reconnut', 'reconnurent', 'reconnaîtrait', 'reconnaitrait', 'reconnaîtraient'], participle: 'reconnu', presentParticiple: 'reconnaissant' },
	{ lemma: 'répondre', finite: ['répond', 'répondent', 'répondait', 'répondaient', 'répondra', 'répondront', 'répondit', 'répondirent', 'répondrait', 'répondraient'], participle: 'répondu', presentParticiple: 'répondant' },
	{ lemma: 'soutenir', finite: ['soutient', 'soutiennent', 'soutenait', 'soutenaient', 'soutiendra', 'soutiendront', 'soutint', 'soutinrent', 'soutiendrait', 'soutiendraient'], participle: 'soutenu', presentParticiple: 'soutenant' }
];

/**
 * Verbs that introduce reported content only with "que" (never a direct quote on their own,
 * and too common elsewhere to be cues without it): "il pense que…" yes, "il pense à…" no.
 */
export const QUE_ONLY_LEMMAS: ReadonlySet<string> = new Set(['penser', 'craindre', 'croire', 'déterminer', 'prévoir', 'juger', 'considérer', 'espérer', 'noter', 'observer', 'remarquer', 'constater', 'communiquer', 'demander', 'réclamer', 'garantir']);

/** Auxiliaries of the compound tenses (third person), also inverted ("a-t-il", "ont-ils"). */
export const AUXILIARIES = ['a', 'ont', 'avait', 'avaient', 'aura', 'auront', 'aurait', 'auraient', 'eut', 'eurent'] as const;

/** Words allowed between an auxiliary and its participle ("a cependant déclaré"). */
export const ADVERBS_IN_VERB_GROUP = [
	'aussi', 'alors', 'ainsi', 'cependant', 'déjà', 'donc', 'également', 'encore', 'enfin', 'ensuite', 'même', 'néanmoins',
	'notamment', 'pourtant', 'toutefois', 'plutôt', 'bien', 'lui', 'elle', 'lui-même', 'elle-même', 'aussitôt', 'très', 'tout',
	'de nouveau', "d'ailleurs", 'd’ailleurs', "d'abord", 'd’abord', 'par ailleurs', 'pour sa part', 'quant à lui', 'quant à elle'
] as const;

function softStem(stem: string, ending: string): string {
	// Orthography keeps the consonant soft before a/o: annonça, jugeait.
	if (/^[ao]/.test(ending)) {
		if (stem.endsWith('c')) return stem.slice(0, -1) + 'ç';
		if (stem.endsWith('g')) return stem + 'e';
	}
	return stem;
}

function conjugateEr(lemma: string): { finite: string[]; participle: string; presentParticiple: string } {
	const stem = lemma.slice(0, -2);
	const endings = ['e', 'ent', 'ait', 'aient', 'era', 'eront', 'a', 'èrent', 'erait', 'eraient'];
	return {
		finite: endings.map((ending) => softStem(stem, ending) + ending),
		participle: stem + 'é',
		presentParticiple: softStem(stem, 'ant') + 'ant'
	};
}

function conjugateIr(lemma: string): { finite: string[]; participle: string; presentParticiple: string } {
	const stem = lemma.slice(0, -2);
	const endings = ['it', 'issent', 'issait', 'issaient', 'ira', 'iront', 'irent', 'irait', 'iraient'];
	return { finite: endings.map((ending) => stem + ending), participle: stem + 'i', presentParticiple: stem + 'issant' };
}

export interface VerbForms {
	lemma: string;
	pronominal: boolean;
	finite: string[];
	/** The participle with its agreements: déclaré, déclarée, déclarés, déclarées. */
	participles: string[];
	presentParticiple: string;
}

/** Every recognised form of one lemma. */
export function formsOf(verb: ReportingVerb): VerbForms {
	const generated = verb.finite
		? { finite: verb.finite, participle: verb.participle as string, presentParticiple: verb.presentParticiple as string }
		: verb.lemma.endsWith('er')
			? conjugateEr(verb.lemma)
			: conjugateIr(verb.lemma);
	const participle = generated.participle;
	const participles = participle.endsWith('s') || participle.endsWith('t')
		? [participle, participle + 'e', participle + 'es', ...(participle.endsWith('t') ? [participle + 's'] : [])]
		: [participle, participle + 'e', participle + 's', participle + 'es'];
	return {
		lemma: verb.lemma,
		pronominal: Boolean(verb.pronominal),
		finite: [...new Set([...generated.finite, ...(verb.extraFinite ?? [])])],
		participles,
		presentParticiple: generated.presentParticiple
	};
}

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’]").replace(/ /g, '\\s+');
const alternation = (words: readonly string[]) => [...new Set(words)].sort((a, b) => b.length - a.length).map(escape).join('|');

/**
 * The regular expression source of a reporting verb group. Group `lemma` is not available in
 * a single alternation, so callers map the matched text back with `lemmaOfCue`.
 */
export function reportingCuePattern(verbs: readonly ReportingVerb[] = REPORTING_VERBS): string {
	const all = verbs.map(formsOf);
	const plain = all.filter((v) => !v.pronominal);
	const pronominal = all.filter((v) => v.pronominal);
	const inversion = String.raw`(?:-t-(?:il|elle|on)|-(?:il|elle|ils|elles|on))`;
	const adverbs = String.raw`(?:\s+(?:${alternation(ADVERBS_IN_VERB_GROUP)})){0,2}`;
	const aux = String.raw`(?:${alternation(AUXILIARIES)})${inversion}?`;
	const participles = alternation(plain.flatMap((v) => v.participles));
	const finite = alternation(plain.flatMap((v) => v.finite));
	const gerunds = alternation(plain.map((v) => v.presentParticiple));
	const pronParticiples = alternation(pronominal.flatMap((v) => v.participles));
	const pronFinite = alternation(pronominal.flatMap((v) => v.finite));
	const pronAux = String.raw`(?:s['’](?:est|était|étaient|étai)|se\s+(?:sont|serait|seraient|sera|seront|fut|furent))`;
	const pronAuxInverted = String.raw`(?:s['’](?:est|était)-(?:il|elle|on)|se\s+sont-(?:ils|elles))`;
	const insist = String.raw`(?:\s+sur\s+le\s+fait)?`;
	const infinitives = alternation(plain.map((v) => v.lemma));
	// "vient d'annoncer que", "a fait savoir que": an infinitive after a light verb.
	const light = String.raw`(?:(?:vient|viennent|venait|venaient)\s+d['’](?:${infinitives})|(?:(?:a|ont|avait|avaient)\s+)?(?:fait|font|faisait|faisaient|fera|feront)\s+savoir)`;
	return [
		light,
		String.raw`${aux}${adverbs}\s+(?:${participles})${insist}`,
		String.raw`(?:${pronAux}|${pronAuxInverted})${adverbs}\s+(?:${pronParticiples})`,
		String.raw`(?:se\s+|s['’])(?:${pronFinite})${inversion}?`,
		String.raw`(?:en\s+)?(?:${gerunds})`,
		String.raw`(?:${finite})${inversion}?${insist}`
	].join('|');
}

const lemmaByForm = new Map<string, string>([['savoir', 'faire savoir']]);
for (const verb of REPORTING_VERBS) {
	const forms = formsOf(verb);
	for (const form of [...forms.finite, ...forms.participles, forms.presentParticiple, verb.lemma]) {
		if (!lemmaByForm.has(form)) lemmaByForm.set(form, verb.lemma);
	}
}

/** The lemma of a matched cue ("a-t-il cependant déclaré" -> "déclarer"), or null. */
export function lemmaOfCue(cue: string): string | null {
	const words = cue.toLowerCase().replace(/^(?:vient|viennent|venait|venaient)\s+d['’]/u, '').replace(/-t-|-(?=il|elle|ils|elles|on\b)/g, ' ').split(/[\s'’]+/u);
	for (const word of words) {
		const lemma = lemmaByForm.get(word);
		if (lemma) return lemma;
	}
	return null;
}
