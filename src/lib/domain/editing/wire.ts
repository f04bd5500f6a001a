// The save request as it travels from the browser (and sits in its offline queue): validated
// here, in one place, by the API route before anything reaches the save service.
import { z } from 'zod';
import type { Operation } from './operations';

const layer = z.enum(['entity', 'mention', 'quote', 'cue', 'stance']);
const offset = z.number().int().nonnegative();

export const editSpanSchema = z.object({
	layer,
	start: offset,
	end: offset,
	label: z.string().min(1).max(64),
	attributes: z.record(z.string(), z.unknown()).default({}),
	origin: z.enum(['human', 'model', 'rules', 'memory', 'gazetteer', 'import']),
	score: z.number().nullable().default(null),
	provenance: z.string().min(1).max(200),
	decision: z.enum(['accepted', 'edited']).nullable().default(null)
});

const linkKind = z.enum(['speaker', 'cue', 'holder', 'target']);
export const editLinkSchema = z.object({
	kind: linkKind,
	from: z.string().min(1),
	to: z.string().min(1).nullable(),
	toName: z.string().min(1).max(200).nullable()
});

const suggestionRefSchema = z.object({
	provenance: z.string().min(1).max(200),
	layer,
	start: offset,
	end: offset,
	label: z.string().min(1).max(64)
});

const status = z.enum(['todo', 'in_progress', 'done', 'skipped']);

export const operationSchema: z.ZodType<Operation> = z.lazy(() =>
	z.discriminatedUnion('type', [
		z.object({ type: z.literal('add'), span: editSpanSchema, links: z.array(editLinkSchema).optional() }),
		z.object({ type: z.literal('remove'), span: editSpanSchema, links: z.array(editLinkSchema).optional() }),
		z.object({ type: z.literal('update'), before: editSpanSchema, after: editSpanSchema }),
		z.object({ type: z.literal('accept'), suggestion: suggestionRefSchema, span: editSpanSchema }),
		z.object({ type: z.literal('unaccept'), suggestion: suggestionRefSchema, span: editSpanSchema }),
		z.object({ type: z.literal('reject'), suggestion: suggestionRefSchema }),
		z.object({ type: z.literal('unreject'), suggestion: suggestionRefSchema }),
		z.object({ type: z.literal('link'), kind: linkKind, from: z.string().min(1), before: editLinkSchema.nullable(), after: editLinkSchema.nullable() }),
		z.object({ type: z.literal('status'), before: status, after: status }),
		z.object({ type: z.literal('batch'), description: z.string().max(200), operations: z.array(operationSchema).max(5000) })
	])
) as z.ZodType<Operation>;

export const saveRequestSchema = z.object({
	/** Chosen by the browser; a retried save that already went through is recognised by it. */
	saveId: z.string().min(8).max(64),
	baseRevision: z.number().int().nonnegative(),
	operations: z.array(operationSchema).min(1).max(5000)
});

export type SaveRequest = z.infer<typeof saveRequestSchema>;
