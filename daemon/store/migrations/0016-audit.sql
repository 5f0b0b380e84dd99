-- 0016: the audit trail (issue 15). Every change of the record is sealed,
-- in its own transaction, by an audit record (who, what, when) whose hash
-- covers the digests of the rows it changed and the hash of the record
-- before it: a chain (store-audit.c). The triggers below note which rows
-- of the covered tables a transaction changes (audit_staged); at its
-- commit khoad takes its own notes out, digests those rows and appends the
-- record. A note nobody took out is a change made around khoad. Nothing
-- else writes these tables.
--
-- The digest of a row: SQLite's computed by khoad over the row's values;
-- PostgreSQL's by the server, sha256 of row_to_json(row), in the trigger
-- and in khoa_audit_digests(), which sees every agency's rows (the chain
-- is the province's) and gives out only keys and digests.

CREATE TABLE audit_records (
	seq INTEGER PRIMARY KEY,
	time TEXT NOT NULL,
	actor_uid INTEGER,
	actor_user TEXT,
	action TEXT NOT NULL,
	changes INTEGER NOT NULL,
	prev TEXT NOT NULL,
	hash TEXT NOT NULL
);

CREATE TABLE audit_changes (
	seq INTEGER NOT NULL,
	pos INTEGER NOT NULL,
	tbl TEXT NOT NULL,
	key TEXT NOT NULL,
	op TEXT NOT NULL,
	digest TEXT,
	PRIMARY KEY (seq, pos)
);
-- covering: a verification reads the last digest of each row from it alone
CREATE INDEX audit_changes_row ON audit_changes (tbl, key, seq, digest);

-- sqlite:
-- k1..k3: a row's key as the table has it (no type: SQLite keeps each
-- value's own, so that it is found again by its index).
CREATE TABLE audit_staged (
	id INTEGER PRIMARY KEY,
	tbl TEXT NOT NULL,
	k1, k2, k3,
	op TEXT NOT NULL,
	digest TEXT,
	tx INTEGER
);
-- end
-- postgresql:
-- tx: the transaction that noted it (a commit takes out its own only).
CREATE TABLE audit_staged (
	id INTEGER PRIMARY KEY,
	tbl TEXT NOT NULL,
	k1 TEXT, k2 TEXT, k3 TEXT,
	op TEXT NOT NULL,
	digest TEXT,
	tx INTEGER NOT NULL DEFAULT txid_current()
);

-- TG_ARGV: the table's key columns.
CREATE FUNCTION khoa_audit_stage() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
	n jsonb;
	o jsonb;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		o := to_jsonb(OLD);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		n := to_jsonb(NEW);
		IF TG_OP = 'UPDATE' AND (o->>TG_ARGV[0], o->>TG_ARGV[1], o->>TG_ARGV[2])
		   IS DISTINCT FROM (n->>TG_ARGV[0], n->>TG_ARGV[1], n->>TG_ARGV[2]) THEN
			INSERT INTO audit_staged (tbl, k1, k2, k3, op)
			VALUES (TG_TABLE_NAME, o->>TG_ARGV[0], o->>TG_ARGV[1], o->>TG_ARGV[2], 'delete');
		END IF;
		INSERT INTO audit_staged (tbl, k1, k2, k3, op, digest)
		VALUES (TG_TABLE_NAME, n->>TG_ARGV[0], n->>TG_ARGV[1], n->>TG_ARGV[2], lower(TG_OP),
			encode(sha256(convert_to(row_to_json(NEW)::text, 'UTF8')), 'hex'));
	ELSE
		INSERT INTO audit_staged (tbl, k1, k2, k3, op)
		VALUES (TG_TABLE_NAME, o->>TG_ARGV[0], o->>TG_ARGV[1], o->>TG_ARGV[2], 'delete');
	END IF;
	RETURN NULL;
END $$;

