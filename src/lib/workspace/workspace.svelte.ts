// The annotation workspace's client state: the annotator's set being edited, the suggestions
// laid over it, what is selected, undo/redo, and the save queue. Edits are the pure operations
// of domain/editing, applied here on each keystroke and replayed by the server on save.
// Rendering is kept cheap for long articles: each paragraph (each block of a long one) holds its
// own list of highlights and is only given a new one when something in it changed.
import { OffsetIndex } from '../domain/offsets';
import { findSentenceRanges, tokenizeWords, type Token } from '../domain/tokens';
import { ORGANISATION_LABEL, PERSON_LABEL, projectLabelFor, type LabelSchema } from '../domain/label-schema';
import { doubtOf, LINK_KIND_NAMES, SPAN_LAYER_NAMES, type LinkKind, type SpanDoubt } from '../domain/spans';
import {
	acceptOperation,
	applyOperation,
	describeBrokenLinks,
	describeOperation,
	doubtOperation,
	EditError,
	excerptForMessage,
	invertOperation,
	isAlreadyApplied,
	keepApplicableHistory,
	linkOperation,
	removeSpanOperation,
	updateSpanOperation,
	type EditContext,
	type Operation
} from '../domain/editing/operations';
import { fromSnapshot, isRejected, linkSlot, sortedSpans, spanKey, suggestionKey, type EditSpan, type EditState, type SetStatus, type StateSnapshot } from '../domain/editing/state';
import { compareSources, groupSuggestions, linkTargetValue, visibleSuggestions, type ShownSuggestion, type Suggestion } from '../domain/editing/suggestions';
import { findNewParagraphBreak, findParagraphBreaks, mayCrossParagraphs, paragraphBounds } from '../domain/editing/paragraphs';
import { adjacentWord, moveEdge, nextWordFrom, snapToWords, withoutLeadingElision, wordAt, type Range } from '../domain/editing/snapping';
import { bucketByParagraph, compareRenderSpans, RENDER_BLOCK_LENGTH, splitParagraphs, splitRenderBlocks, type Paragraph, type RenderSpan, type TextBlock } from './layout';
import { SyncQueue, type RebaseRequest } from './sync.svelte';

export type Target = { type: 'span'; key: string } | { type: 'suggestion'; key: string } | { type: 'draft'; start: number; end: number };

export type LayerToggle = 'entity' | 'quote' | 'stance' | 'suggestions';

/** Which layers the annotator shows: a preference of this browser, the same for every document. */
const LAYERS_KEY = 'guillemet:layers';

export interface Notice {
	text: string;
	tone: 'info' | 'error' | 'warn';
	details?: string[];
	/**
	 * About the document (a conflict, changes loaded from elsewhere, work taken over), not about the
	 * key just pressed: it stays while the annotator moves around. Other notices go like a toast.
	 */
	lasting?: boolean;
}

export interface PickerOption {
	id: string;
	label: string;
	detail: string;
	target: { to: string } | { toName: string };
	/** A machine suggestion not taken yet: picking it accepts it and links to it, in one step. */
	suggestion?: Suggestion;
	/** Where this occurrence stands (a name often occurs several times): a few words around it. */
	context?: OccurrenceContext;
}

export interface OccurrenceContext {
	/** With a leading `…` where the paragraph goes on further back. */
	before: string;
	/** With a trailing `…` where the paragraph goes on further. */
	after: string;
	/** 1-based, as the annotator counts. */
	paragraph: number;
}

/** Words shown either side of an occurrence in the link picker. */
const CONTEXT_WORDS = 4;

export interface PickerState {
	kind: LinkKind;
	from: string;
	title: string;
	options: PickerOption[];
	current: string | null;
}

/** One block's highlights; replaced only when they change, so other blocks stay put. */
export class BlockView {
	spans: RenderSpan[] = $state.raw([]);
	current: string | null = $state(null);
	signature = '';
	constructor(readonly block: TextBlock) {}
}

/** A paragraph, drawn in one block, or in several when it is long (an OCR newspaper page). */
export class ParagraphView {
	constructor(
		readonly paragraph: Paragraph,
		readonly blocks: BlockView[]
	) {}
}

const LAYER_OF_TOGGLE: Record<string, LayerToggle> = { entity: 'entity', mention: 'quote', quote: 'quote', cue: 'quote', stance: 'stance' };
const POLARITY_LABELS: Record<string, string> = { favor: 'pour', against: 'contre', neutral: 'neutre' };
const KIND_LABELS: Record<string, string> = { direct: 'directe', indirect: 'indirecte' };

export function polarityLabel(polarity: string): string {
	return POLARITY_LABELS[polarity] ?? polarity;
}
export function kindLabel(kind: string): string {
	return KIND_LABELS[kind] ?? kind;
}

export interface WorkspaceInput {
	documentId: number;
	owner: string;
	/**
	 * The set edited: the annotator's own (default), or the document's gold set, which a reviewer
	 * edits with the annotators' spans as suggestions (see review/listGoldSuggestions).
	 */
	set?: WorkspaceSet;
	/** Who types: named in the provenance of the spans they add (`human:<author>`); the owner by default. */
	author?: string;
	text: string;
	labelSchema: LabelSchema;
	revision: number;
	snapshot: StateSnapshot;
	suggestions: Suggestion[];
	fetcher?: typeof fetch;
}

export type WorkspaceSet = 'own' | 'gold';

/** Where the workspace reads and saves its set: the same endpoint for both, the gold set named in the query. */
function annotationsEndpoint(documentId: number, set: WorkspaceSet): string {
	return `/api/documents/${documentId}/annotations${set === 'gold' ? '?set=gold' : ''}`;
}

export class Workspace {
	readonly documentId: number;
	readonly owner: string;
	readonly set: WorkspaceSet;
	/** A finished review locks the gold set until it is reopened (the server refuses edits too). */
	get goldLocked(): boolean {
		return this.set === 'gold' && this.state.status === 'done';
	}
	readonly author: string;
	readonly text: string;
	readonly index: OffsetIndex;
	private tokenCache: Token[] | null = null;
	readonly schema: LabelSchema;
	readonly context: EditContext;
	readonly paragraphs: ParagraphView[];
	readonly sync: SyncQueue;
	readonly suggestions: Suggestion[];

	state: EditState = $state.raw(fromSnapshot({ spans: [], links: [], rejected: [], status: 'todo' }));
	layers: Record<LayerToggle, boolean> = $state({ entity: true, quote: true, stance: true, suggestions: true });
	current: Target | null = $state.raw(null);
	notice: Notice | null = $state(null);
	/** Read out by screen readers after each action. */
	announcement = $state('');
	picker: PickerState | null = $state(null);
	overlay: 'help' | 'guidelines' | 'accept-all' | 'doubt' | null = $state(null);
	/** The annotation the doubt dialog (`!`) is about, by span key. */
	doubtKey: string | null = $state(null);
	undoCount = $state(0);
	redoCount = $state(0);
	/** Suggestions still to decide on (all layers, ignoring the layer toggles). */
	pendingSuggestions: Suggestion[] = $state.raw([]);

	readonly quotes = $derived(sortedSpans(this.state.spans.values()).filter((span) => span.layer === 'quote'));
	readonly stances = $derived(sortedSpans(this.state.spans.values()).filter((span) => span.layer === 'stance'));
	readonly spanCount = $derived(this.state.spans.size);
	/** The annotations marked as doubts (`!`), in reading order, for the side panel. */
	readonly doubts = $derived(sortedSpans(this.state.spans.values()).filter((span) => doubtOf(span) !== null));

