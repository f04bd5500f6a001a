import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

// The document list lives at /; /documents is where a typed or bookmarked address looks for it.
export const GET: RequestHandler = ({ url }) => redirect(308, `/${url.search}`);
