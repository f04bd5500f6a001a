-- Full-text search over titles and cleaned texts (FTS5, external content). unicode61 with
-- remove_diacritics 2 folds case and accents, so `Otan` finds `OTAN` and `securite` finds
-- `sécurité`. Only src/lib/server/db/search.ts queries it (SQLite-only feature, one module).
CREATE VIRTUAL TABLE `documents_fts` USING fts5(title, text, content='documents', content_rowid='id', tokenize="unicode61 remove_diacritics 2");
--> statement-breakpoint
CREATE TRIGGER `documents_fts_insert` AFTER INSERT ON `documents` BEGIN
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `documents_fts_delete` AFTER DELETE ON `documents` BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
--> statement-breakpoint
CREATE TRIGGER `documents_fts_update` AFTER UPDATE OF title, text ON `documents` BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
