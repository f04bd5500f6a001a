// Which paths need which role: the table the hook applies to every request.
import { describe, expect, it } from 'vitest';
import { hasRole, isApiPath, isPublicPath, rolesForPath } from '../../src/lib/server/auth/access';

describe('access rules', () => {
	it('leaves only the sign-in page and static assets public', () => {
		expect(isPublicPath('/signin')).toBe(true);
		expect(isPublicPath('/_app/immutable/entry/start.js')).toBe(true);
		for (const path of ['/', '/signout', '/signin/extra', '/documents/1', '/api/documents/1/annotations', '/admin', '/_apps']) {
			expect(isPublicPath(path), path).toBe(false);
		}
	});

	it('reserves admin to admins and review, agreement, export and import to reviewers and admins', () => {
		expect(rolesForPath('/admin')).toEqual(['admin']);
		expect(rolesForPath('/admin/users')).toEqual(['admin']);
		expect(rolesForPath('/administrative')).toBeNull();
		for (const path of ['/review', '/review/12', '/agreement', '/export', '/import']) expect(rolesForPath(path), path).toEqual(['admin', 'reviewer']);
		expect(rolesForPath('/api/export/corpus.jsonl')).toEqual(['admin', 'reviewer']);
		expect(rolesForPath('/api/documents/3/annotations')).toBeNull();
		expect(rolesForPath('/documents/3')).toBeNull();
		expect(hasRole({ role: 'annotator' }, ['admin', 'reviewer'])).toBe(false);
		expect(hasRole(null, ['admin'])).toBe(false);
		expect(isApiPath('/api/documents/1/annotations')).toBe(true);
		expect(isApiPath('/apis')).toBe(false);
	});
});
