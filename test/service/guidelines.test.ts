// A project's guidelines on a temporary database with the real migrations: Guillemet's until an
// admin writes the project's own; a save based on an older revision never overwrites a colleague's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../helpers/temp-db';
import { getGuidelines, saveGuidelines } from '../../src/lib/server/annotation/guidelines';
import { createProject } from '../../src/lib/server/db/projects';
import { DEFAULT_GUIDELINES } from '../../src/lib/domain/guidelines';

let temp: TempDatabase;
beforeEach(() => (temp = createTempDatabase()));
afterEach(() => temp.close());

describe('project guidelines', () => {
	it('are Guillemet’s until an admin writes the project’s own, per project', () => {
		expect(getGuidelines(temp.db, temp.project.id)).toEqual({ text: DEFAULT_GUIDELINES, custom: false, revision: 0, updatedBy: null, updatedAt: null });
		const saved = saveGuidelines(temp.db, temp.project.id, '# Nos consignes\r\n\r\nLes pays sont LOC.\r\n\r\n', { basedOn: 0, username: 'chef' });
		expect(saved.ok).toBe(true);
		const now = getGuidelines(temp.db, temp.project.id);
		// Line ends as a browser's textarea sends them are stored as \n, trailing blank lines dropped.
		expect(now).toMatchObject({ text: '# Nos consignes\n\nLes pays sont LOC.', custom: true, revision: 1, updatedBy: 'chef' });
		expect(now.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		const other = createProject(temp.db, { slug: 'autre', name: 'Autre' });
		expect(getGuidelines(temp.db, other.id).custom).toBe(false);
	});

	it('refuse a save based on a revision a colleague has replaced, and say who and what', () => {
		saveGuidelines(temp.db, temp.project.id, 'Version de Chloé', { basedOn: 0, username: 'chloe' });
		const late = saveGuidelines(temp.db, temp.project.id, 'Version de Bruno', { basedOn: 0, username: 'bruno' });
		expect(late).toMatchObject({ ok: false, conflict: true, current: { text: 'Version de Chloé', revision: 1, updatedBy: 'chloe' } });
		expect(late.ok || late.message).toMatch(/modifiées par chloe .* rien n’a été enregistré/);
		expect(getGuidelines(temp.db, temp.project.id).text).toBe('Version de Chloé');
		// Taking her revision as the base is a knowing replacement.
		expect(saveGuidelines(temp.db, temp.project.id, 'Version de Bruno', { basedOn: 1, username: 'bruno' }).ok).toBe(true);
		expect(getGuidelines(temp.db, temp.project.id)).toMatchObject({ text: 'Version de Bruno', revision: 2 });
	});

	it('go back to Guillemet’s without restarting the count, so an old page cannot slip through', () => {
		saveGuidelines(temp.db, temp.project.id, 'Version 1', { basedOn: 0, username: 'chloe' });
		expect(saveGuidelines(temp.db, temp.project.id, null, { basedOn: 1, username: 'chloe' }).ok).toBe(true);
		expect(getGuidelines(temp.db, temp.project.id)).toMatchObject({ text: DEFAULT_GUIDELINES, custom: false, revision: 2 });
		saveGuidelines(temp.db, temp.project.id, 'Version 3', { basedOn: 2, username: 'chloe' });
		// A page opened on revision 1 is still refused, though the text was reset in between.
		expect(saveGuidelines(temp.db, temp.project.id, 'Ancienne page', { basedOn: 1, username: 'bruno' })).toMatchObject({ ok: false, conflict: true });
	});

	it('refuse a blank or oversized text and keep what was there', () => {
		saveGuidelines(temp.db, temp.project.id, 'Version 1', { basedOn: 0, username: 'chloe' });
		expect(saveGuidelines(temp.db, temp.project.id, '  \r\n ', { basedOn: 1, username: 'chloe' })).toMatchObject({ ok: false, message: expect.stringMatching(/vides/) });
		expect(saveGuidelines(temp.db, temp.project.id, 'x'.repeat(100_001), { basedOn: 1, username: 'chloe' })).toMatchObject({ ok: false });
		expect(getGuidelines(temp.db, temp.project.id)).toMatchObject({ text: 'Version 1', revision: 1 });
	});
});