	private undoStack: Operation[] = [];
	private redoStack: Operation[] = [];
	/** Everything navigable (own spans and suggestions of the visible layers), in reading order. */
	private items: RenderSpan[] = [];
	/**
	 * UTF-16 start of the last current item or selection: to land near it when that item disappears,
	 * and for → / ← to resume there after Échap (null until something was current).
	 */
	private lastCurrentStart: number | null = null;
	private renderById = new Map<string, RenderSpan>();
	private suggestionByKey: Map<string, Suggestion>;
	/** For each shown suggestion, the sources agreeing with it and those in conflict. */
	private shownByKey = new Map<string, ShownSuggestion>();
	/** sourceDifferences' answers for one edit state, by the keys of the sources compared. */
	private differencesMemo: { state: EditState | null; bySources: Map<string, string[]> } = { state: null, bySources: new Map() };
	/** Every paragraph's blocks, in reading order. */
	private blocks: BlockView[];
	private currentBlocks: BlockView[] = [];
	private labelByHotkey: Map<string, string>;
	/** The notice that the label schema changed since the page opened was shown (once is enough). */
	private schemaChangeSaid = false;
	private colourByLabel: Map<string, string>;

	/** Words for snapping and keyboard moves, cut on first use (not needed to show the article). */
	get tokens(): Token[] {
		this.tokenCache ??= tokenizeWords(this.text, this.index);
		return this.tokenCache;
	}

	constructor(input: WorkspaceInput) {
		this.documentId = input.documentId;
		this.owner = input.owner;
		this.set = input.set ?? 'own';
		this.author = input.author ?? input.owner;
		this.text = input.text;
		this.index = new OffsetIndex(input.text);
		this.schema = input.labelSchema;
		this.context = {
			textLength: this.index.length,
			paragraphBreaks: findParagraphBreaks(input.text, this.index),
			entityLabels: input.labelSchema.entityLabels.map((l) => l.name),
			quoteKinds: input.labelSchema.quoteKinds,
			stancePolarities: input.labelSchema.stancePolarities,
			goldSet: this.set === 'gold',
			// Why an edit did not apply (a conflict replayed, an undo) names spans by their words too.
			textOf: (range) => excerptForMessage(this.spanText(range))
		};
		this.state = fromSnapshot(input.snapshot);
		this.paragraphs = this.splitIntoBlocks(splitParagraphs(input.text), [...this.state.spans.values(), ...input.suggestions]);
		this.blocks = this.paragraphs.flatMap((view) => view.blocks);
		this.suggestions = input.suggestions;
		this.suggestionByKey = new Map(input.suggestions.map((s) => [s.key, s]));
		this.labelByHotkey = new Map(input.labelSchema.entityLabels.map((l) => [l.hotkey, l.name]));
		this.colourByLabel = new Map(input.labelSchema.entityLabels.map((l) => [l.name, l.colour]));
		// The queue kept in this browser is the author's: the gold set is shared by every reviewer, and
		// one reviewer's unsaved edits must not be sent later under another reviewer's name.
		const queueOwner = this.set === 'gold' ? `${input.owner}~${this.author}` : input.owner;
		this.sync = new SyncQueue(input.documentId, queueOwner, input.revision, (request) => this.rebase(request), input.fetcher, annotationsEndpoint(input.documentId, this.set));
		this.refresh();
	}

