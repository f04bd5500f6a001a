// The workspace's keyboard map, in one place: the handler and the help overlay both read it.
import type { Workspace } from './workspace.svelte';

export interface Shortcut {
	keys: string[];
	action: string;
}

export const SHORTCUT_GROUPS: { title: string; shortcuts: Shortcut[] }[] = [
	{
		title: 'Se déplacer',
		shortcuts: [
			{ keys: ['→', 'j'], action: 'Annotation ou suggestion suivante (mot suivant pendant une sélection)' },
			{ keys: ['←', 'k'], action: 'Annotation ou suggestion précédente (mot précédent pendant une sélection)' },
			{ keys: ['n'], action: 'Nouvelle sélection : le mot après l’annotation courante' },
			{ keys: ['Échap'], action: 'Fermer le message, puis abandonner la sélection (→ / ← y ramènent) ; fermer une fenêtre' }
		]
	},
	{
		title: 'Créer et corriger',
		shortcuts: [
			{ keys: ['souris'], action: 'Sélectionner un passage (calé sur les mots ; Alt pour le caractère près)' },
			{ keys: ['1–9'], action: 'Étiqueter la sélection ou l’entité courante (voir la légende ; en AZERTY, sans Maj)' },
			{ keys: ['q'], action: 'Faire de la sélection une citation' },
			{ keys: ['c'], action: 'Sélection : verbe introducteur ; sur une citation : choisir son verbe' },
			{ keys: ['m'], action: 'Faire de la sélection une mention (pronom, « le ministre russe »)' },
			{ keys: ['s'], action: 'Faire de la sélection une prise de position' },
			{ keys: ['Maj+→', 'Maj+←'], action: 'Étendre / réduire la fin d’un mot' },
			{ keys: ['Alt+←', 'Alt+→'], action: 'Étendre / réduire le début d’un mot' },
			{ keys: ['Suppr', '⌫'], action: 'Supprimer l’annotation courante (rejeter une suggestion)' }
		]
	},
	{
		title: 'Suggestions',
		shortcuts: [
			{ keys: ['Entrée'], action: 'Accepter la suggestion courante' },
			{ keys: ['x'], action: 'Rejeter la suggestion courante' },
			{ keys: ['1–9'], action: 'Accepter avec une autre étiquette' },
			{ keys: ['a'], action: 'Tout accepter (par étiquette ou au-dessus d’un score)' }
		]
	},
	{
		title: 'Citations et positions',
		shortcuts: [
			{ keys: ['p'], action: 'Locuteur de la citation / auteur de la position' },
			{ keys: ['t'], action: 'Cible de la position' },
			{ keys: ['d'], action: 'Citation directe ↔ indirecte ; polarité de la position' }
		]
	},
	{
		title: 'Cas difficiles',
		shortcuts: [{ keys: ['!'], action: 'Signaler un doute sur l’annotation courante, avec une note facultative (de nouveau : lever le doute)' }]
	},
	{
		title: 'Document',
		shortcuts: [
			{ keys: ['Ctrl+Z'], action: 'Annuler' },
			{ keys: ['Ctrl+Maj+Z', 'Ctrl+Y'], action: 'Rétablir' },
			{ keys: ['Ctrl+Entrée'], action: 'Terminé, document suivant (jeu de référence : relecture terminée, retour à la Relecture)' },
			{ keys: ['g'], action: 'Consignes d’annotation du projet' },
			{ keys: ['?'], action: 'Cette aide' }
		]
	}
];

/** Handles a key press on the workspace; returns true when the key was used. */
export function handleWorkspaceKey(ws: Workspace, event: KeyboardEvent, actions: { doneAndNext: () => void }): boolean {
	const ctrl = event.ctrlKey || event.metaKey;
	const key = event.key;
	if (ctrl && !event.altKey) {
		if (key === 'z' || key === 'Z') {
			if (event.shiftKey) ws.redo();
			else ws.undo();
			return true;
		}
		if (key === 'y') {
			ws.redo();
			return true;
		}
		if (key === 'Enter') {
			actions.doneAndNext();
			return true;
		}
		return false;
	}
	if (key === 'ArrowRight' || key === 'ArrowLeft') {
		const direction = key === 'ArrowRight' ? 1 : -1;
		if (event.shiftKey && !event.altKey) ws.resizeCurrent('end', direction);
		else if (event.altKey && !event.shiftKey) ws.resizeCurrent('start', direction);
		else if (!event.shiftKey && !event.altKey) ws.move(direction);
		else return false;
		return true;
	}
	if (event.altKey) return false;
	switch (key) {
		case 'j':
			ws.move(1);
			return true;
		case 'k':
			ws.move(-1);
			return true;
		case 'Enter':
			if (ws.current?.type !== 'suggestion') return false;
			ws.acceptCurrent();
			return true;
		case 'x':
			ws.rejectCurrent();
			return true;
		case 'Delete':
		case 'Backspace':
			ws.deleteCurrent();
			return true;
		case 'Escape':
			// A message first: Échap answers it and the reader keeps their place (a warning about the last
			// key must not cost them the item they were on); the next Échap drops the selection.
			if (ws.notice) ws.notice = null;
			else ws.select(null);
			return true;
		case 'n':
			ws.startDraft();
			return true;
		case 'q':
			ws.createSpan('quote');
			return true;
		case 'm':
			ws.createSpan('mention');
			return true;
		case 's':
			ws.createSpan('stance');
			return true;
		case 'c':
			if (ws.current?.type === 'draft') ws.createSpan('cue');
			else ws.openPicker('cue');
			return true;
		case 'p': {
			const span = ws.currentSpan();
			ws.openPicker(span?.layer === 'stance' ? 'holder' : 'speaker');
			return true;
		}
		case 't':
			ws.openPicker('target');
			return true;
		case 'd':
			ws.cycleAttribute();
			return true;
		// Before the label keys: on a QWERTY keyboard `!` is Shift+1, whose place is label 1's.
		case '!':
			ws.toggleDoubt();
			return true;
		case 'a':
			if (ws.goldLocked) ws.notice = { tone: 'warn', text: 'Relecture terminée : rouvrez-la (« Relecture en cours ») pour accepter des suggestions.' };
			else ws.overlay = 'accept-all';
			return true;
		case '?':
			ws.overlay = 'help';
			return true;
		case 'g':
			ws.overlay = 'guidelines';
			return true;
	}
	const digit = labelDigit(event);
	if (digit) {
		ws.labelCurrent(digit);
		return true;
	}
	return false;
}

/**
 * The label key 1–9, by the digit typed or by the key's place: on a French AZERTY keyboard the
 * digit row types & é " ' ( - è _ ç without Shift, and an annotator presses it for label 1 as the
 * legend shows. The number pad counts too.
 */
function labelDigit(event: KeyboardEvent): string | null {
	if (/^[1-9]$/.test(event.key)) return event.key;
	return /^(?:Digit|Numpad)([1-9])$/.exec(event.code)?.[1] ?? null;
}
