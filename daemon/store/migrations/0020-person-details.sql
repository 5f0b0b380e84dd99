-- 0020: what the forms ask of a person and of an organization besides what
-- 0001 keeps (issue 17, item 4), so that it is typed once and every form is
-- filled from it: a person's sex ('male' or 'female', shown as Nam / Nữ),
-- place of birth, the day and the place their ID card was issued, their
-- address and fax (Mẫu 01, 02, 05, 09; the identity block of a certificate
-- manager); an organization's managing body when that body is not itself
-- in the registry (parent_id names it when it is) and the person who
-- manages its certificate (người quản lý chứng thư số, Mẫu 01 and 04, when
-- no Mẫu 08 decision names a newer one).
--
-- Side tables, one row per person or organization that has any of these,
-- rather than new columns of people and organizations: those two are
-- covered by the audit trail (0016), whose digest of a row is taken over
-- all its columns (SQLite: khoad over `SELECT *`; PostgreSQL: the server
-- over row_to_json(row)). A column added to them would change the digest
-- of every row already sealed, and the next verification would report each
-- of them as changed around khoad. Tables of their own, covered the same
-- way (their triggers below, audit_tables[] in store-audit-shared.c), leave
-- the sealed digests as they were. They follow their record: a person's
-- details are seen and written by whoever sees the person (as
-- person_logins), an organization's read by everyone and written in its
-- agency's scope (as organizations, 0012); an import copies them with
-- their record (store-import.c).

CREATE TABLE person_details (
	person_id INTEGER PRIMARY KEY REFERENCES people (id),
	sex TEXT CHECK (sex IN ('male', 'female')),
	birth_place TEXT,
	id_issued_on TEXT,
	id_issued_by TEXT,
	address TEXT,
	fax TEXT
);

CREATE TABLE organization_details (
	organization_id INTEGER PRIMARY KEY REFERENCES organizations (id),
	managing_body TEXT,
	manager_id INTEGER REFERENCES people (id)
);

-- sqlite:
CREATE TRIGGER audit_person_details_insert AFTER INSERT ON person_details BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('person_details', NEW.person_id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_person_details_update AFTER UPDATE ON person_details BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'person_details', OLD.person_id, NULL, NULL, 'delete' WHERE OLD.person_id IS NOT NEW.person_id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('person_details', NEW.person_id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_person_details_delete AFTER DELETE ON person_details BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('person_details', OLD.person_id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_organization_details_insert AFTER INSERT ON organization_details BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('organization_details', NEW.organization_id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_organization_details_update AFTER UPDATE ON organization_details BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'organization_details', OLD.organization_id, NULL, NULL, 'delete' WHERE OLD.organization_id IS NOT NEW.organization_id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('organization_details', NEW.organization_id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_organization_details_delete AFTER DELETE ON organization_details BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('organization_details', OLD.organization_id, NULL, NULL, 'delete');
END;
-- end
-- postgresql:
ALTER TABLE person_details ENABLE ROW LEVEL SECURITY;
ALTER TABLE person_details FORCE ROW LEVEL SECURITY;
CREATE POLICY person_details_own ON person_details
	USING ((SELECT khoa_province()) OR EXISTS (SELECT 1 FROM people p WHERE p.id = person_id));
ALTER TABLE organization_details ENABLE ROW LEVEL SECURITY;
ALTER TABLE organization_details FORCE ROW LEVEL SECURITY;
CREATE POLICY organization_details_read ON organization_details FOR SELECT USING (true);
CREATE POLICY organization_details_own ON organization_details
	USING ((SELECT khoa_province()) OR organization_id = ANY ((SELECT khoa_scope())::BIGINT[]));
CREATE TRIGGER audit_person_details AFTER INSERT OR UPDATE OR DELETE ON person_details
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('person_id');
CREATE TRIGGER audit_organization_details AFTER INSERT OR UPDATE OR DELETE ON organization_details
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('organization_id');
-- the workstations' roles, which may change people and organizations, may
-- change their details
DO $$
DECLARE
	r text;
BEGIN
	FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
		 WHERE table_name = 'people' AND privilege_type = 'UPDATE'
		 AND grantee <> current_user LOOP
		EXECUTE format('GRANT SELECT, INSERT, UPDATE ON person_details TO %I', r);
	END LOOP;
	FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
		 WHERE table_name = 'organizations' AND privilege_type = 'UPDATE'
		 AND grantee <> current_user LOOP
		EXECUTE format('GRANT SELECT, INSERT, UPDATE ON organization_details TO %I', r);
	END LOOP;
END $$;
-- end