	/**
	 * Starts saving, once this tab's id is settled (a moment after a reload, see claimTabId) and the
	 * work a previous page of this document left unsaved is taken over.
	 */
	start(): void {
		// Cut the words once the page is idle, so neither opening nor the first key waits for it.
		const warm = () => void this.tokens;
		if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 2000 });
		else setTimeout(warm, 200);
		try {
			const saved = JSON.parse(localStorage.getItem(LAYERS_KEY) ?? 'null') as Partial<Record<LayerToggle, boolean>> | null;
			if (saved) {
				for (const layer of Object.keys(this.layers) as LayerToggle[]) if (typeof saved[layer] === 'boolean') this.layers[layer] = saved[layer];
				this.refresh();
			}
		} catch {
			// Unreadable preferences: keep every layer shown.
		}
		void this.sync.claimStorage().then((open) => open && this.resume());
	}

	/** Takes over the work earlier pages of this document left unsaved, and starts saving. */
	private resume(): void {
		const orphans = this.sync.adoptOrphans();
		if (!orphans.length) {
			this.sync.start(null);
			return;
		}
		const operations = orphans.flatMap((orphan) => orphan.operations);
		const single = orphans.length === 1 ? orphans[0] : null;
		const baseRevision = single ? single.baseRevision : Math.min(...orphans.map((o) => o.baseRevision));
		// Shown at once; the server has the last word when the queue is sent.
		let state = this.state;
		for (const op of operations) {
			try {
				state = applyOperation(state, op, this.context);
			} catch {
				// Already on the server (the page closed after the save went through) or no longer
				// applicable: the send below settles which, and a conflict reports it.
			}
		}
		this.state = state;
		this.notice = { tone: 'info', text: `${operations.length} modification(s) non enregistrée(s) lors de la dernière visite : reprise de l’enregistrement.`, lasting: true };
		this.sync.start({ operations, sealed: single?.sealed ?? null, baseRevision });
		this.refresh();
	}

	dispose(): void {
		this.sync.dispose();
	}

	// ---- editing -------------------------------------------------------------------------

	/** Applies an operation, records it for undo and queues it for saving. */
	dispatch(op: Operation, select?: Target | null): boolean {
		const before = this.state;
		try {
			this.state = applyOperation(this.state, op, this.context);
		} catch (error) {
			if (!(error instanceof EditError)) throw error;
			this.notice = { tone: 'error', text: `Impossible : ${error.message}.` };
			this.announcement = this.notice.text;
			return false;
		}
		this.undoStack.push(op);
		this.redoStack = [];
		this.undoCount = this.undoStack.length;
		this.redoCount = 0;
		this.sync.enqueue(op);
		if (select !== undefined) this.current = select;
		// A conflict report stays until dismissed: it lists work the annotator may want to redo.
		if (!this.notice?.details?.length) this.notice = null;
		this.refresh();
		if (!this.sayBrokenLinks(before, this.describe(op), 'Ctrl+Z pour annuler')) this.announce(this.describe(op));
		return true;
	}

	/**
	 * Says which quote lost its speaker or cue, which stance its holder or target, when an edit took
	 * away the span they pointed to: nothing else on the page shows it, and Ctrl+Z brings both back.
	 * `what` is the edit in words (undone or redone ones say so), `back` the key that takes it back.
	 * False when no link was broken.
	 */
	private sayBrokenLinks(before: EditState, what: string, back: string): boolean {
		const broken = describeBrokenLinks(before, this.state, this.context.textOf);
		if (!broken.length) return false;
		// Unless a conflict report is up: it lists work to redo and stays until dismissed.
		const text = `${what.charAt(0).toUpperCase()}${what.slice(1)} : ${broken.join(' ; ')}. ${back}.`;
		if (!this.notice?.details?.length) this.notice = { tone: 'warn', text };
		this.announce(text);
		return true;
	}

	undo(): void {
		const op = this.undoStack.pop();
		if (!op) return;
		const inverse = invertOperation(op);
		if (this.applyHistory(inverse, `Annulé : ${this.describe(op)}`, 'Ctrl+Maj+Z pour rétablir')) this.redoStack.push(op);
		else this.undoStack.push(op);
		this.undoCount = this.undoStack.length;
		this.redoCount = this.redoStack.length;
	}

	redo(): void {
		const op = this.redoStack.pop();
		if (!op) return;
		if (this.applyHistory(op, `Rétabli : ${this.describe(op)}`, 'Ctrl+Z pour annuler')) this.undoStack.push(op);
		else this.redoStack.push(op);
		this.undoCount = this.undoStack.length;
		this.redoCount = this.redoStack.length;
	}

	/** `back`: the key that takes the step back, said when it broke a link. */
	private applyHistory(op: Operation, message: string, back: string): boolean {
		const before = this.state;
		try {
			this.state = applyOperation(this.state, op, this.context);
		} catch (error) {
			if (!(error instanceof EditError)) throw error;
			this.notice = { tone: 'error', text: `Impossible d’annuler ou de rétablir : ${error.message}.` };
			return false;
		}
		this.sync.enqueue(op);
		// Go to what the step changed (the suggestion an undone rejection gives back, the span an undone
		// deletion restores), so that the next key acts on it; a step on nothing in the text (a status)
		// leaves the reader where they are. What is not shown (its layer hidden) is replaced by the
		// nearest item in refresh.
		this.current = this.targetAfter(op) ?? this.current;
		this.notice = { tone: 'info', text: message };
		this.refresh();
		// A redone deletion breaks its links again: said as the first time.
		if (!this.sayBrokenLinks(before, message, back)) this.announce(message);
		return true;
	}

	/** What an operation leaves to look at: the span or suggestion it made or gave back. */
	private targetAfter(op: Operation): Target | null {
		switch (op.type) {
			case 'add':
			case 'accept':
				return { type: 'span', key: spanKey(op.span) };
			case 'update':
				return { type: 'span', key: spanKey(op.after) };
			case 'unaccept':
			case 'unreject':
				return { type: 'suggestion', key: suggestionKey(op.suggestion) };
			case 'link':
				return this.state.spans.has(op.from) ? { type: 'span', key: op.from } : null;
			case 'batch':
				// Its last step is the main one: an accept with its links undone ends with the quote given back.
				for (const step of [...op.operations].reverse()) {
					const target = this.targetAfter(step);
					if (target) return target;
				}
				return null;
			default:
				return null;
		}
	}

	/** An operation in words, its spans named by their text (shortened), for notices and screen readers. */
	private describe(op: Operation): string {
		return describeOperation(op, this.context.textOf);
	}

	/** The server's state after a conflict or a refused save: replays the queue on it. */
	private rebase(request: RebaseRequest): Operation[] {
		let state = fromSnapshot(request.snapshot);
		const applied: Operation[] = [];
		const failed: string[] = [];
		const notReplayed = new Set<Operation>();
		let alreadyDone = 0;
		for (const [index, op] of request.operations.entries()) {
			if (index === request.refused) {
				// Said in the notice's first words: the server's message names the operation and says why.
				notReplayed.add(op);
				continue;
			}
			try {
				state = applyOperation(state, op, this.context);
				applied.push(op);
			} catch (error) {
				if (!(error instanceof EditError)) throw error;
				notReplayed.add(op);
				// The same change made in the other tab: nothing to redo, nothing lost.
				if (isAlreadyApplied(state, op)) alreadyDone++;
				else failed.push(`${this.describe(op)} : ${error.message}`);
			}
		}
		this.state = state;
		// An edit that was not replayed is not in the set: undoing it would undo the other tab's instead.
		const dropped = this.keepApplicableHistory(notReplayed);
		if (this.current?.type === 'span' && !state.spans.has(this.current.key)) this.current = null;
		const replayed = `${applied.length ? ` ${applied.length} modification(s) réappliquée(s) par-dessus.` : ''}${alreadyDone ? ` ${alreadyDone} modification(s) déjà faite(s) ailleurs, à l’identique.` : ''}`;
		const refused = request.refused !== undefined;
		this.notice = {
			tone: failed.length || refused ? 'error' : 'warn',
			text: `${refused ? 'Modification refusée par le serveur' : 'Conflit'} : ${request.message}. L’état du serveur a été rechargé.${replayed}${historyNote(dropped)}${failed.length ? ` ${failed.length} modification(s) n’ont pas pu être réappliquée(s) :` : ''}`,
			details: failed,
			lasting: true
		};
		this.announcement = this.notice.text;
		this.refresh();
		return applied;
	}

	/** Takes the server's state when another tab or person saved and nothing is pending here. */
	async reloadIfStale(): Promise<void> {
		if (!this.sync.idle) return;
		const response = await fetch(annotationsEndpoint(this.documentId, this.set)).catch(() => null);
		if (!response?.ok) return;
		const body = (await response.json()) as { revision: number; snapshot: StateSnapshot; labelSchema?: LabelSchema };
		// Saves under a renamed label still land under its new name (the server maps former names),
		// but this page shows the names, colours and keys it opened with: say so, once.
		if (body.labelSchema && !this.schemaChangeSaid && JSON.stringify(body.labelSchema) !== JSON.stringify(this.schema)) {
			this.schemaChangeSaid = true;
			this.notice = {
				tone: 'warn',
				text: 'Le schéma d’annotation a changé depuis l’ouverture de la page (étiquettes renommées, ajoutées ou retirées) : rechargez la page pour travailler avec le nouveau. Vos modifications sont enregistrées.',
				lasting: true
			};
		}
		if (body.revision === this.sync.baseRevision || !this.sync.idle) return;
		this.state = fromSnapshot(body.snapshot);
		this.sync.baseRevision = body.revision;
		const dropped = this.keepApplicableHistory(new Set());
		if (this.current?.type === 'span' && !this.state.spans.has(this.current.key)) this.current = null;
		this.notice = { tone: 'info', text: `Le document a été modifié ailleurs : état mis à jour.${historyNote(dropped)}`, lasting: true };
		this.refresh();
	}

	/** Keeps the undo and redo steps that still apply to the state just loaded; returns how many went. */
	private keepApplicableHistory(notReplayed: ReadonlySet<Operation>): number {
		const undo = this.undoStack.filter((op) => !notReplayed.has(op));
		const redo = this.redoStack.filter((op) => !notReplayed.has(op));
		const kept = keepApplicableHistory(this.state, { undo, redo }, this.context);
		this.undoStack = kept.undo;
		this.redoStack = kept.redo;
		this.undoCount = kept.undo.length;
		this.redoCount = kept.redo.length;
		return kept.dropped;
	}

	// ---- intentions -------------------------------------------------------------------------

	private human(range: Range, layer: EditSpan['layer'], label: string, attributes: EditSpan['attributes'] = {}): EditSpan {
		return { layer, start: range.start, end: range.end, label, attributes, origin: 'human', score: null, provenance: `human:${this.author}`, decision: null };
	}

	createSpan(layer: EditSpan['layer'], label?: string): void {
		const current = this.current;
		if (current?.type !== 'draft') {
			this.notice = { tone: 'warn', text: 'Sélectionnez d’abord un passage (souris, ou n puis Maj+→).' };
			return;
		}
		let range = { start: current.start, end: current.end };
		let span: EditSpan;
		let elided: string | null = null;
		if (layer === 'entity') {
			const trimmed = withoutLeadingElision(this.tokens, range);
			if (trimmed) {
				elided = this.index.slice(range.start, trimmed.start);
				range = trimmed;
			}
			span = this.human(range, 'entity', label as string);
		}
		else if (layer === 'quote') span = this.human(range, 'quote', 'QUOTE', { kind: this.schema.quoteKinds[0] });
		else if (layer === 'stance') {
			const polarity = this.schema.stancePolarities.includes('neutral') ? 'neutral' : this.schema.stancePolarities[0];
			span = this.human(range, 'stance', 'STANCE', { polarity });
		} else span = this.human(range, layer, layer === 'cue' ? 'CUE' : 'MENTION');
		if (!mayCrossParagraphs(layer) && findNewParagraphBreak(this.context.paragraphBreaks, range) !== null) {
			// Refused rather than cut to one paragraph: a drag that slipped into the next paragraph may
			// have started too early as well as ended too late, and which words were meant is the
			// annotator's to say. The selection stays, one key from right (or from a quote).
			this.notice = {
				tone: 'warn',
				text: `La sélection « ${excerptForMessage(this.index.slice(range.start, range.end))} » passe d’un paragraphe à l’autre : seule une citation (q) peut en couvrir plusieurs. Maj+← ou Alt+→ la réduisent d’un mot.`
			};
			this.announce(this.notice.text);
			return;
		}
		if (!this.layers[LAYER_OF_TOGGLE[layer]]) this.layers[LAYER_OF_TOGGLE[layer]] = true;
		if (this.dispatch({ type: 'add', span }, { type: 'span', key: spanKey(span) }) && elided) {
			// Said, with the way back: a name whose article belongs to it (L’Oréal) takes it back in one key.
			this.notice = { tone: 'info', text: `« ${elided} » laissé hors de l’entité (élision : l’Otan → Otan). Alt+← pour l’y inclure.` };
			this.announce(this.notice.text);
		}
	}

	labelCurrent(hotkey: string): void {
		const label = this.labelByHotkey.get(hotkey);
		if (!label) return;
		const current = this.current;
		if (!current) return;
		if (current.type === 'draft') return this.createSpan('entity', label);
		if (current.type === 'suggestion') {
			const suggestion = this.suggestionByKey.get(current.key);
			if (suggestion?.layer === 'entity') this.acceptSuggestion(suggestion, label);
			return;
		}
		const span = this.state.spans.get(current.key);
		if (!span) return;
		if (span.layer !== 'entity') {
			this.notice = { tone: 'warn', text: `Les étiquettes 1–9 s’appliquent aux entités (celle-ci est une annotation « ${SPAN_LAYER_NAMES[span.layer]} »).` };
			return;
		}
		if (span.label !== label) this.dispatch(updateSpanOperation(this.state, current.key, { label }));
	}

	/**
	 * The operations that take a suggestion, with its source's links: a quote comes with its
	 * speaker and cue (taken too when not already in the set). Throws when the suggestion
	 * itself does not apply; a link that does not is left out.
	 */
	private planAccept(state: EditState, suggestion: Suggestion, label = suggestion.label): { state: EditState; operations: Operation[] } {
		const accept = acceptOperation(suggestion, label);
		let next = applyOperation(state, accept, this.context);
		const operations: Operation[] = [accept];
		const from = spanKey(suggestion);
		// Sources proposing the same span (two annotators on the gold set) may not have linked the same
		// things: each slot takes the first source's link that fills it, this suggestion's own first.
		for (const link of this.sourcesOf(suggestion).flatMap((source) => source.links ?? [])) {
			if (next.links.has(linkSlot({ kind: link.kind, from }))) continue;
			try {
				if ('toName' in link) {
					// The article as holder, a target from the project's list: a name, nothing to take first.
					const linkOp = linkOperation(next, link.kind, from, { toName: link.toName });
					next = applyOperation(next, linkOp, this.context);
					operations.push(linkOp);
					continue;
				}
				const target = this.suggestionByKey.get(link.to);
				if (!target) continue;
				if (!next.spans.has(spanKey(target))) {
					if (isRejected(next, target.key)) continue;
					const take = acceptOperation(target);
					next = applyOperation(next, take, this.context);
					operations.push(take);
				}
				const linkOp = linkOperation(next, link.kind, from, { to: spanKey(target) });
				next = applyOperation(next, linkOp, this.context);
				operations.push(linkOp);
			} catch (error) {
				if (!(error instanceof EditError)) throw error;
			}
		}
		return { state: next, operations };
	}

	acceptSuggestion(suggestion: Suggestion, label = suggestion.label): void {
		let op: Operation;
		try {
			const { operations } = this.planAccept(this.state, suggestion, label);
			op = operations.length === 1 ? operations[0] : { type: 'batch', description: `${this.describe(operations[0])} avec ses liens`, operations };
		} catch (error) {
			if (!(error instanceof EditError)) throw error;
			op = acceptOperation(suggestion, label);
		}
		const next = this.nextItemAfter(`s|${suggestion.key}`);
		this.dispatch(op, { type: 'span', key: spanKey(suggestion) });
		// Keep moving through the remaining suggestions: the next decision is one key away.
		if (next && this.renderById.has(next.id)) {
			this.current = this.targetOf(next);
			this.refresh();
		}
	}

	rejectSuggestion(suggestion: Suggestion): void {
		// The next item, or the previous one when this was the last: the reader stays where they are.
		const next = this.nextItemAfter(`s|${suggestion.key}`) ?? this.previousItemBefore(`s|${suggestion.key}`);
		const agreeing = this.shownByKey.get(suggestion.key)?.agreeing ?? [];
		const op: Operation = agreeing.length
			? { type: 'batch', description: `${this.describe({ type: 'reject', suggestion })} (${agreeing.length + 1} sources)`, operations: [suggestion, ...agreeing].map((s) => ({ type: 'reject', suggestion: s })) }
			: { type: 'reject', suggestion };
		this.dispatch(op, next ? this.targetOf(next) : null);
	}

	acceptCurrent(): void {
		const current = this.current;
		if (current?.type !== 'suggestion') return;
		const suggestion = this.suggestionByKey.get(current.key);
		if (suggestion) this.acceptSuggestion(suggestion);
	}

	rejectCurrent(): void {
		const current = this.current;
		if (current?.type !== 'suggestion') return;
		const suggestion = this.suggestionByKey.get(current.key);
		if (suggestion) this.rejectSuggestion(suggestion);
	}

	/**
	 * The remaining suggestions `acceptAll` would take: those shown (suggestions and their layer
	 * visible) matching the filter. The dialog counts with this too, so its figure is what happens.
	 */
	acceptAllCandidates(filter: { label: string | null; minScore: number | null }): Suggestion[] {
		if (!this.layers.suggestions) return [];
		return this.pendingSuggestions.filter(
			(s) =>
				this.layers[LAYER_OF_TOGGLE[s.layer]] &&
				(filter.label === null || s.label === filter.label) &&
				(filter.minScore === null || (s.score ?? 0) >= filter.minScore)
		);
	}

	/** Accepts every remaining suggestion shown that matches the filter; overlapping ones are skipped. */
	acceptAll(filter: { label: string | null; minScore: number | null }): number {
		const candidates = this.acceptAllCandidates(filter);
		let state = this.state;
		const operations: Operation[] = [];
		for (const suggestion of candidates) {
			if (state.spans.has(spanKey(suggestion))) continue;
			try {
				const planned = this.planAccept(state, suggestion);
				state = planned.state;
				operations.push(...planned.operations);
			} catch (error) {
				// Overlaps an entity accepted just before (two sources proposing the same name).
				if (!(error instanceof EditError)) throw error;
			}
		}
		if (!operations.length) {
			this.notice = { tone: 'warn', text: 'Aucune suggestion ne correspond.' };
			return 0;
		}
		const what = [filter.label, filter.minScore !== null ? `score ≥ ${filter.minScore}` : null].filter(Boolean).join(', ');
		const taken = operations.filter((op) => op.type === 'accept').length;
		// The current item stays current (or, once accepted, its span does): the reader keeps their place.
		// With nothing current, the first accepted span becomes current.
		const first = operations.find((op) => op.type === 'accept');
		const select = this.current ? undefined : first?.type === 'accept' ? { type: 'span' as const, key: spanKey(first.span) } : undefined;
		this.dispatch({ type: 'batch', description: `acceptation de ${taken} suggestion(s)${what ? ` (${what})` : ''}`, operations }, select);
		this.notice = { tone: 'info', text: `${taken} suggestion(s) acceptée(s).` };
		return taken;
	}

	deleteCurrent(): void {
		const current = this.current;
		if (current?.type === 'suggestion') return this.rejectCurrent();
		if (current?.type === 'draft') {
			this.current = null;
			this.refresh();
			return;
		}
		if (current?.type !== 'span' || !this.state.spans.has(current.key)) return;
		const next = this.nextItemAfter(`a|${current.key}`) ?? this.previousItemBefore(`a|${current.key}`);
		this.dispatch(removeSpanOperation(this.state, current.key), next ? this.targetOf(next) : null);
	}

	/** Moves one edge of the current span or selection by a word. */
	resizeCurrent(edge: 'start' | 'end', direction: 1 | -1): void {
		const current = this.current;
		if (!current) return;
		if (current.type === 'draft') {
			const range = moveEdge(this.tokens, current, edge, direction);
			if (range) this.select({ type: 'draft', ...range });
			return;
		}
		if (current.type === 'suggestion') {
			this.notice = { tone: 'warn', text: 'Acceptez d’abord la suggestion (Entrée), puis ajustez-la.' };
			return;
		}
		const span = this.state.spans.get(current.key);
		if (!span) return;
		const within = mayCrossParagraphs(span.layer) ? undefined : paragraphBounds(this.context.paragraphBreaks, span, this.index.length);
		const range = moveEdge(this.tokens, span, edge, direction, within);
		if (!range) {
			if (within && moveEdge(this.tokens, span, edge, direction)) {
				this.notice = { tone: 'warn', text: `${edge === 'end' ? 'Fin' : 'Début'} du paragraphe : seule une citation passe d’un paragraphe à l’autre.` };
				this.announce(this.notice.text);
			}
			return;
		}
		const op = updateSpanOperation(this.state, current.key, range);
		this.dispatch(op, { type: 'span', key: spanKey({ layer: span.layer, ...range }) });
	}

	/** Cycles a quote's kind or a stance's polarity. */
	cycleAttribute(): void {
		const span = this.currentSpan();
		if (!span) return;
		if (span.layer === 'quote') this.setAttribute(span, 'kind', next(this.schema.quoteKinds, span.attributes.kind));
		else if (span.layer === 'stance') this.setAttribute(span, 'polarity', next(this.schema.stancePolarities, span.attributes.polarity));
	}

	setAttribute(span: EditSpan, name: 'kind' | 'polarity', value: string): void {
		if (span.attributes[name] === value) return;
		this.dispatch(updateSpanOperation(this.state, spanKey(span), { attributes: { ...span.attributes, [name]: value } }), { type: 'span', key: spanKey(span) });
	}

	/**
	 * `!`: on an annotation, asks for the note of a new doubt (the dialog), or lifts the doubt it
	 * has. A doubt is on what the annotator kept: a suggestion is accepted first, a selection labelled.
	 */
	toggleDoubt(): void {
		const span = this.currentSpan();
		if (!span) {
			const text =
				this.current?.type === 'suggestion'
					? 'Acceptez d’abord la suggestion (Entrée), puis signalez le doute (!).'
					: this.current?.type === 'draft'
						? 'Annotez d’abord la sélection (1–9, q, c, m, s), puis signalez le doute (!).'
						: 'Placez-vous d’abord sur une annotation (→ / j) pour y signaler un doute.';
			this.notice = { tone: 'warn', text };
			this.announce(text);
			return;
		}
		if (doubtOf(span)) this.setDoubt(spanKey(span), null);
		else this.openDoubt(spanKey(span));
	}

	/** Opens the doubt dialog on an annotation: a new doubt, or its note to change. */
	openDoubt(key: string): void {
		if (!this.state.spans.has(key)) return;
		this.doubtKey = key;
		this.overlay = 'doubt';
	}

	/** Marks an annotation as a doubt with this note (as typed), or lifts its doubt (`null`). */
	setDoubt(key: string, doubt: SpanDoubt | null): void {
		const span = this.state.spans.get(key);
		if (!span || JSON.stringify(doubtOf(span)) === JSON.stringify(doubt)) return;
		try {
			this.dispatch(doubtOperation(this.state, key, doubt), { type: 'span', key });
		} catch (error) {
			if (!(error instanceof EditError)) throw error;
			this.notice = { tone: 'error', text: `Impossible : ${error.message}.` };
		}
	}

	setStatus(status: SetStatus): void {
		if (this.state.status === status) return;
		this.dispatch({ type: 'status', before: this.state.status, after: status });
	}

	setLink(kind: LinkKind, from: string, target: { to: string } | { toName: string } | null): void {
		this.dispatch(linkOperation(this.state, kind, from, target), { type: 'span', key: from });
	}

	// ---- selection and navigation -----------------------------------------------------------

	currentSpan(): EditSpan | null {
		return this.current?.type === 'span' ? (this.state.spans.get(this.current.key) ?? null) : null;
	}

	currentSuggestion(): Suggestion | null {
		return this.current?.type === 'suggestion' ? (this.suggestionByKey.get(this.current.key) ?? null) : null;
	}

	select(target: Target | null): void {
		// Moving on answers a warning about the last key (« Acceptez d’abord la suggestion… »), as a
		// toast would go; a report about the document stays until dismissed.
		if (this.notice && !this.notice.lasting && !this.notice.details?.length) this.notice = null;
		this.current = target;
		this.refresh();
		if (target) this.announceTarget(target);
	}

	selectById(id: string): void {
		const span = this.renderById.get(id);
		if (span) this.select(this.targetOf(span));
	}

	/** Code points covering a selection of the page in UTF-16 offsets (in either order), whole characters only. */
	private codePointRange(utf16Start: number, utf16End: number): Range {
		return { start: this.index.toCodePoint(Math.min(utf16Start, utf16End), 'floor'), end: this.index.toCodePoint(Math.max(utf16Start, utf16End), 'ceil') };
	}

	/** A selection from the mouse, in UTF-16 offsets: snapped to words unless `exact`. */
	selectText(utf16Start: number, utf16End: number, exact: boolean): void {
		const { start, end } = this.codePointRange(utf16Start, utf16End);
		let range: Range | null = exact ? { start, end } : snapToWords(this.tokens, { start, end });
		if (exact && range) {
			// Whitespace at the edges is never part of a span.
			const slice = this.index.slice(range.start, range.end);
			const lead = slice.length - slice.trimStart().length;
			const trail = slice.length - slice.trimEnd().length;
			range = { start: range.start + lead, end: range.end - trail };
			if (range.end <= range.start) range = null;
		}
		if (range) this.select({ type: 'draft', ...range });
	}

	/**
	 * The document's text under a selection of the page, in UTF-16 offsets: what copying it gives,
	 * without the line breaks between the blocks a long paragraph is drawn in, or the highlights'
	 * hidden descriptions.
	 */
	textOfSelection(utf16Start: number, utf16End: number): string {
		const { start, end } = this.codePointRange(utf16Start, utf16End);
		return this.index.slice(start, end);
	}

	/** `n`: a one-word selection after the current span (or at the start of the text). */
	startDraft(): void {
		const current = this.current;
		const from = current ? (current.type === 'draft' ? current.end : (this.rangeOf(current)?.end ?? 0)) : 0;
		const word = current ? (nextWordFrom(this.tokens, from) ?? wordAt(this.tokens, from)) : (nextWordFrom(this.tokens, 0) ?? wordAt(this.tokens, 0));
		if (word) this.select({ type: 'draft', ...word });
	}

	move(direction: 1 | -1): void {
		const current = this.current;
		if (current?.type === 'draft') {
			const word = adjacentWord(this.tokens, current, direction);
			if (word) this.select({ type: 'draft', ...word });
			return;
		}
		const id = current ? this.idOf(current) : null;
		let target: RenderSpan | null = null;
		if (id && this.renderById.has(id)) target = direction === 1 ? this.nextItemAfter(id) : this.previousItemBefore(id);
		else if (current) {
			const range = this.rangeOf(current);
			target = this.items.find((item) => item.start >= this.index.toUtf16(range?.start ?? 0)) ?? null;
		} else if (this.lastCurrentStart !== null) {
			// After Échap: back where the reader was (on that item when it is still there), not at the top.
			const at = this.lastCurrentStart;
			target = direction === 1 ? (this.items.find((item) => item.start >= at) ?? null) : (this.items.findLast((item) => item.start <= at) ?? null);
			target ??= direction === 1 ? (this.items.at(-1) ?? null) : (this.items[0] ?? null);
		} else target = direction === 1 ? (this.items[0] ?? null) : (this.items.at(-1) ?? null);
		if (target) this.select(this.targetOf(target));
	}

	private nextItemAfter(id: string): RenderSpan | null {
		const position = this.items.findIndex((item) => item.id === id);
		return position === -1 ? null : (this.items[position + 1] ?? null);
	}

	private previousItemBefore(id: string): RenderSpan | null {
		const position = this.items.findIndex((item) => item.id === id);
		return position > 0 ? this.items[position - 1] : null;
	}

	idOf(target: Target): string {
		return target.type === 'span' ? `a|${target.key}` : target.type === 'suggestion' ? `s|${target.key}` : 'draft';
	}

	private targetOf(span: RenderSpan): Target {
		return span.kind === 'suggestion' ? { type: 'suggestion', key: span.id.slice(2) } : { type: 'span', key: span.id.slice(2) };
	}

	rangeOf(target: Target): Range | null {
		if (target.type === 'draft') return target;
		if (target.type === 'span') return this.state.spans.get(target.key) ?? null;
		return this.suggestionByKey.get(target.key) ?? null;
	}

	spanText(range: Range): string {
		return this.index.slice(range.start, range.end);
	}

	toggleLayer(layer: LayerToggle): void {
		this.layers[layer] = !this.layers[layer];
		localStorage.setItem(LAYERS_KEY, JSON.stringify(this.layers));
		this.refresh();
	}

	// ---- links ---------------------------------------------------------------------------

	openPicker(kind: LinkKind, fromKey?: string): void {
		const from = fromKey ?? (this.current?.type === 'span' ? this.current.key : null);
		const span = from ? this.state.spans.get(from) : null;
		if (!from || !span) {
			this.notice = { tone: 'warn', text: 'Placez-vous d’abord sur une citation ou une position.' };
			return;
		}
		const expected = kind === 'speaker' || kind === 'cue' ? 'quote' : 'stance';
		if (span.layer !== expected) {
			this.notice = { tone: 'warn', text: `Ce lien part d’une annotation « ${SPAN_LAYER_NAMES[expected]} ».` };
			return;
		}
		const distance = (other: Range) => (other.end <= span.start ? span.start - other.end : other.start >= span.end ? other.start - span.end : 0);
		// Speakers and holders are persons or organisations, under whatever names the project gave them.
		const speakerLabels = [PERSON_LABEL, ORGANISATION_LABEL].map((name) => projectLabelFor(this.schema, name));
		const fits = (other: { layer: string; label: string }) => {
			if (kind === 'cue') return other.layer === 'cue';
			if (kind === 'target') return other.layer === 'entity';
			return other.layer === 'mention' || (other.layer === 'entity' && speakerLabels.includes(other.label));
		};
		// Annotations first, then the suggestions still pending (`Antonis Samaras PER?` next to the
		// quote): the speaker is often one the model found and nobody has accepted yet.
		const candidates: (EditSpan | Suggestion)[] = [
			...[...this.state.spans.values()].filter(fits),
			...this.pendingSuggestions.filter((suggestion) => fits(suggestion) && !this.state.spans.has(spanKey(suggestion)))
		];
		candidates.sort((a, b) => distance(a) - distance(b) || a.start - b.start);
		const options: PickerOption[] = candidates.map((other) => {
			const pending = 'key' in other ? (other as Suggestion) : undefined;
			const name = other.layer === 'entity' ? other.label : SPAN_LAYER_NAMES[other.layer];
			return {
				id: pending ? `s|${pending.key}` : spanKey(other),
				label: this.spanText(other),
				detail: pending ? `${name} ? (suggestion, acceptée au choix)` : name,
				target: { to: spanKey(other) },
				suggestion: pending,
				context: this.contextOf(other)
			};
		});
		if (kind === 'holder') options.unshift({ id: 'name:article', label: 'L’article lui-même', detail: 'auteur', target: { toName: 'article' } });
		if (kind === 'target') {
			for (const name of this.schema.stanceTargets) options.push({ id: `name:${name}`, label: name, detail: 'cible du projet', target: { toName: name } });
		}
		const existing = this.state.links.get(linkSlot({ kind, from }));
		const titles: Record<LinkKind, string> = { speaker: 'Locuteur de la citation', cue: 'Verbe introducteur', holder: 'Auteur de la position', target: 'Cible de la position' };
		this.picker = { kind, from, title: titles[kind], options, current: existing ? (existing.to ?? `name:${existing.toName}`) : null };
	}

	/** A few words either side of a range, within its paragraph, and that paragraph's number. */
	contextOf(range: Range): OccurrenceContext {
		const at = this.index.toUtf16(range.start);
		const paragraph = this.paragraphs.find((view) => view.paragraph.start <= at && at < view.paragraph.end)?.paragraph;
		const from = paragraph ? this.index.toCodePoint(paragraph.start, 'floor') : 0;
		const to = paragraph ? this.index.toCodePoint(paragraph.end, 'ceil') : this.index.length;
		const allBefore = this.tokens.filter((token) => token.start >= from && token.end <= range.start);
		const allAfter = this.tokens.filter((token) => token.start >= range.end && token.end <= to);
		const before = allBefore.slice(-CONTEXT_WORDS);
		const after = allAfter.slice(0, CONTEXT_WORDS);
		return {
			before: before.length ? `${allBefore.length > before.length ? '…' : ''}${this.index.slice(before[0].start, range.start)}` : '',
			after: after.length ? `${this.index.slice(range.end, after[after.length - 1].end)}${allAfter.length > after.length ? '…' : ''}` : '',
			paragraph: (paragraph?.index ?? 0) + 1
		};
	}

	pick(option: PickerOption | null): void {
		const picker = this.picker;
		this.picker = null;
		if (!picker) return;
		if (!option?.suggestion) {
			this.setLink(picker.kind, picker.from, option ? option.target : null);
			return;
		}
		// Accept the suggestion and link to it: one operation, one undo.
		try {
			const accept = acceptOperation(option.suggestion);
			const accepted = applyOperation(this.state, accept, this.context);
			const link = linkOperation(accepted, picker.kind, picker.from, option.target);
			this.dispatch({ type: 'batch', description: `${this.describe(accept)} et ${this.describe(link)}`, operations: [accept, link] }, { type: 'span', key: picker.from });
		} catch (error) {
			if (!(error instanceof EditError)) throw error;
			this.notice = { tone: 'error', text: `Lien impossible : ${error.message}.` };
		}
	}

	/** What a link points to, in words. */
	describeLink(kind: LinkKind, from: string): string | null {
		const link = this.state.links.get(linkSlot({ kind, from }));
		if (!link) return null;
		if (link.to === null) return link.toName === 'article' ? 'l’article' : (link.toName ?? null);
		const target = this.state.spans.get(link.to);
		return target ? this.spanText(target) : null;
	}

	// ---- rendering -------------------------------------------------------------------------

	/** Long paragraphs in blocks at sentence starts, none cutting a span the page opens with. */
	private splitIntoBlocks(paragraphs: Paragraph[], spans: readonly { start: number; end: number }[]): ParagraphView[] {
		let units: { start: number; end: number }[] | null = null;
		return paragraphs.map((paragraph) => {
			if (paragraph.end - paragraph.start <= 2 * RENDER_BLOCK_LENGTH) return new ParagraphView(paragraph, [new BlockView(paragraph)]);
			units ??= spans.map((span) => ({ start: this.index.toUtf16(span.start), end: this.index.toUtf16(span.end) }));
			const sentenceStarts = findSentenceRanges(paragraph.text).map((sentence) => paragraph.start + sentence.start);
			const blocks = splitRenderBlocks(paragraph, sentenceStarts, units);
			return new ParagraphView(paragraph, blocks.map((block) => new BlockView(block)));
		});
	}

	/** Recomputes highlights and hands each block a new list only when its own changed. */
	refresh(): void {
		const shown = groupSuggestions(visibleSuggestions(this.state, this.suggestions));
		this.shownByKey = new Map(shown.map((group) => [group.suggestion.key, group]));
		const visible = shown.map((group) => group.suggestion);
		this.pendingSuggestions = visible;
		const render: RenderSpan[] = [];
		for (const span of this.state.spans.values()) {
			if (this.layers[LAYER_OF_TOGGLE[span.layer]]) render.push(this.renderOwn(span));
		}
		if (this.layers.suggestions) {
			for (const suggestion of visible) {
				if (this.layers[LAYER_OF_TOGGLE[suggestion.layer]]) render.push(this.renderSuggestion(suggestion));
			}
		}
		render.sort(compareRenderSpans);
		this.items = render;
		this.renderById = new Map(render.map((span) => [span.id, span]));
		const current = this.current;
		let all = render;
		if (current?.type === 'draft') {
			const draft: RenderSpan = {
				id: 'draft',
				kind: 'draft',
				layer: 'draft',
				label: 'sélection',
				start: this.index.toUtf16(current.start),
				end: this.index.toUtf16(current.end),
				tag: '',
				description: `sélection : ${this.spanText(current)}`,
				colour: null
			};
			all = [...render, draft].sort(compareRenderSpans);
		} else if (current && !this.renderById.has(this.idOf(current))) {
			// What was current went away (accepted, undone, rejected in bulk): stay where the reader
			// was, on the first item from there on, instead of sending them back to the top.
			const near = render.find((item) => item.start >= (this.lastCurrentStart ?? 0)) ?? render.at(-1) ?? null;
			this.current = near ? this.targetOf(near) : null;
		}
		const currentItem = this.current ? (this.current.type === 'draft' ? all.find((item) => item.id === 'draft') : this.renderById.get(this.idOf(this.current))) : null;
		if (currentItem) this.lastCurrentStart = currentItem.start;
		const buckets = bucketByParagraph(
			this.blocks.map((view) => view.block),
			all
		);
		buckets.forEach((bucket, i) => {
			const view = this.blocks[i];
			let signature = '';
			for (const span of bucket) signature += `${span.id}\u0000${span.tag}\u0000${span.description}\u0001`;
			if (signature !== view.signature) {
				view.signature = signature;
				view.spans = bucket;
			}
		});
		this.markCurrent();
	}

	private markCurrent(): void {
		for (const view of this.currentBlocks) view.current = null;
		this.currentBlocks = [];
		const current = this.current;
		if (!current) return;
		const range = this.rangeOf(current);
		if (!range) return;
		const start = this.index.toUtf16(range.start);
		const end = this.index.toUtf16(range.end);
		const id = this.idOf(current);
		for (const view of this.blocks) {
			if (view.block.start < end && start < view.block.end) {
				view.current = id;
				this.currentBlocks.push(view);
			}
		}
	}

	private renderOwn(span: EditSpan): RenderSpan {
		const key = spanKey(span);
		const text = this.spanText(span);
		let tag = span.label;
		let description: string;
		if (span.layer === 'entity') {
			const origin = span.decision ? ` (suggestion ${span.decision === 'accepted' ? 'acceptée' : 'corrigée'}, ${span.provenance})` : '';
			description = `${span.label} : ${text}${origin}`;
		} else if (span.layer === 'quote') {
			const speaker = this.describeLink('speaker', key);
			tag = `⟧ ${kindLabel(String(span.attributes.kind ?? ''))} — ${speaker ?? 'locuteur ?'}`;
			description = `citation ${kindLabel(String(span.attributes.kind ?? ''))}, locuteur : ${speaker ?? 'non indiqué'}`;
		} else if (span.layer === 'stance') {
			const target = this.describeLink('target', key);
			const holder = this.describeLink('holder', key);
			tag = `${polarityLabel(String(span.attributes.polarity ?? ''))}${target ? ` → ${target}` : ''}`;
			description = `position ${polarityLabel(String(span.attributes.polarity ?? ''))}, auteur : ${holder ?? 'non indiqué'}, cible : ${target ?? 'non indiquée'}`;
		} else {
			tag = span.layer === 'cue' ? 'verbe' : 'mention';
			description = `${SPAN_LAYER_NAMES[span.layer]} : ${text}`;
		}
		const doubt = doubtOf(span);
		if (doubt) {
			tag = `${DOUBT_MARK} ${tag}`;
			description += ` — doute${doubt.note ? ` : ${doubt.note}` : ''}`;
		}
		return {
			id: `a|${key}`,
			kind: 'own',
			layer: span.layer,
			label: span.label,
			start: this.index.toUtf16(span.start),
			end: this.index.toUtf16(span.end),
			tag,
			description,
			colour: span.layer === 'entity' ? (this.colourByLabel.get(span.label) ?? null) : null
		};
	}

	/** The suggestion and the other sources proposing exactly the same span (on the gold set: the annotators who agree). */
	sourcesOf(suggestion: Suggestion): Suggestion[] {
		return [suggestion, ...(this.shownByKey.get(suggestion.key)?.agreeing ?? [])];
	}

	/**
	 * Where the sources of a shown suggestion chose differently (two annotators who marked the same
	 * quote on the gold set, each with another speaker), in words, with the version Entrée takes:
	 * « Locuteur : Lavrov (alice) / Stoltenberg (bruno) — Entrée prend Lavrov ». Accepting takes
	 * one version per link (see planAccept): the reviewer must see the others before.
	 */
	sourceDifferences(suggestion: Suggestion): string[] {
		// Worked out once per edit state and group of sources: every refresh draws each shown
		// suggestion again and the side panel asks for the current one too, and the answer plans
		// an accept on a copy of the whole state.
		const sources = this.sourcesOf(suggestion);
		if (this.differencesMemo.state !== this.state) this.differencesMemo = { state: this.state, bySources: new Map() };
		const memoKey = sources.map((source) => source.key).join('\n');
		let differences = this.differencesMemo.bySources.get(memoKey);
		if (!differences) {
			differences = this.describeSourceDifferences(suggestion, sources);
			this.differencesMemo.bySources.set(memoKey, differences);
		}
		return differences;
	}

	private describeSourceDifferences(suggestion: Suggestion, sources: Suggestion[]): string[] {
		const differences = compareSources(sources, this.suggestionByKey);
		if (!differences.length) return [];
		let accepted: EditState | null = null;
		try {
			accepted = this.planAccept(this.state, suggestion).state;
		} catch (error) {
			if (!(error instanceof EditError)) throw error;
		}
		const from = spanKey(suggestion);
		return differences.map(({ what, versions }) => {
			const name = what === 'kind' ? 'type' : what === 'polarity' ? 'polarité' : LINK_KIND_NAMES[what];
			const none = what === 'kind' ? 'non indiqué' : what === 'polarity' ? 'non indiquée' : what === 'target' ? 'aucune' : 'aucun';
			const words = (version: (typeof versions)[number]) => {
				if (version.value === null) return none;
				if (what === 'kind') return kindLabel(version.value);
				if (what === 'polarity') return polarityLabel(version.value);
				if (version.name !== null) return version.name === 'article' ? 'l’article' : version.name;
				return this.spanText(version.target!);
			};
			const takenLink = accepted && what !== 'kind' && what !== 'polarity' ? accepted.links.get(linkSlot({ kind: what, from })) : undefined;
			const takenValue = !accepted
				? undefined
				: what === 'kind' || what === 'polarity'
					? ((accepted.spans.get(from)?.attributes[what] as string | undefined) ?? null)
					: takenLink
						? linkTargetValue(takenLink)
						: null;
			const taken = versions.find((version) => version.value === takenValue);
			const listed = versions.map((version) => `${words(version)} (${version.sources.map((source) => sourceName(source.provenance)).join(', ')})`).join(' / ');
			return `${name[0].toUpperCase()}${name.slice(1)} : ${listed}${taken ? ` — Entrée prend ${words(taken)}` : ''}`;
		});
	}

	private renderSuggestion(suggestion: Suggestion): RenderSpan {
		const describe = (s: Suggestion) => `${s.provenance}${s.score === null ? '' : ` ${s.score.toFixed(2)}`}`;
		const name = suggestion.layer === 'entity' ? suggestion.label : SPAN_LAYER_NAMES[suggestion.layer];
		const group = this.shownByKey.get(suggestion.key);
		const sources = [suggestion, ...(group?.agreeing ?? [])].map(describe).join(' · ');
		const conflicts = group?.conflicts.length
			? ` ; en conflit avec ${group.conflicts.map((c) => `${c.label} « ${this.spanText(c)} » (${c.provenance})`).join(', ')} — Entrée garde celle-ci`
			: '';
		const agreement = group?.agreeing.length ? ` ×${group.agreeing.length + 1}` : '';
		const differences = group?.agreeing.length ? this.sourceDifferences(suggestion) : [];
		const disagreement = differences.length ? ` ; ${this.set === 'gold' ? 'les annotateurs diffèrent' : 'les sources diffèrent'} — ${differences.join(' ; ')}` : '';
		const doubts = this.doubtsOf(suggestion);
		const doubtText = doubts.length ? ` ; ${doubts.join(' ; ')}` : '';
		return {
			id: `s|${suggestion.key}`,
			kind: 'suggestion',
			layer: suggestion.layer,
			label: suggestion.label,
			start: this.index.toUtf16(suggestion.start),
			end: this.index.toUtf16(suggestion.end),
			tag: `${doubts.length ? `${DOUBT_MARK} ` : ''}${suggestion.layer === 'entity' ? suggestion.label : name}?${agreement}${conflicts || disagreement ? ' ≠' : ''}`,
			description: `suggestion ${name} (${sources})${conflicts}${disagreement}${doubtText}`,
			colour: suggestion.layer === 'entity' ? (this.colourByLabel.get(suggestion.label) ?? null) : null
		};
	}

	/**
	 * The doubts the sources of a shown suggestion had on it, in words (on the gold set: « doute de
	 * alice : LOC ou ORG ? »). Shown to the reviewer, never taken into the set with it.
	 */
	doubtsOf(suggestion: Suggestion): string[] {
		return this.sourcesOf(suggestion).flatMap((source) =>
			source.doubt ? [`doute de ${sourceName(source.provenance)}${source.doubt.note ? ` : ${source.doubt.note}` : ''}`] : []
		);
	}

	private announce(text: string): void {
		this.announcement = text;
	}

	private announceTarget(target: Target): void {
		const span = this.renderById.get(this.idOf(target));
		const range = this.rangeOf(target);
		if (target.type === 'draft' && range) this.announcement = `Sélection : ${this.spanText(range)}`;
		else if (span && range) this.announcement = `${span.description} — « ${this.spanText(range)} »`;
	}
}

/** Before the tag of an annotation marked as a doubt: seen in the text, not by colour alone. */
export const DOUBT_MARK = '⚑';

/** An annotator's spans offered on the gold set come from `human:<username>`: the reviewer knows them by name. */
function sourceName(provenance: string): string {
	return provenance.startsWith('human:') ? provenance.slice('human:'.length) : provenance;
}

/** Said once, in the notice that reports the change made elsewhere, rather than on each Ctrl+Z. */
function historyNote(dropped: number): string {
	return dropped ? ` Ctrl+Z : ${dropped} étape(s) qui portaient sur ce qui a changé ailleurs ont été retirées de l’historique.` : '';
}

function next(values: readonly string[], value: unknown): string {
	const index = values.indexOf(String(value));
	return values[(index + 1) % values.length];
}
