// A fresh database in a temporary folder with the real migrations applied, for service tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/lib/server/db/client';
import { ensureDefaultProject, type Project } from '../../src/lib/server/db/projects';
import { documents } from '../../src/lib/server/db/schema';
import { hashText } from '../../src/lib/server/import';
import { codePointLength } from '../../src/lib/domain/offsets';
import { countWords } from '../../src/lib/domain/tokens';

export interface TempDatabase {
	db: Db;
	project: Project;
	file: string;
	dir: string;
	close: () => void;
}

export function createTempDatabase(): TempDatabase {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guillemet-test-'));
	const file = path.join(dir, 'test.db');
	const db = openDatabase(file);
	const project = ensureDefaultProject(db);
	return {
		db,
		project,
		file,
		dir,
		close: () => {
			db.$client.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** Inserts a document as it would be stored after import (no cleaning), for tests that need one fast. */
export function insertTestDocument(temp: TempDatabase, externalId: string, text: string): number {
	return temp.db
		.insert(documents)
		.values({
			projectId: temp.project.id,
			externalId,
			title: externalId,
			rawText: text,
			text,
			contentHash: hashText(text),
			cleaning: { rules: [], dropped: [] },
			wordCount: countWords(text),
			charCount: codePointLength(text)
		})
		.returning()
		.get().id;
}
