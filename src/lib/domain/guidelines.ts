// A project's annotation guidelines ("Consignes"): Markdown written by its admin, shown to
// annotators in the workspace and on their own page. Until an admin writes them, the project
// follows Guillemet's own, below: the conventions the model, the quote rules and the export
// already apply, said in French for the people who annotate.
//
// Rendering is the one place Markdown becomes HTML, for the server and the browser alike. Raw
// HTML in the text is shown as text, never interpreted (`html: false`), and markdown-it refuses
// `javascript:`, `vbscript:`, `file:` and non-image `data:` links, so a guideline cannot run a
// script in an annotator's session.
import MarkdownIt from 'markdown-it';

/** Longest guidelines text accepted, in characters: a long handbook, far from a pasted dump. */
export const GUIDELINES_MAX_LENGTH = 100_000;

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false });

// Links open beside the work, never in place of an annotator's page.
const defaultLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
	tokens[idx].attrSet('target', '_blank');
	tokens[idx].attrSet('rel', 'noopener noreferrer');
	return defaultLinkOpen(tokens, idx, options, env, self);
};

/** The guidelines as HTML, safe to insert in a page. */
export function renderGuidelines(text: string): string {
	return markdown.render(text);
}

/** Why a guidelines text cannot be saved, or null. */
export function describeGuidelinesProblem(text: string): string | null {
	if (text.trim() === '') return 'Les consignes sont vides : écrivez-les, ou revenez aux consignes de Guillemet.';
	if (text.length > GUIDELINES_MAX_LENGTH) {
		return `Les consignes dépassent ${GUIDELINES_MAX_LENGTH.toLocaleString('fr-FR')} caractères (${text.length.toLocaleString('fr-FR')}) : découpez-les ou mettez les annexes en lien.`;
	}
	return null;
}