-- Every row of TBL, one of the covered tables, as its key and digest.
CREATE FUNCTION khoa_audit_digests(tbl text) RETURNS TABLE (key text, digest text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
	cols text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_' || tbl
		       AND tgrelid = to_regclass(tbl)) THEN
		RAISE EXCEPTION 'not a table the audit trail covers: %', tbl;
	END IF;
	SELECT string_agg(format('t.%I::text', a.attname), ', '
			  ORDER BY array_position(i.indkey::int2[], a.attnum))
	INTO cols
	FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
	WHERE i.indrelid = to_regclass(tbl) AND i.indisprimary;
	RETURN QUERY EXECUTE format('SELECT concat_ws(''/'', %s), '
		'encode(sha256(convert_to(row_to_json(t)::text, ''UTF8'')), ''hex'') FROM %I t',
		cols, tbl);
END $$;

-- The workstations' roles, which may write events, may write the trail.
DO $$
DECLARE
	r text;
BEGIN
	FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
		 WHERE table_name = 'events' AND privilege_type = 'INSERT'
		 AND grantee <> current_user LOOP
		EXECUTE format('GRANT SELECT, INSERT, DELETE ON audit_records, audit_changes, '
			       'audit_staged TO %I', r);
		EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %I', r);
	END LOOP;
END $$;
-- end

