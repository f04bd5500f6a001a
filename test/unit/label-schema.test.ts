// Label schema rules that outlive a rename: former names carried from save to save, and the
// project label a built-in name (PER, LOC) stands for.
import { describe, expect, it } from 'vitest';
import { carryFormerNames, DEFAULT_LABEL_SCHEMA, describeFormerNameTaken, formerLabelNames, formerNamesTaken, projectLabelFor, type LabelSchema } from '../../src/lib/domain/label-schema';

const rename = (schema: LabelSchema, from: string, to: string): LabelSchema => ({
	...schema,
	entityLabels: schema.entityLabels.map((label) => (label.name === from ? { ...label, name: to } : label))
});

describe('former label names', () => {
	it('a rename records the old name, a second rename keeps the first, renaming back drops it', () => {
		const once = carryFormerNames(DEFAULT_LABEL_SCHEMA, rename(DEFAULT_LABEL_SCHEMA, 'PER', 'PERS'), [['PER', 'PERS']]);
		expect(once.entityLabels[0]).toMatchObject({ name: 'PERS', formerNames: ['PER'] });
		expect(once.entityLabels[1]).not.toHaveProperty('formerNames');
		// The settings form does not send former names: a save without a rename keeps them.
		const { formerNames: _, ...typed } = once.entityLabels[0];
		const resaved = carryFormerNames(once, { ...once, entityLabels: [typed, ...once.entityLabels.slice(1)] }, []);
		expect(resaved.entityLabels[0].formerNames).toEqual(['PER']);
		const twice = carryFormerNames(once, rename(once, 'PERS', 'PERSONNE'), [['PERS', 'PERSONNE']]);
		expect(twice.entityLabels[0]).toMatchObject({ name: 'PERSONNE', formerNames: ['PER', 'PERS'] });
		const back = carryFormerNames(twice, rename(twice, 'PERSONNE', 'PER'), [['PERSONNE', 'PER']]);
		expect(back.entityLabels[0]).toMatchObject({ name: 'PER', formerNames: ['PERS', 'PERSONNE'] });
	});

	it('a name another label takes is no longer a former name, and the save says whose it was', () => {
		const lieu = carryFormerNames(DEFAULT_LABEL_SCHEMA, rename(DEFAULT_LABEL_SCHEMA, 'LOC', 'LIEU'), [['LOC', 'LIEU']]);
		const orgToLoc = rename(lieu, 'ORG', 'LOC');
		expect(formerNamesTaken(lieu, orgToLoc, [['ORG', 'LOC']])).toEqual([{ name: 'LOC', formerlyOf: 'LIEU' }]);
		const saved = carryFormerNames(lieu, orgToLoc, [['ORG', 'LOC']]);
		expect(saved.entityLabels.find((l) => l.name === 'LIEU')).not.toHaveProperty('formerNames');
		expect(saved.entityLabels.find((l) => l.name === 'LOC')?.formerNames).toEqual(['ORG']);
		expect(formerLabelNames(saved)).toEqual({ ORG: 'LOC' });
		// Renaming a label back to its own former name is not taking someone else's.
		expect(formerNamesTaken(lieu, rename(lieu, 'LIEU', 'LOC'), [['LIEU', 'LOC']])).toEqual([]);
	});

	it('taking the former name of a label the same save removes takes nothing from anyone', () => {
		const lieu = carryFormerNames(DEFAULT_LABEL_SCHEMA, rename(DEFAULT_LABEL_SCHEMA, 'LOC', 'LIEU'), [['LOC', 'LIEU']]);
		const orgToLocWithoutLieu = { ...rename(lieu, 'ORG', 'LOC'), entityLabels: rename(lieu, 'ORG', 'LOC').entityLabels.filter((l) => l.name !== 'LIEU') };
		expect(formerNamesTaken(lieu, orgToLocWithoutLieu, [['ORG', 'LOC']])).toEqual([]);
		// LIEU renamed in the same save: its former name LOC is still its own, under its new name.
		const both = rename(rename(lieu, 'LIEU', 'PLACE'), 'ORG', 'LOC');
		expect(formerNamesTaken(lieu, both, [['LIEU', 'PLACE'], ['ORG', 'LOC']])).toEqual([{ name: 'LOC', formerlyOf: 'PLACE' }]);
	});

	it('says whose former name it is and how to go on', () => {
		expect(describeFormerNameTaken({ name: 'LOC', formerlyOf: 'LIEU' })).toBe(
			'LOC est l’ancien nom de LIEU : ce que le modèle, les gazetteers et les règles de citation produisent sous LOC va à LIEU. ' +
				'Choisissez un autre nom, ou cochez « Donner l’ancien nom LOC à la nouvelle étiquette LOC » pour que cela aille désormais à LOC, plus à LIEU.'
		);
	});

	it('finds the project label of a built-in name: itself, the renamed one, or none', () => {
		const schema = carryFormerNames(DEFAULT_LABEL_SCHEMA, rename(DEFAULT_LABEL_SCHEMA, 'LOC', 'LIEU'), [['LOC', 'LIEU']]);
		expect(projectLabelFor(schema, 'PER')).toBe('PER');
		expect(projectLabelFor(schema, 'LOC')).toBe('LIEU');
		expect(projectLabelFor(schema, 'DATE')).toBeUndefined();
		expect(formerLabelNames(schema)).toEqual({ LOC: 'LIEU' });
		// A new label taking an old name wins over the renamed one.
		const reused = { ...schema, entityLabels: [...schema.entityLabels, { name: 'LOC', description: '', colour: '#000000', hotkey: '5' }] };
		expect(projectLabelFor(reused, 'LOC')).toBe('LOC');
	});
});
