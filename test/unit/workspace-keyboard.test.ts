import { describe, expect, it } from 'vitest';
import { handleWorkspaceKey } from '../../src/lib/workspace/keyboard';
import type { Workspace } from '../../src/lib/workspace/workspace.svelte';

/** A workspace that records the labels asked for, and what `key` and `code` a key press carries. */
function press(init: Partial<KeyboardEvent> & { key: string; code: string }): { used: boolean; labels: string[] } {
	const labels: string[] = [];
	const ws = { labelCurrent: (hotkey: string) => labels.push(hotkey) } as unknown as Workspace;
	const event = { ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...init } as KeyboardEvent;
	const used = handleWorkspaceKey(ws, event, { doneAndNext: () => {} });
	return { used, labels };
}

describe('label keys 1–9', () => {
	it('label with the digit row on a French AZERTY keyboard, where it types & é " without Shift', () => {
		expect(press({ key: '&', code: 'Digit1' })).toEqual({ used: true, labels: ['1'] });
		expect(press({ key: 'é', code: 'Digit2' })).toEqual({ used: true, labels: ['2'] });
		expect(press({ key: '"', code: 'Digit3' })).toEqual({ used: true, labels: ['3'] });
		expect(press({ key: '1', code: 'Digit1', shiftKey: true })).toEqual({ used: true, labels: ['1'] });
	});

	it('label with the digit typed on other layouts and with the number pad', () => {
		expect(press({ key: '4', code: 'Digit4' })).toEqual({ used: true, labels: ['4'] });
		expect(press({ key: '2', code: 'Numpad2' })).toEqual({ used: true, labels: ['2'] });
	});

	it('leave AltGr and Ctrl with the digit row alone (AltGr+é types ~ on AZERTY)', () => {
		expect(press({ key: '~', code: 'Digit2', ctrlKey: true, altKey: true })).toEqual({ used: false, labels: [] });
		expect(press({ key: '&', code: 'Digit1', ctrlKey: true })).toEqual({ used: false, labels: [] });
		expect(press({ key: 'à', code: 'Digit0' })).toEqual({ used: false, labels: [] });
	});
});

describe('the doubt key', () => {
	it('is `!` on AZERTY (its own key) and on QWERTY (Shift+1), never label 1', () => {
		for (const init of [{ key: '!', code: 'Slash' }, { key: '!', code: 'Digit1', shiftKey: true }]) {
			let doubts = 0;
			const labels: string[] = [];
			const ws = { toggleDoubt: () => doubts++, labelCurrent: (hotkey: string) => labels.push(hotkey) } as unknown as Workspace;
			const event = { ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...init } as KeyboardEvent;
			expect(handleWorkspaceKey(ws, event, { doneAndNext: () => {} })).toBe(true);
			expect({ doubts, labels }).toEqual({ doubts: 1, labels: [] });
		}
	});
});
