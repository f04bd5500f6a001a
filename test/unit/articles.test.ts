import { describe, expect, it } from 'vitest';
import { sourceFromFileStem } from '../../src/lib/domain/articles';

describe('the source of a text page, from its file name', () => {
	it('is the site before the hash a scraper appends', () => {
		expect(sourceFromFileStem('sputnik-fr-3255db79b009ce73')).toBe('sputnik-fr');
		expect(sourceFromFileStem('lemonde-ABCDEF0123456789')).toBe('lemonde');
	});

	it('is unknown when the tail is not a hash, or nothing names a site', () => {
		expect(sourceFromFileStem('index')).toBeNull();
		expect(sourceFromFileStem('article-20240101123456')).toBeNull(); // digits only: a date, not a hash
		expect(sourceFromFileStem('sputnik-3255db79')).toBeNull(); // too short for a hash
		expect(sourceFromFileStem('3255db79b009ce73')).toBeNull();
		expect(sourceFromFileStem('12-3255db79b009ce73')).toBeNull(); // no site name, only figures
	});
});
