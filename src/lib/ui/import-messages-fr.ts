// The import's problems in French, for the Importer page. The import service words them in
// English for the command line (`file:line: message`, like every CLI of the project); the page
// shows the same problems to French-speaking admins. Each rule rewrites one message shape of
// src/lib/domain/articles.ts, src/lib/domain/spans.ts, src/lib/domain/corpus-record.ts and
// src/lib/server/import/; test/service/import-messages-fr.test.ts produces every shape with the real
// code and checks that none stays in English. A message no rule knows is shown as it is.
import { formatDecimal } from './numbers-fr';

type Rule = [RegExp, string | ((...groups: string[]) => string)];

const GROUP_NAMES: Record<string, string> = {
	entities: 'entité',
	mentions: 'mention',
	cues: 'verbe introducteur',
	quotes: 'citation',
	stances: 'position'
};
const FIELD_NAMES: Record<string, string> = { speaker: 'locuteur', cue: 'verbe introducteur', holder: 'auteur', target: 'cible' };
const TYPE_NAMES: Record<string, string> = { string: 'du texte', number: 'un nombre', int: 'un entier', object: 'un objet', array: 'une liste', boolean: 'un booléen', null: 'null', undefined: 'rien' };
const KEY_NAMES: Record<string, string> = { text: 'texte', start: 'début', end: 'fin', label: 'étiquette', id: 'identifiant', title: 'titre', kind: 'type', polarity: 'polarité' };

/** What a file mistaken for text is (describeNonTextFile in src/lib/server/import/). */
const NON_TEXT_FORMATS: Record<string, string> = {
	'a ZIP archive (a Word .docx or OpenDocument .odt document is one)': 'une archive ZIP (un document Word .docx ou OpenDocument .odt en est une)',
	'a PDF document': 'un document PDF',
	'an old Word (.doc) or Excel (.xls) document': 'un ancien document Word (.doc) ou Excel (.xls)',
	'an RTF document': 'un document RTF',
	'a gzip archive without the .gz extension': 'une archive gzip sans l’extension .gz'
};

/** What normalisation would change in an annotated text (describeNormalisation). */
const NORMALISATION_RULES: Rule[] = [
	[/^the text starts with a byte order mark \(U\+FEFF\)$/, 'le texte commence par une marque d’ordre des octets (U+FEFF)'],
	[/^line (\d+) of the text has a carriage return \(\\r\)$/, 'la ligne $1 du texte contient un retour chariot (\\r)'],
	[/^line (\d+) of the text is not in NFC$/, 'la ligne $1 du texte n’est pas en NFC'],
	[/^line (\d+) of the text ends with a space or tab$/, 'la ligne $1 du texte se termine par une espace ou une tabulation'],
	[/^the text is not in NFC$/, 'le texte n’est pas en NFC']
];

/** Inner messages of one span (after `entities "e1": `). */
const SPAN_RULES: Rule[] = [
	[/^offsets must be integers \(got (.+)\)$/, 'les décalages doivent être des entiers (reçu $1)'],
	[/^span (\S+) is outside the text \((\S+)\) or empty$/, 'l’annotation $1 sort du texte ($2) ou est vide'],
	[/^unknown entity label "(.+)" \(known: (.+)\)$/, 'étiquette d’entité inconnue « $1 » (connues : $2)'],
	[/^entity (\S+) overlaps entity (\S+)$/, 'l’entité $1 chevauche l’entité $2'],
	[/^text "(.*)" does not match the text at (\S+) \("(.*)"\)$/s, 'le texte « $1 » ne correspond pas au texte en $2 (« $3 »)'],
	[/^(speaker|cue|holder|target) "(.+)" is not a span of this record$/, (field, id) => `${FIELD_NAMES[field]} « ${id} » : aucune annotation de cet enregistrement ne porte cet identifiant`]
];

/** One field's problem from the record's schema (`entities.0.start: …`). */
function fieldProblem(path: string, problem: string): string {
	const where = path
		.split('.')
		.map((part) => (/^\d+$/.test(part) ? `n° ${Number(part) + 1}` : (GROUP_NAMES[part] ?? KEY_NAMES[part] ?? part)))
		.join(' ');
	if (problem === 'is missing') return `${where} : manquant`;
	const type = /^Invalid input: expected (\w+), received (\w+)$/.exec(problem);
	if (type) return `${where} : ${TYPE_NAMES[type[1]] ?? type[1]} attendu, ${TYPE_NAMES[type[2]] ?? type[2]} reçu`;
	if (problem.startsWith('must be an object of string keys')) return `${where} : doit être un objet à clés texte, par ex. {"section": "Monde"}`;
	if (problem.startsWith('not an ISO 8601 date')) return `${where} : pas une date ISO 8601 (par ex. 2024-05-17 ou 2024-05-17T09:30:00+02:00)`;
	return `${where} : ${problem}`;
}

