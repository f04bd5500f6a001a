import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';
import { documents, projectMembers } from '../../src/lib/server/db/schema';
import { getOrCreateSet } from '../../src/lib/server/db/annotation-sets';
import { ensureUser } from '../../src/lib/server/db/users';
import { findNextDocumentForUser } from '../../src/lib/server/annotation/load-annotations';

let temp: TempDatabase;
let ids: number[];

beforeEach(() => {
	temp = createTempDatabase();
	ids = ['a', 'b', 'c'].map(
		(name) =>
			temp.db
				.insert(documents)
				.values({ projectId: temp.project.id, externalId: name, title: name, rawText: name, text: name, contentHash: name, cleaning: { rules: [], dropped: [] }, wordCount: 1, charCount: 1 })
				.returning()
				.get().id
	);
});
afterEach(() => temp.close());

describe('done and next', () => {
	it('follows the assignment queue of an assigned annotator, skipping finished documents', () => {
		const ana = ensureUser(temp.db, 'ana', 'annotator');
		temp.db.insert(projectMembers).values({ projectId: temp.project.id, userId: ana.id }).run();
		expect(findNextDocumentForUser(temp.db, temp.project.id, ana, ids[0])).toBe(ids[1]);
		getOrCreateSet(temp.db, ids[1], 'ana', { status: 'done' });
		expect(findNextDocumentForUser(temp.db, temp.project.id, ana, ids[0])).toBe(ids[2]);
	});

	it('goes through the whole project for a user without assignments', () => {
		const admin = ensureUser(temp.db, 'local', 'admin');
		getOrCreateSet(temp.db, ids[1], 'local', { status: 'skipped' });
		expect(findNextDocumentForUser(temp.db, temp.project.id, admin, ids[0])).toBe(ids[2]);
		expect(findNextDocumentForUser(temp.db, temp.project.id, admin, ids[2])).toBe(ids[0]);
	});
});
