import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	project: { slug: locals.project.slug, name: locals.project.name },
	user: locals.user ? { username: locals.user.username, displayName: locals.user.displayName, role: locals.user.role } : null
});