-- sqlite:
CREATE TRIGGER audit_organizations_insert AFTER INSERT ON organizations BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('organizations', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_organizations_update AFTER UPDATE ON organizations BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'organizations', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('organizations', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_organizations_delete AFTER DELETE ON organizations BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('organizations', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_people_insert AFTER INSERT ON people BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('people', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_people_update AFTER UPDATE ON people BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'people', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('people', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_people_delete AFTER DELETE ON people BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('people', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_person_logins_insert AFTER INSERT ON person_logins BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('person_logins', NEW.login, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_person_logins_update AFTER UPDATE ON person_logins BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'person_logins', OLD.login, NULL, NULL, 'delete' WHERE OLD.login IS NOT NEW.login;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('person_logins', NEW.login, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_person_logins_delete AFTER DELETE ON person_logins BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('person_logins', OLD.login, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_certificates_insert AFTER INSERT ON certificates BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('certificates', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_certificates_update AFTER UPDATE ON certificates BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'certificates', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('certificates', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_certificates_delete AFTER DELETE ON certificates BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('certificates', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_tokens_insert AFTER INSERT ON tokens BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('tokens', NEW.serial, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_tokens_update AFTER UPDATE ON tokens BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'tokens', OLD.serial, NULL, NULL, 'delete' WHERE OLD.serial IS NOT NEW.serial;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('tokens', NEW.serial, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_tokens_delete AFTER DELETE ON tokens BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('tokens', OLD.serial, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_token_certs_insert AFTER INSERT ON token_certs BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('token_certs', NEW.token_serial, NEW.certificate_id, NULL, 'insert');
END;
CREATE TRIGGER audit_token_certs_update AFTER UPDATE ON token_certs BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'token_certs', OLD.token_serial, OLD.certificate_id, NULL, 'delete' WHERE OLD.token_serial IS NOT NEW.token_serial OR OLD.certificate_id IS NOT NEW.certificate_id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('token_certs', NEW.token_serial, NEW.certificate_id, NULL, 'update');
END;
CREATE TRIGGER audit_token_certs_delete AFTER DELETE ON token_certs BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('token_certs', OLD.token_serial, OLD.certificate_id, NULL, 'delete');
END;
CREATE TRIGGER audit_bindings_insert AFTER INSERT ON bindings BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('bindings', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_bindings_update AFTER UPDATE ON bindings BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'bindings', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('bindings', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_bindings_delete AFTER DELETE ON bindings BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('bindings', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_holders_insert AFTER INSERT ON holders BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('holders', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_holders_update AFTER UPDATE ON holders BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'holders', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('holders', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_holders_delete AFTER DELETE ON holders BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('holders', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_expiry_notices_insert AFTER INSERT ON expiry_notices BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('expiry_notices', NEW.certificate_id, NEW.kind, NEW.threshold, 'insert');
END;
CREATE TRIGGER audit_expiry_notices_update AFTER UPDATE ON expiry_notices BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'expiry_notices', OLD.certificate_id, OLD.kind, OLD.threshold, 'delete' WHERE OLD.certificate_id IS NOT NEW.certificate_id OR OLD.kind IS NOT NEW.kind OR OLD.threshold IS NOT NEW.threshold;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('expiry_notices', NEW.certificate_id, NEW.kind, NEW.threshold, 'update');
END;
CREATE TRIGGER audit_expiry_notices_delete AFTER DELETE ON expiry_notices BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('expiry_notices', OLD.certificate_id, OLD.kind, OLD.threshold, 'delete');
END;
CREATE TRIGGER audit_requests_insert AFTER INSERT ON requests BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('requests', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_requests_update AFTER UPDATE ON requests BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'requests', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('requests', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_requests_delete AFTER DELETE ON requests BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('requests', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_request_transitions_insert AFTER INSERT ON request_transitions BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('request_transitions', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_request_transitions_update AFTER UPDATE ON request_transitions BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'request_transitions', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('request_transitions', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_request_transitions_delete AFTER DELETE ON request_transitions BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('request_transitions', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_handovers_insert AFTER INSERT ON handovers BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('handovers', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_handovers_update AFTER UPDATE ON handovers BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'handovers', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('handovers', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_handovers_delete AFTER DELETE ON handovers BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('handovers', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_handover_rows_insert AFTER INSERT ON handover_rows BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('handover_rows', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_handover_rows_update AFTER UPDATE ON handover_rows BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'handover_rows', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('handover_rows', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_handover_rows_delete AFTER DELETE ON handover_rows BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('handover_rows', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_custody_links_insert AFTER INSERT ON custody_links BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('custody_links', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_custody_links_update AFTER UPDATE ON custody_links BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'custody_links', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('custody_links', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_custody_links_delete AFTER DELETE ON custody_links BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('custody_links', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_seal_log_insert AFTER INSERT ON seal_log BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('seal_log', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_seal_log_update AFTER UPDATE ON seal_log BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'seal_log', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('seal_log', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_seal_log_delete AFTER DELETE ON seal_log BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('seal_log', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_manager_changes_insert AFTER INSERT ON manager_changes BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('manager_changes', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_manager_changes_update AFTER UPDATE ON manager_changes BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'manager_changes', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('manager_changes', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_manager_changes_delete AFTER DELETE ON manager_changes BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('manager_changes', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_lifecycle_requests_insert AFTER INSERT ON lifecycle_requests BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('lifecycle_requests', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_lifecycle_requests_update AFTER UPDATE ON lifecycle_requests BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'lifecycle_requests', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('lifecycle_requests', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_lifecycle_requests_delete AFTER DELETE ON lifecycle_requests BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('lifecycle_requests', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_lifecycle_transitions_insert AFTER INSERT ON lifecycle_transitions BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('lifecycle_transitions', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_lifecycle_transitions_update AFTER UPDATE ON lifecycle_transitions BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'lifecycle_transitions', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('lifecycle_transitions', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_lifecycle_transitions_delete AFTER DELETE ON lifecycle_transitions BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('lifecycle_transitions', OLD.id, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_certificate_lineage_insert AFTER INSERT ON certificate_lineage BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('certificate_lineage', NEW.certificate_serial, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_certificate_lineage_update AFTER UPDATE ON certificate_lineage BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'certificate_lineage', OLD.certificate_serial, NULL, NULL, 'delete' WHERE OLD.certificate_serial IS NOT NEW.certificate_serial;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('certificate_lineage', NEW.certificate_serial, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_certificate_lineage_delete AFTER DELETE ON certificate_lineage BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('certificate_lineage', OLD.certificate_serial, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_certificate_revocations_insert AFTER INSERT ON certificate_revocations BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('certificate_revocations', NEW.certificate_serial, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_certificate_revocations_update AFTER UPDATE ON certificate_revocations BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'certificate_revocations', OLD.certificate_serial, NULL, NULL, 'delete' WHERE OLD.certificate_serial IS NOT NEW.certificate_serial;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('certificate_revocations', NEW.certificate_serial, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_certificate_revocations_delete AFTER DELETE ON certificate_revocations BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('certificate_revocations', OLD.certificate_serial, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_annual_reports_insert AFTER INSERT ON annual_reports BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('annual_reports', NEW.year, NEW.scope, NULL, 'insert');
END;
CREATE TRIGGER audit_annual_reports_update AFTER UPDATE ON annual_reports BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'annual_reports', OLD.year, OLD.scope, NULL, 'delete' WHERE OLD.year IS NOT NEW.year OR OLD.scope IS NOT NEW.scope;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('annual_reports', NEW.year, NEW.scope, NULL, 'update');
END;
CREATE TRIGGER audit_annual_reports_delete AFTER DELETE ON annual_reports BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('annual_reports', OLD.year, OLD.scope, NULL, 'delete');
END;
CREATE TRIGGER audit_events_insert AFTER INSERT ON events BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('events', NEW.id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_events_update AFTER UPDATE ON events BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'events', OLD.id, NULL, NULL, 'delete' WHERE OLD.id IS NOT NEW.id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('events', NEW.id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_events_delete AFTER DELETE ON events BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('events', OLD.id, NULL, NULL, 'delete');
END;
-- end
-- postgresql:
CREATE TRIGGER audit_organizations AFTER INSERT OR UPDATE OR DELETE ON organizations
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_people AFTER INSERT OR UPDATE OR DELETE ON people
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_person_logins AFTER INSERT OR UPDATE OR DELETE ON person_logins
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('login');
CREATE TRIGGER audit_certificates AFTER INSERT OR UPDATE OR DELETE ON certificates
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_tokens AFTER INSERT OR UPDATE OR DELETE ON tokens
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('serial');
CREATE TRIGGER audit_token_certs AFTER INSERT OR UPDATE OR DELETE ON token_certs
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('token_serial', 'certificate_id');
CREATE TRIGGER audit_bindings AFTER INSERT OR UPDATE OR DELETE ON bindings
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_holders AFTER INSERT OR UPDATE OR DELETE ON holders
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_expiry_notices AFTER INSERT OR UPDATE OR DELETE ON expiry_notices
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('certificate_id', 'kind', 'threshold');
CREATE TRIGGER audit_requests AFTER INSERT OR UPDATE OR DELETE ON requests
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_request_transitions AFTER INSERT OR UPDATE OR DELETE ON request_transitions
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_handovers AFTER INSERT OR UPDATE OR DELETE ON handovers
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_handover_rows AFTER INSERT OR UPDATE OR DELETE ON handover_rows
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_custody_links AFTER INSERT OR UPDATE OR DELETE ON custody_links
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_seal_log AFTER INSERT OR UPDATE OR DELETE ON seal_log
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_manager_changes AFTER INSERT OR UPDATE OR DELETE ON manager_changes
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_lifecycle_requests AFTER INSERT OR UPDATE OR DELETE ON lifecycle_requests
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_lifecycle_transitions AFTER INSERT OR UPDATE OR DELETE ON lifecycle_transitions
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
CREATE TRIGGER audit_certificate_lineage AFTER INSERT OR UPDATE OR DELETE ON certificate_lineage
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('certificate_serial');
CREATE TRIGGER audit_certificate_revocations AFTER INSERT OR UPDATE OR DELETE ON certificate_revocations
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('certificate_serial');
CREATE TRIGGER audit_annual_reports AFTER INSERT OR UPDATE OR DELETE ON annual_reports
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('year', 'scope');
CREATE TRIGGER audit_events AFTER INSERT OR UPDATE OR DELETE ON events
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('id');
-- end
