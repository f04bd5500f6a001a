import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanTextPage } from '../../src/lib/domain/cleaning';
import { OffsetIndex } from '../../src/lib/domain/offsets';
import { QUOTE_RULES_PROVENANCE, suggestQuotes, type EntityInput } from '../../src/lib/domain/quotes';
import { formsOf, lemmaOfCue, REPORTING_VERBS, reportingCuePattern } from '../../src/lib/domain/quotes/reporting-verbs';

interface ReadQuote {
	text: string;
	kind: string;
	cue: string | null;
	speaker: string | null;
	speakerLayer: string | null;
	speakerStart: number | null;
}

/** The suggestions as readable text: each quote with its cue and speaker. */
function readQuotes(text: string, entities: EntityInput[] = []): ReadQuote[] {
	const index = new OffsetIndex(text);
	const { spans, links } = suggestQuotes(text, entities);
	return spans.flatMap((span, i) => {
		if (span.layer !== 'quote') return [];
		const target = (kind: string) => {
			const link = links.find((l) => l.kind === kind && l.from === i);
			return link && link.to !== null ? spans[link.to] : null;
		};
		const cue = target('cue');
		const speaker = target('speaker');
		return [{
			text: index.slice(span.start, span.end),
			kind: String(span.attributes?.kind),
			cue: cue ? index.slice(cue.start, cue.end) : null,
			speaker: speaker ? index.slice(speaker.start, speaker.end) : null,
			speakerLayer: speaker?.layer ?? null,
			speakerStart: speaker?.start ?? null
		}];
	});
}

const direct = (quotes: ReadQuote[]) => quotes.filter((q) => q.kind === 'direct');
const indirect = (quotes: ReadQuote[]) => quotes.filter((q) => q.kind === 'indirect');

const sample = cleanTextPage(fs.readFileSync('test/fixtures/articles/sputnik-fr-3255db79b009ce73.txt', 'utf8')).text;

describe('suggestQuotes on the sample article', () => {
	const quotes = readQuotes(sample);

	it('finds its three direct quotes, all Lavrov’s, with the cue after the quote', () => {
		expect(direct(quotes).map((q) => [q.text.slice(0, 40), q.cue, q.speaker])).toEqual([
			['Pour faire cesser toutes ces craintes, i', 'a regretté', 'Lavrov'],
			['La Russie ne recherche de conflits avec ', 'a conclu', 'Sergueï Lavrov'],
			["La tension de ces dernières années entre", 'a déclaré', 'Lavrov']
		]);
		expect(direct(quotes)[0].text.endsWith('problèmes de sécurité')).toBe(true);
		expect(direct(quotes)[2].text).toBe("La tension de ces dernières années entre l'Amérique du Nord, l'Europe et la Russie est artificielle. Je dirais même qu'elle est contre nature");
	});

	it('resolves "le ministre russe" to the earlier "le ministre russe des Affaires étrangères Sergueï Lavrov"', () => {
		const role = direct(quotes)[1];
		expect(role.speaker).toBe('Sergueï Lavrov');
		expect(role.speakerStart).toBe(new OffsetIndex(sample).toCodePoint(sample.indexOf('Sergueï Lavrov')));
	});

	it('finds its indirect quotes with cue and speaker', () => {
		expect(indirect(quotes).map((q) => [q.text, q.cue, q.speaker])).toEqual([
			['il fallait réinitialiser la coopération militaire avec l’Otan', 'a déclaré', 'Sergueï Lavrov'],
			["la présence militaire de l'Otan sur le territoire européen avait un effet néfaste sur les relations diplomatiques entre les pays", 'a déclaré', 'Sergueï Lavrov'],
			[expect.stringMatching(/^la Russie avait toujours prôné .* était contre nature$/u), 'a insisté sur le fait', 'Lavrov']
		]);
	});

	it('links speakers to entity suggestions when they cover them, and labels every span', () => {
		const index = new OffsetIndex(sample);
		const cp = (needle: string, from = 0) => index.toCodePoint(sample.indexOf(needle, from));
		const entities: EntityInput[] = [];
		for (let at = sample.indexOf('Lavrov'); at !== -1; at = sample.indexOf('Lavrov', at + 1)) {
			entities.push({ start: index.toCodePoint(at), end: index.toCodePoint(at) + 6, label: 'PER' });
		}
		entities.push({ start: cp('Otan'), end: cp('Otan') + 4, label: 'ORG' });
		const quotes = readQuotes(sample, entities);
		expect(quotes.filter((q) => q.speaker).every((q) => q.speakerLayer === 'entity' && q.speaker === 'Lavrov')).toBe(true);
		const { spans } = suggestQuotes(sample, entities);
		for (const span of spans) {
			expect(span.origin).toBe('rules');
			expect(span.provenance).toBe(QUOTE_RULES_PROVENANCE);
			expect(span.label).toBe({ quote: 'QUOTE', cue: 'CUE', mention: 'MENTION', stance: 'STANCE', entity: span.label }[span.layer]);
		}
	});

	it('does not take « Join » (a button label) for a quote', () => {
		const raw = fs.readFileSync('test/fixtures/articles/sputnik-fr-3255db79b009ce73.txt', 'utf8');
		expect(readQuotes(raw).some((q) => q.text === 'Join')).toBe(false);
	});
});

