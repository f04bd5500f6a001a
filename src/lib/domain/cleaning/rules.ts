// Boilerplate rules for scraped French news pages, as data: each rule is named, says why it
// exists, and matches whole lines only, so a body paragraph can never be cut in half.
// To add one, append an entry; the cleaner and its report pick it up by name.

export interface LineRule {
	name: string;
	description: string;
	/** Matches the trimmed line. */
	pattern: RegExp;
}

/** Lines that are boilerplate wherever they appear in the page. */
export const LINE_RULES: LineRule[] = [
	{
		name: 'photo-credit',
		description: 'Photo credit, often glued to its caption (`© Sputnik . Name / Accéder à la base multimédia…`)',
		pattern: /^(?:©|\(c\)\s|Crédit(?:s)? photo\b|Photo\s*:|Illustration\s*:|Image\s*:)/iu
	},
	{
		name: 'subscribe-prompt',
		description: 'Subscription and newsletter prompts (`S’abonner`, `Abonnez-vous…`, `Inscrivez-vous à notre newsletter`)',
		pattern: /^(?:S['’]abonner|Abonnez[- ]vous\b.*|Se connecter|S['’]inscrire|Inscrivez[- ]vous à (?:notre|la) newsletter.*|Newsletter|Je m['’]abonne.*|Déjà abonné\s*\??.*)$/iu
	},
	{
		name: 'social-prompt',
		description: 'Invitations to follow or share on social media and messaging apps',
		// The outlet is often named in several words (`Suivez Le Petit Journal sur Telegram`,
		// `Retrouvez France 24 sur…`): capitalised words, joined by de/du/des/la/le/les/et.
		pattern: /^(?:(?:Suivez|Retrouvez|Rejoignez)(?:[- ]nous| \S+| [\p{Lu}\d]\S*(?: (?:(?:de|du|des|la|le|les|et) )?(?:[ld]['’])?[\p{Lu}\d]\S*){1,4})? sur (?:Telegram|Twitter|X|Facebook|Instagram|YouTube|LinkedIn|TikTok|WhatsApp|Google (?:News|Actualités)|VK|nos réseaux sociaux)\b.*|Partager(?: sur \w+)?|Partager cet article|Tweeter|Imprimer|Envoyer par e-?mail|Copier le lien|Facebook|Twitter|LinkedIn|WhatsApp|Telegram|E-?mail)$/iu
	},
	{
		name: 'comment-widget',
		description: 'Comment widgets and their prompts (`Pour participer aux discussions…`, `Commentaires`, `Réagir`)',
		pattern: /^(?:Pour participer aux discussions.*|Commentaires?(?: \(\d+\))?|Réagir|Réagissez.*|Laisser un commentaire|Ajouter un commentaire|Voir les commentaires|Connectez-vous pour commenter.*|\d+ commentaires?)$/iu
	},
	{
		name: 'ui-leftover',
		description: 'Interface strings left by the scraper (`Fil d’actu`, `loader`, `Chat`, `Lire aussi`, `Publicité`)',
		pattern: /^(?:Fil d['’]actu(?:alités?)?|loader|loading|Chargement…?|Chat|Menu|Rechercher|Fermer|Accueil|Publicité|Lire aussi|Lire la suite|À lire aussi|Voir aussi|En savoir plus|Sur le même sujet|Dernières? (?:nouvelles|infos?|actualités)|Plus de vidéos|Vidéo|Play|Pause|Cookies?|Accepter|Tout accepter|Continuer sans accepter|Haut de page)$/iu
	},
	{
		name: 'lone-number',
		description: 'A number alone on a line: counters of comments, shares or likes',
		pattern: /^[+-]?\d{1,7}(?:[.,]\d+)?\s*[kK]?$/u
	}
];

/** Share of letters outside the Latin script above which a line is taken for a foreign UI string. */
export const OTHER_SCRIPT_THRESHOLD = 0.5;

/** Shortest caption text that counts as a repeat of a credit line (shorter lines are too common). */
export const MIN_REPEATED_CAPTION_LENGTH = 40;