/** Guillemet's guidelines, followed by a project until its admin writes its own. */
export const DEFAULT_GUIDELINES = `# Consignes d’annotation

Ces consignes sont celles que suivent le modèle, les règles de pré-annotation et l’export de Guillemet. L’administrateur du projet peut les remplacer par les vôtres (page **Consignes**).

## Principes

- **Annotez ce que dit le texte, pas ce que vous savez.** Une entité est un nom propre écrit dans l’article ; une citation, des paroles rapportées dans l’article.
- **Des mots entiers.** Une annotation commence et finit sur un mot : la sélection se cale d’elle-même sur les mots (Alt pour le caractère près).
- **Pas de ponctuation aux bords** : \`Lavrov\` et non \`Lavrov,\` ; pas de guillemets autour d’une citation. Une parenthèse ou un guillemet ouvert *dans* l’annotation y reste fermé : \`Parti (socialiste)\`.
- **Pas d’article ni d’élision devant un nom** : \`l’[Otan]\`, \`la [Russie]\`, \`d’[Europe]\`. L’article reste quand il fait partie du nom : \`[Le Figaro]\`, \`[La Haye]\`, \`[Le Caire]\`.
- **Les suggestions sont des propositions.** Pointillés : suggestion (modèle, règles, mémoire de l’équipe) ; trait plein : votre décision. Acceptez (Entrée), corrigez l’étiquette (1–9), rejetez (x) ; ce que personne n’a proposé, ajoutez-le.
- **Un doute ?** Choisissez l’étiquette la plus probable, signalez le doute avec \`!\` sur l’annotation (une note courte est facultative : « LOC ou ORG ici ? ») et continuez : la relecture voit ces doutes en premier et tranche les cas difficiles, et l’accord entre annotateurs montre où ces consignes doivent être précisées.

## Entités

| étiquette | ce qu’elle couvre | exemples |
|---|---|---|
| **PER** | personnes réelles ou fictives, y compris un nom de famille seul | \`Sergueï Lavrov\`, \`Lavrov\`, \`Jean-Paul II\`, \`Pline l’Ancien\` |
| **LOC** | lieux : pays, villes, régions, continents, mers, montagnes, rues, bâtiments | \`Russie\`, \`Munich\`, \`Europe\`, \`Amérique du Nord\`, \`place Tahrir\` |
| **ORG** | organisations : institutions, partis, entreprises, médias, clubs, ONG, administrations | \`Otan\`, \`Union européenne\`, \`Human Rights Watch\`, \`Le Figaro\`, \`AFP\` |
| **MISC** | autres noms propres : événements, œuvres, lois, produits, compétitions | \`Seconde Guerre mondiale\`, \`Conférence de Munich\`, \`Coupe Stanley\`, \`PlayStation 3\` |

- **Pays, villes et bâtiments restent LOC**, même quand ils agissent (\`la [Russie] est prête à…\`, \`le [Kremlin] a démenti\`) : c’est la convention des données d’entraînement, et elle évite un choix à chaque phrase. Un organisme désigné par son nom est ORG (\`[ministère des Affaires étrangères]\`, \`[Commission européenne]\`).
- **Adjectifs et gentilés ne sont pas des entités** : \`russe\`, \`français\`, \`les Allemands\`. Ils le deviennent à l’intérieur d’un nom : \`[Armée rouge]\`, \`[Assemblée nationale]\`.
- **Titres et civilités** (\`M.\`, \`Mme\`, \`le général\`, \`le président\`) restent hors de l’entité : \`M. [Lavrov]\`. Un projet peut choisir de les inclure (page **Schéma**, réglage des titres) : le modèle suit alors ce réglage.
- **Fonctions** : \`le secrétaire général de l’Otan\` n’est pas une personne annotée ; \`Otan\` y est une ORG. La personne, c’est \`[Jens Stoltenberg]\`.
- **Noms imbriqués** : on annote le nom le plus long qui désigne une seule chose (\`[Conférence de Munich sur la sécurité]\`, MISC ou ORG selon qu’il s’agit de l’événement ou de l’organisme) ; pas d’entité dans une entité.
- **Sigles** : annotés comme le nom qu’ils abrègent (\`[HRW]\` ORG). Un sigle et son nom complet côte à côte sont deux entités : \`[Organisation du traité de l’Atlantique nord] ([Otan])\`.
- **Textes abîmés (OCR)** : annotez le nom tel qu’il est écrit, fautes comprises (\`[Clémenceau]\`, \`[Pans]\` pour Paris) ; ne corrigez pas le texte.

## Citations

- **Citation directe** : les mots reproduits entre guillemets (\`« … »\`, \`“ … ”\`, \`" … "\`). L’annotation couvre le contenu, sans les guillemets. Une citation sur plusieurs paragraphes est une seule annotation. Un mot ou une courte expression entre guillemets (un terme, un titre, une loi : \`la loi dite « Sur l’information »\`) n’est pas une citation : il en faut quatre mots ou une phrase.
- **Citation indirecte** : des paroles ou une pensée rapportées sans guillemets, après un verbe de parole + \`que\` (\`a déclaré qu’[il fallait réinitialiser la coopération]\`), ou avec \`selon X\`, \`d’après X\`, \`pour X,\` en tête de phrase. L’annotation va du mot après \`que\` à la fin de la proposition.
- **Ne sont pas des citations** : un verbe de parole suivi d’un nom (\`a annoncé la découverte\`) ou d’un infinitif (\`affirme avoir été agressée\`) ; \`selon les cas\`.
- **Verbe introducteur** (c) : le groupe verbal tel qu’écrit, auxiliaire et adverbes compris (\`a déclaré\`, \`a-t-il précisé\`, \`s’est réjoui\`) ; pour \`selon X\`, la préposition.
- **Locuteur** (p) : la personne ou l’organisation qui parle, au plus près du verbe. Le nom propre quand il y en a un, sans son titre ; sinon le groupe nominal (\`le ministre russe\`) ou le pronom (\`il\`), annotés comme **mention** (m). Reliez la citation à ce locuteur.

## Prises de position

- **Position** (s) : une expression par laquelle quelqu’un juge ou prend parti (\`néfaste\`, \`est prête à\`, \`dénonce\`, \`favorable à\`, \`n’y est pas encore prête\`). La négation fait partie de l’annotation et inverse la polarité.
- **Polarité** (d) : *pour*, *contre* ou *neutre*, du point de vue de celui qui s’exprime envers la cible.
- **Auteur** (p) : le locuteur de la citation où se trouve l’expression ; hors citation, l’article lui-même.
- **Cible** (t) : l’entité ou la mention visée quand le texte la désigne clairement (\`dénonce [Human Rights Watch]\`), ou une cible de la liste du projet ; sinon, pas de cible.

## Terminer un document

Marquez le document **Terminé** (Ctrl+Entrée) quand chaque suggestion est acceptée ou rejetée et que rien ne manque. Un document hors sujet ou illisible se marque **Ignoré** : il sort de votre file, et de l’export des documents terminés.
`;