describe('direct quotes: typography', () => {
	const content = 'Nous ne céderons rien sur ce point';
	it.each([
		['plain spaces', `« ${content} », a déclaré Jean Dupont.`],
		['NBSP', `«\u00a0${content}\u00a0», a déclaré Jean Dupont.`],
		['narrow NBSP', `«\u202f${content}\u202f», a déclaré Jean Dupont.`],
		['no spaces', `«${content}», a déclaré Jean Dupont.`],
		['curly quotes', `“${content}”, a déclaré Jean Dupont.`],
		['straight quotes', `"${content}", a déclaré Jean Dupont.`]
	])('%s: the span excludes the marks and the spaces inside them', (_name, text) => {
		const [quote] = readQuotes(text);
		expect(quote).toMatchObject({ text: content, kind: 'direct', cue: 'a déclaré', speaker: 'Jean Dupont' });
	});

	it('counts offsets in code points after an emoji', () => {
		const text = `Le maire 🎉 a parlé. « ${content} », a déclaré Jean Dupont.`;
		const { spans } = suggestQuotes(text, []);
		const quote = spans.find((s) => s.layer === 'quote')!;
		expect(Array.from(text).slice(quote.start, quote.end).join('')).toBe(content);
	});

	it('takes a quote over several paragraphs, re-opened with « on each, as one span', () => {
		const text = [
			'Le ministre Paul Martin a présenté son plan.',
			'« Nous allons réformer le système de santé de fond en comble.',
			'« Les hôpitaux recevront des moyens nouveaux dès cette année.',
			'« Personne ne sera oublié », a conclu Paul Martin.'
		].join('\n\n');
		const quotes = direct(readQuotes(text));
		expect(quotes).toHaveLength(1);
		expect(quotes[0].text.startsWith('Nous allons réformer')).toBe(true);
		expect(quotes[0].text.endsWith('Personne ne sera oublié')).toBe(true);
		expect(quotes[0].speaker).toBe('Paul Martin');
	});

	it.each([
		['straight', '"', '"'],
		['curly', '“', '”']
	])('takes a quote over several paragraphs, re-opened with a %s mark on each, as one span', (_name, open, close) => {
		const text = [
			'Le ministre Paul Martin a présenté son plan.',
			`${open}Nous allons réformer le système de santé de fond en comble.`,
			`${open}Les hôpitaux recevront des moyens nouveaux dès cette année.`,
			`${open}Personne ne sera oublié${close}, a conclu Paul Martin.`
		].join('\n\n');
		const quotes = direct(readQuotes(text));
		expect(quotes).toHaveLength(1);
		expect(quotes[0].text).toBe(`Nous allons réformer le système de santé de fond en comble.\n\n${open}Les hôpitaux recevront des moyens nouveaux dès cette année.\n\n${open}Personne ne sera oublié`);
		expect(quotes[0].speaker).toBe('Paul Martin');
	});

	it('drops a straight " left open at the end of its paragraph when the next one does not re-open', () => {
		const notReopened = 'Le ministre a dit "nous allons réformer le système de santé de fond en comble.\n\nLes hôpitaux attendent.';
		expect(direct(readQuotes(notReopened))).toEqual([]);
		const nextQuote = 'Le ministre a dit "nous allons réformer le système de santé de fond en comble.\n\nLes hôpitaux attendent. "Personne ne sera oublié", a conclu Paul Martin.';
		expect(direct(readQuotes(nextQuote)).map((q) => q.text)).toEqual(['Personne ne sera oublié']);
	});

	// An OCR newspaper page (NewsEye) is one paragraph of many articles: a « whose » was lost must
	// not make a quote of the rest of the page.
	const pageFiller = 'Le conseil municipal a voté le budget de la ville pour l’année prochaine après un long débat. '.repeat(8);

	it('closes a « left open in a normal paragraph at the end of the paragraph', () => {
		const text = 'Le maire Jean Dupont a pris la parole : « Nous ne fermerons pas l’école. Les parents peuvent être rassurés.\n\nLe conseil a voté.';
		expect(direct(readQuotes(text))).toMatchObject([{ text: 'Nous ne fermerons pas l’école. Les parents peuvent être rassurés.', speaker: 'Jean Dupont' }]);
	});

	it('closes a « left open in a page-long paragraph at the end of its sentence, and finds the quotes after it', () => {
		const text = `Le maire Jean Dupont a pris la parole : « Nous ne fermerons pas l’école du quartier cette année. ${pageFiller}« Il faut rester prudent avec les finances de la commune », a ajouté Marie Durand. ${pageFiller}`;
		expect(direct(readQuotes(text))).toMatchObject([
			{ text: 'Nous ne fermerons pas l’école du quartier cette année.', speaker: 'Jean Dupont' },
			{ text: 'Il faut rester prudent avec les finances de la commune', speaker: 'Marie Durand' }
		]);
		const overParagraphs = `Le maire Jean Dupont a pris la parole.\n\n« Nous ne fermerons pas l’école.\n\n« Les parents peuvent être rassurés. ${pageFiller}`;
		expect(direct(readQuotes(overParagraphs)).map((q) => q.text)).toEqual(['Nous ne fermerons pas l’école.\n\n« Les parents peuvent être rassurés.']);
	});

	it('opens no quote on a lost » in a page-long paragraph after a determiner, or when its sentence runs on', () => {
		expect(direct(readQuotes(`Il écrit dans le « Petit Journal du matin depuis dix ans. ${pageFiller}`))).toEqual([]);
		const runOn = `Il a dit : « ${'nous irons au marché puis à la gare et '.repeat(20)}voilà. ${pageFiller}`;
		expect(direct(readQuotes(runOn))).toEqual([]);
	});

	// newseye-fr-dev2-7: the » of `le « Droit au Travail »` was lost 300 characters before the
	// page's end; running to the end made a quote of the next notices.
	it('opens no quote on a lost » after a determiner near the end of a page-long paragraph', () => {
		const notices = `${pageFiller}Viroflay. — Une grande réunion de propagande aura lieu demain jeudi, à 21 heures, où nos amis Chesneau et Martin exposeront les vérités diffusées par le « DroitTous nos amis et sympathisants sont cordialement invités. Maisons-Alfort. — L'Intersection du canton de Charenton organise vendredi 17 janvier, à 21 heures, une grande réunion à la mairie. Nos camarades Compain et Martin y parleront de « la révolution économique actuelle ».`;
		expect(direct(readQuotes(notices)).map((q) => q.text)).toEqual(['la révolution économique actuelle']);
	});

	// newseye-fr-test-3: a statement over several paragraphs, each re-opened with «, on a page
	// that lost its line breaks; only its first paragraph was found, the others read as nested.
	it('reads a « right after a full stop inside an open quote on a page-long paragraph as a lost paragraph break', () => {
		const page = `${pageFiller}La Chambre l'a prononcée.« La présence de Marie-Adélaïde sur le trône avait de graves inconvénients.« Aujourd'hui que le contact avec la France va devenir plus constant, le noyau germanique de la cour se trouve réduit d'importance.« Car il est bon que l'on n'ignore pas que les sympathies luxembourgeoises vont toutes à la France. ${pageFiller}`;
		const quotes = direct(readQuotes(page));
		expect(quotes.map((q) => q.text)).toEqual([
			'La présence de Marie-Adélaïde sur le trône avait de graves inconvénients.',
			"Aujourd'hui que le contact avec la France va devenir plus constant, le noyau germanique de la cour se trouve réduit d'importance.",
			"Car il est bon que l'on n'ignore pas que les sympathies luxembourgeoises vont toutes à la France."
		]);
		// No speaker is read inside the quote before (« La présence de Marie-Adélaïde … »).
		expect(quotes.slice(1).map((q) => q.speaker)).toEqual([null, null]);
		// In a news paragraph the same marks are a nested quote, inside the outer one.
		const nested = '« Je suis parti. « Non », m’a-t-il dit, et je suis revenu le lendemain », raconte Marie Durand.';
		expect(direct(readQuotes(nested)).map((q) => q.text)).toEqual(['Je suis parti. « Non », m’a-t-il dit, et je suis revenu le lendemain']);
	});

	it('keeps nested quotes inside the outer one', () => {
		const text = '« Il m’a dit “je ne partirai pas” et il est resté toute la nuit », raconte Marie Durand. « On l’appelait ‹ le Tsar › dans tout le quartier, vous savez », ajoute-t-elle.';
		const quotes = direct(readQuotes(text));
		expect(quotes.map((q) => q.text)).toEqual([
			'Il m’a dit “je ne partirai pas” et il est resté toute la nuit',
			'On l’appelait ‹ le Tsar › dans tout le quartier, vous savez'
		]);
		expect(quotes.map((q) => q.speaker)).toEqual(['Marie Durand', 'elle']);
	});

	it('does not take quoted single words, titles or nicknames for quotes', () => {
		const text = 'Le président, surnommé « Tsar », a lu « Le Monde » et cliqué sur « Join ». La loi dite « Sur l’information » vise l’« abominable homme des neiges ». Il a promis un « nouveau départ ».';
		expect(readQuotes(text)).toEqual([]);
	});

	// newseye-fr-dev-8 and dev2-8 (listings of talks), wikinews-fr-44522 (a report's title).
	it('does not take the announced title of a talk or a report for a quote, whatever its length', () => {
		const listing = "Art et Vie, Musée du Louvre, 10 h.« Un artiste au temps de Louis XIV », par M. Lorsy. — Les Amis de l'Espagne, 10 heures : « Vie populaire de l'Espagne en guerre », par M. J. Camp (films et chants). — Le samedi 21 janvier,sur : « Face à Mussolini et Hitler ! » Jeudi 26, Jean Dupont traitera le sujet suivant : « Le problème espagnol et la sécurité de la France ».";
		expect(direct(readQuotes(listing))).toEqual([]);
		expect(direct(readQuotes("Selon un rapport établi par l'INSEE sur « Les revenus et le patrimoine des ménages », la crise a touché les plus modestes."))).toEqual([]);
		// Words said stay quotes: a partial quote after `sur`, a sentence after a time.
		expect(direct(readQuotes('Le ministre Jean Dupont a insisté sur « la nécessité d’un dialogue avec les syndicats ».')).map((q) => q.text)).toEqual(['la nécessité d’un dialogue avec les syndicats']);
		expect(direct(readQuotes('Il a prévenu vers 10 h. « Nous ne fermerons pas l’école. »')).map((q) => q.text)).toEqual(['Nous ne fermerons pas l’école.']);
	});

	// wikinews-fr-44046: a union's statement quoted in « … » that opens on a straight " it never closes.
	const report = 'SUD-PTT a relevé que « "ce n\'est que très tardivement (le 20 mai dernier) que l\'enquête du CHSCT sur le suicide de Jérémy Buan a commencé, retardée par l\'obstruction systématique du directeur de la direction opérationnelle territoriale courrier ».\n\nFace à l\'absence de position claire, les fédérations ont réagi.';

	it('leaves a stray straight " right inside « … » out of the quote, like the « itself', () => {
		expect(direct(readQuotes(report))).toMatchObject([{ text: expect.stringMatching(/^ce n'est que très tardivement .* territoriale courrier$/u), cue: 'a relevé', speaker: 'SUD-PTT' }]);
		expect(direct(readQuotes('« Il faut en finir avec ces pratiques, et vite" », a déclaré Jean Dupont.'))[0].text).toBe('Il faut en finir avec ces pratiques, et vite');
	});

	it('keeps straight marks that pair inside the quote', () => {
		expect(direct(readQuotes('« "Non", a-t-il répondu, et il est parti sans un mot », raconte Marie Durand.'))[0].text).toBe('"Non", a-t-il répondu, et il est parti sans un mot');
	});

	it('opens no quote on a straight " that never closes, and leaves it out of the reported clause', () => {
		const unclosed = report.replace('« "', '"').replace(' ».', '.');
		const quotes = readQuotes(unclosed);
		expect(direct(quotes)).toEqual([]);
		expect(quotes.every((q) => !q.text.startsWith('"'))).toBe(true);
		expect(indirect(quotes)).toMatchObject([{ text: expect.stringMatching(/^ce n'est que très tardivement/u), cue: 'a relevé', speaker: 'SUD-PTT' }]);
		const inverted = readQuotes('"Ce n\'est que très tardivement que l\'enquête a commencé, a relevé SUD-PTT.\n\nLes fédérations ont réagi.');
		expect(inverted).toMatchObject([{ kind: 'indirect', text: "Ce n'est que très tardivement que l'enquête a commencé", speaker: 'SUD-PTT' }]);
	});

	it('keeps a short quoted sentence', () => {
		expect(direct(readQuotes('« Quel pied ! » a lancé Thierry Roland.'))).toMatchObject([{ text: 'Quel pied !', speaker: 'Thierry Roland' }]);
	});
});

describe('speakers', () => {
	it('reads the subject before the verb, through appositions and parentheses', () => {
		const text = 'Nadim Houry, responsable de l’organisation, précise que « la torture continue aujourd’hui en Syrie ». Philippe Gosselin (UMP) a dénoncé un « Incident grave ! Malgré un vote annoncé, la gauche fait suspendre la séance ! ».';
		expect(direct(readQuotes(text)).map((q) => q.speaker)).toEqual(['Nadim Houry', 'Philippe Gosselin']);
	});

	it('reads inverted subjects after the quote: names, titles, roles and pronouns', () => {
		const text = [
			'« Nous avons appris beaucoup de choses cette semaine » s’est réjoui le président Obama à Hilliard.',
			'« Le président a annoncé un grand débat national » a-t-il précisé.',
			'« Nous réagissons sans attacher plus d’importance à cela » déclare à l’AFP Jean-Philippe Magnen, le porte-parole.',
			'« Rien ne peut être sûr à cent pour cent ici » a indiqué V. Sapounov.',
			'« Nous ne disposons que de peu de matériaux » a poursuivi l’expert.',
			'« Nous en avons tiré une conclusion claire », conclut tout simplement Joji Otaki.'
		].join('\n\n');
		expect(direct(readQuotes(text)).map((q) => [q.cue, q.speaker])).toEqual([
			['s’est réjoui', 'Obama'],
			['a-t-il précisé', 'il'],
			['déclare', 'Jean-Philippe Magnen'],
			['a indiqué', 'V. Sapounov'],
			['a poursuivi', 'l’expert'],
			['conclut', 'Joji Otaki']
		]);
	});

	it('takes the source of selon / d’après / pour frames', () => {
		const text = 'Selon le président du conseil, Michel Spiro, le boson va permettre de poursuivre les recherches. D’après V. Sapounov, le Kouzbass ne serait pas la seule zone habitée. Pour l’organisation, l’usage de la torture est systématique.';
		expect(indirect(readQuotes(text)).map((q) => [q.cue, q.speaker])).toEqual([
			['Selon', 'Michel Spiro'],
			['D’après', 'V. Sapounov'],
			['Pour', 'l’organisation']
		]);
	});

	it('leaves a role it cannot resolve as a mention span', () => {
		const [quote] = readQuotes('« Nous ne lâcherons rien du tout cette fois », a affirmé le porte-parole du syndicat.');
		expect(quote).toMatchObject({ speaker: 'le porte-parole du syndicat', speakerLayer: 'mention' });
	});
});

describe('indirect quotes and reporting verbs', () => {
	it.each([
		['Marie Curie a déclaré que', 'a déclaré'],
		['Marie Curie avait annoncé qu’', 'avait annoncé'],
		['Marie Curie aurait affirmé que', 'aurait affirmé'],
		['Marie Curie estime que', 'estime'],
		['Marie Curie estimait que', 'estimait'],
		['Marie Curie assurera que', 'assurera'],
		['Marie Curie annonça que', 'annonça'],
		['Marie Curie a regretté que', 'a regretté'],
		['Marie Curie a insisté sur le fait que', 'a insisté sur le fait'],
		["Marie Curie a cependant déclaré qu'", 'a cependant déclaré'],
		['Marie Curie s’est félicitée que', 's’est félicitée'],
		['Marie Curie reconnaît que', 'reconnaît'],
		['Marie Curie répondit que', 'répondit']
	])('%s …', (lead, cue) => {
		const [quote] = readQuotes(`${lead} ${lead.endsWith('’') || lead.endsWith("'") ? '' : ''}la situation restait très difficile pour tous. Fin.`.replace(/(['’]) /u, '$1'));
		expect(quote).toMatchObject({ kind: 'indirect', cue, speaker: 'Marie Curie', text: 'la situation restait très difficile pour tous' });
	});

	it('generates the tenses from the lemma data', () => {
		const declarer = formsOf(REPORTING_VERBS.find((v) => v.lemma === 'déclarer')!);
		expect(declarer.finite).toEqual(expect.arrayContaining(['déclare', 'déclarent', 'déclarait', 'déclarera', 'déclara', 'déclarèrent', 'déclarerait']));
		expect(declarer.participles).toEqual(['déclaré', 'déclarée', 'déclarés', 'déclarées']);
		const annoncer = formsOf(REPORTING_VERBS.find((v) => v.lemma === 'annoncer')!);
		expect(annoncer.finite).toEqual(expect.arrayContaining(['annonça', 'annonçait']));
		expect(lemmaOfCue('a-t-il cependant déclaré')).toBe('déclarer');
		expect(new RegExp(`^(?:${reportingCuePattern()})$`, 'u').test('avaient précisé')).toBe(true);
	});

	it('does not read nouns as verbs ("l’annonce que")', () => {
		expect(readQuotes('L’annonce que la ville va fermer le stade a surpris tout le monde.')).toEqual([]);
	});

	it('stops the reported content before a direct quote, and takes only the direct one when nothing precedes it', () => {
		const quotes = readQuotes('Le ministre Paul Martin a déclaré que « la réforme sera votée avant l’été ».');
		expect(quotes).toHaveLength(1);
		expect(quotes[0]).toMatchObject({ kind: 'direct', cue: 'a déclaré', speaker: 'Paul Martin' });
	});

	it('takes the clause before a final "selon X"', () => {
		const quotes = readQuotes('Mais, ce droit est remis en cause, selon un collectif de défense des droits des femmes.');
		expect(quotes).toMatchObject([{ kind: 'indirect', text: 'ce droit est remis en cause', cue: 'selon', speaker: 'un collectif de défense des droits des femmes' }]);
	});
});

describe('stance cues', () => {
	const stances = (text: string, entities: EntityInput[] = []) => {
		const index = new OffsetIndex(text);
		const { spans, links } = suggestQuotes(text, entities);
		return spans.flatMap((span, i) => {
			if (span.layer !== 'stance') return [];
			const holder = links.find((l) => l.kind === 'holder' && l.from === i)!;
			const target = links.find((l) => l.kind === 'target' && l.from === i);
			return [{
				text: index.slice(span.start, span.end),
				polarity: span.attributes?.polarity,
				holder: holder.to === null ? holder.toName : index.slice(spans[holder.to].start, spans[holder.to].end),
				target: target?.to != null ? index.slice(spans[target.to].start, spans[target.to].end) : null
			}];
		});
	};

	it('guesses polarity and flips it under negation', () => {
		expect(stances('La Russie est prête à coopérer. Cependant, l’Alliance n’y est pas encore prête.')).toEqual([
			{ text: 'est prête à', polarity: 'favor', holder: 'article', target: null },
			{ text: 'n’y est pas encore prête', polarity: 'against', holder: 'article', target: null }
		]);
		expect(stances('Ce projet n’est pas néfaste.')[0]).toMatchObject({ text: 'n’est pas néfaste', polarity: 'favor' });
	});

	it('gives the quote’s speaker as holder inside a quote', () => {
		const found = stances('« C’est très triste et la tension est artificielle, contre nature même », a regretté M. Lavrov.');
		expect(found.map((s) => [s.text, s.polarity, s.holder])).toEqual([
			['est très triste', 'against', 'Lavrov'],
			['est artificielle', 'against', 'Lavrov'],
			['contre nature', 'against', 'Lavrov']
		]);
	});

	it('links a clearly targeted entity', () => {
		const text = 'Le syndicat dénonce Renault pour ses licenciements.';
		const start = text.indexOf('Renault');
		expect(stances(text, [{ start, end: start + 7, label: 'ORG' }])).toEqual([{ text: 'dénonce', polarity: 'against', holder: 'article', target: 'Renault' }]);
	});
});
