-- 0014: what an import brought (khoad --import-sqlite, store-import.c):
-- each row copied from a standalone registry, by the source's identity and
-- the row's key there (its id, or its natural key), and what it became
-- here (its new id; for a token, 1 when the source's registration was
-- taken, 0 when this registry's stood). Importing the same registry again
-- copies only what is not here yet.

CREATE TABLE imported_rows (
	source TEXT NOT NULL,
	table_name TEXT NOT NULL,
	old_key TEXT NOT NULL,
	new_id INTEGER NOT NULL,
	PRIMARY KEY (source, table_name, old_key)
);

-- postgresql:
-- The province imports; an agency's role neither reads nor writes the map.
ALTER TABLE imported_rows ENABLE ROW LEVEL SECURITY;
ALTER TABLE imported_rows FORCE ROW LEVEL SECURITY;
CREATE POLICY imported_rows_province ON imported_rows USING (khoa_province())
	WITH CHECK (khoa_province());
-- end
