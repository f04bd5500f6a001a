import { describe, expect, it } from 'vitest';
import { formatCount, formatDecimal } from '../../src/lib/ui/numbers-fr';

describe('figures in French', () => {
	it('separate thousands with a narrow no-break space and decimals with a comma', () => {
		expect(formatCount(8482)).toBe('8\u202f482');
		expect(formatCount(12)).toBe('12');
		expect(formatDecimal(7.44)).toBe('7,4');
		expect(formatDecimal(12)).toBe('12,0');
	});
});
