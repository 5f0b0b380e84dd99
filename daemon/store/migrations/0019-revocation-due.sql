-- 0019: revocation due (issue 16). R-REVOKE-PERSON has a personal
-- certificate revoked before a transfer or a change of position, and
-- R-REVOKE-ORG an organization's on a rename, split, merge, consolidation
-- or dissolution: when People.Update or Organizations.Update records such a
-- change, each certificate its holder holds then is noted here with the
-- reason and the rule, and stays due until a revocation request is filed
-- for it (the list is read, not kept: a row whose certificate has a
-- standing revoke request, or is revoked, is not due). An expired
-- certificate is due by its date, without a row. return_notices: the
-- revocations done whose token was not handed back within the profile's
-- return-days, token.return_overdue raised once each (Điều 13.4). Tables
-- the audit trail covers (0016), with their triggers.

CREATE TABLE revocations_due (
	certificate_serial TEXT PRIMARY KEY,
	token_serial TEXT NOT NULL REFERENCES tokens (serial),
	reason TEXT NOT NULL,
	rule TEXT NOT NULL,
	since TEXT NOT NULL,
	by_uid INTEGER NOT NULL,
	by_user TEXT NOT NULL
);
CREATE INDEX revocations_due_token ON revocations_due (token_serial);

CREATE TABLE return_notices (
	request_id INTEGER PRIMARY KEY REFERENCES lifecycle_requests (id),
	notified_at TEXT NOT NULL
);

-- sqlite:
CREATE TRIGGER audit_revocations_due_insert AFTER INSERT ON revocations_due BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('revocations_due', NEW.certificate_serial, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_revocations_due_update AFTER UPDATE ON revocations_due BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'revocations_due', OLD.certificate_serial, NULL, NULL, 'delete' WHERE OLD.certificate_serial IS NOT NEW.certificate_serial;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('revocations_due', NEW.certificate_serial, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_revocations_due_delete AFTER DELETE ON revocations_due BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('revocations_due', OLD.certificate_serial, NULL, NULL, 'delete');
END;
CREATE TRIGGER audit_return_notices_insert AFTER INSERT ON return_notices BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('return_notices', NEW.request_id, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_return_notices_update AFTER UPDATE ON return_notices BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'return_notices', OLD.request_id, NULL, NULL, 'delete' WHERE OLD.request_id IS NOT NEW.request_id;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('return_notices', NEW.request_id, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_return_notices_delete AFTER DELETE ON return_notices BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('return_notices', OLD.request_id, NULL, NULL, 'delete');
END;
-- end
-- postgresql:
ALTER TABLE revocations_due ENABLE ROW LEVEL SECURITY;
ALTER TABLE revocations_due FORCE ROW LEVEL SECURITY;
CREATE POLICY revocations_due_own ON revocations_due
	USING ((SELECT khoa_province()) OR khoa_sees_token(token_serial));
ALTER TABLE return_notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE return_notices FORCE ROW LEVEL SECURITY;
CREATE POLICY return_notices_own ON return_notices
	USING ((SELECT khoa_province())
		OR EXISTS (SELECT 1 FROM lifecycle_requests l WHERE l.id = request_id));
CREATE TRIGGER audit_revocations_due AFTER INSERT OR UPDATE OR DELETE ON revocations_due
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('certificate_serial');
CREATE TRIGGER audit_return_notices AFTER INSERT OR UPDATE OR DELETE ON return_notices
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('request_id');
-- the workstations' roles, which may write the tokens, may write these
DO $$
DECLARE
	r text;
BEGIN
	FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
		 WHERE table_name = 'tokens' AND privilege_type = 'UPDATE'
		 AND grantee <> current_user LOOP
		EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON revocations_due TO %I', r);
		EXECUTE format('GRANT SELECT, INSERT ON return_notices TO %I', r);
	END LOOP;
END $$;
-- end