const RULES: Rule[] = [
	// The parser's own wording is English; its position is what helps.
	[
		/^not valid JSON \((.*)\)$/s,
		(detail) => {
			const at = /position (\d+)/.exec(detail);
			return at ? `JSON invalide (vers le caractère ${Number(at[1]) + 1} de la ligne)` : 'JSON invalide';
		}
	],
	[/^a record must be a JSON object with a "text" field$/, 'chaque ligne doit être un objet JSON avec un champ "text"'],
	[/^the text is empty$/, 'le texte est vide'],
	[/^the page has no text after its title$/, 'la page n’a pas de texte après son titre'],
	[/^the file is empty$/, 'le fichier est vide'],
	[/^the file holds only blank lines$/, 'le fichier ne contient que des lignes vides'],
	[
		/^the text carries spans but (.+); texts are stored in NFC with \\n line endings and no space or tab at line ends, so its offsets would shift: fix the text and its offsets$/,
		(change) =>
			`le texte porte des annotations mais ${translateWith(NORMALISATION_RULES, change) ?? change} ; les textes sont enregistrés en NFC, avec des fins de ligne \\n et sans espace ni tabulation en fin de ligne : ses décalages seraient faussés ; corrigez le texte et ses décalages`
	],
	[/^span id "(.+)" is used twice$/, 'l’identifiant « $1 » sert à deux annotations'],
	[
		/^(entities|mentions|cues|quotes|stances) "(.+?)": (.+)$/s,
		(group, id, inner) => `${GROUP_NAMES[group]} « ${id} » : ${translateWith(SPAN_RULES, inner) ?? inner}`
	],
	[/^the file holds no record \(it is empty or blank\)$/, 'le fichier ne contient aucun article (il est vide)'],
	[/^not valid UTF-8 \(byte (0x[0-9a-f]+) at offset (\d+)\): nothing imported from this file; re-encode it as UTF-8$/, 'ce n’est pas de l’UTF-8 valide (octet $1 à la position $2) : rien n’a été importé de ce fichier ; réenregistrez-le en UTF-8'],
	[
		/^(.+), not a text file: nothing imported from this file; save it as plain text \(UTF-8\) or JSONL$/,
		(format) => `c’est ${NON_TEXT_FORMATS[format] ?? format}, pas un fichier texte : rien n’a été importé de ce fichier ; enregistrez-le en texte brut (UTF-8) ou en JSONL`
	],
	[/^encoded in UTF-16, not UTF-8: nothing imported from this file; re-encode it as UTF-8$/, 'c’est de l’UTF-16 (le « Unicode » du Bloc-notes de Windows), pas de l’UTF-8 : rien n’a été importé de ce fichier ; réenregistrez-le en UTF-8'],
	[/^not a valid gzip file \((.*)\): nothing imported from this file$/s, 'fichier gzip invalide ($1) : rien n’a été importé de ce fichier'],
	[/^too large to read as one text \((\d+) bytes\)$/, 'trop grand pour être lu d’un bloc ($1 octets)'],
	[/^nothing imported from this file: (.*)$/s, 'rien n’a été importé de ce fichier : $1'],
	[/^id "(.+)" is already used by another document with a different text$/, 'l’identifiant « $1 » est déjà celui d’un autre document, au texte différent'],
	[
		/^document "(.+?)" already has a set "(.+?)" with different annotations: not replaced.*$/s,
		'le document « $1 » a déjà un jeu « $2 » aux annotations différentes : il n’est pas remplacé (il peut contenir du travail fait dans Guillemet ; importez celles-ci sous un autre nom de jeu pour comparer)'
	],
	[/^unsupported file type \(expected (.+)\)$/, 'type de fichier non pris en charge (attendu : $1)']
];

function translateWith(rules: readonly Rule[], message: string): string | null {
	for (const [pattern, replacement] of rules) {
		const match = pattern.exec(message);
		if (!match) continue;
		return typeof replacement === 'string' ? message.replace(pattern, replacement) : replacement(...match.slice(1));
	}
	return null;
}

/** One import problem as the Importer page shows it. */
export function importProblemInFrench(message: string): string {
	const known = translateWith(RULES, message);
	if (known !== null) return known;
	// Schema problems: up to three `path: problem` joined by `; `.
	const parts = message.split('; ');
	if (parts.every((part) => /^[\w.]+: /.test(part))) {
		return parts.map((part) => fieldProblem(part.slice(0, part.indexOf(': ')), part.slice(part.indexOf(': ') + 2))).join(' ; ');
	}
	return message;
}


/**
 * An upload over UPLOAD_MAX_BYTES, said the same by the page (before sending) and the server
 * (without JavaScript): in megabytes, with what to do instead.
 */
export function uploadTooLargeMessage(total: number, limit: number): string {
	const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} Ko` : `${formatDecimal(bytes / 1024 / 1024)} Mo`);
	return `Envoi trop volumineux : ${size(total)} pour une limite de ${size(limit)} (UPLOAD_MAX_BYTES). Envoyez les fichiers en plusieurs fois, découpez le fichier, ou importez-le sur le serveur avec npm run import.`;
}
