// The export options' errors in French, named by the Exporter form's fields. The option parser
// (src/lib/domain/export/options.ts) words them for the command line (`--split: …`);
// test/unit/export-messages-fr.test.ts produces each one with the real parser and checks that none
// stays in English. A message no rule knows is shown as it is.

const FIELDS: Record<string, string> = {
	format: 'Format',
	set: 'Jeu exporté',
	status: 'Statut',
	layers: 'Annotations',
	unit: 'Unité',
	'tag-ids': 'Étiquettes en identifiants',
	split: 'Parts',
	seed: 'Graine'
};

type Rule = [RegExp, (...groups: string[]) => string];

const RULES: Rule[] = [
	[/^--(format|set|status|unit) "(.*)" is invalid: expected (.+?)( or a username)?$/, (flag, value, expected, user) => `${FIELDS[flag]} : « ${value} » n’est pas une valeur possible (${expected.replace(' or ', ' ou ')}${user ? ' ou un nom d’annotateur' : ''})`],
	[/^--seed "(.*)" is invalid: expected a non-negative integer$/, (value) => `${FIELDS.seed} : « ${value} » doit être un entier positif ou nul`],
	[/^--layers: unknown layer (.+) \(known: (.+)\)$/, (layers, known) => `${FIELDS.layers} : couche inconnue ${layers} (connues : ${known})`],
	[/^--layers is empty: give one or more of (.+)$/, () => `${FIELDS.layers} : cochez au moins une couche`],
	[/^--unit applies to --format bio only \(conll is always per sentence\)$/, () => `${FIELDS.unit} : seulement pour les jetons BIO (CoNLL est toujours par phrase)`],
	[/^--tag-ids applies to --format bio only$/, () => `${FIELDS['tag-ids']} : seulement pour les jetons BIO`],
	[/^--format (\w+) writes entity tags: --layers must include entity$/, (format) => `${FIELDS.format} : ${format === 'bio' ? 'les jetons BIO' : 'CoNLL'} portent les étiquettes d’entités, cochez « Entités »`],
	[/^--split: "(.*)" is invalid: expected name=ratio, e\.g\. (.+)$/, (item, example) => `${FIELDS.split} : « ${item} » doit s’écrire nom=proportion, par ex. ${example}`],
	[/^--split: the ratio of "(.*)" must be in \(0, 1\]$/, (name) => `${FIELDS.split} : la proportion de « ${name} » doit être dans ]0, 1]`],
	[/^--split: "(.*)" is listed twice$/, (name) => `${FIELDS.split} : « ${name} » figure deux fois`],
	[/^--split: "manifest" is reserved for the manifest file$/, () => `${FIELDS.split} : « manifest » est réservé au fichier manifeste`],
	[/^--split is empty: expected name=ratio pairs, e\.g\. (.+)$/, (example) => `${FIELDS.split} : vide ; écrivez des paires nom=proportion, par ex. ${example}`],
	[/^--split: the ratios add up to (.+), not 1$/, (total) => `${FIELDS.split} : les proportions font ${total.replace('.', ',')} au total, pas 1`]
];

/** One export option error as the Exporter page shows it. */
export function exportOptionErrorInFrench(message: string): string {
	for (const [pattern, translate] of RULES) {
		const match = pattern.exec(message);
		if (match) return translate(...match.slice(1));
	}
	return message;
}
