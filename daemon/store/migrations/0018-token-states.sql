-- 0018: the state of a token as a device (issue 16), as Dogtag's TPS keeps
-- it: in use (no row), lost, damaged, returned (to Sở TT&TT), retired;
-- the transitions are daemon/registry/device-state.c's, each an event with
-- its actor and reason. HAPPENED_ON is the day it happened as reported
-- (R-CUSTODY: a loss is reported at once, but may be found out later);
-- SEEN_AT/SEEN_ON: a lost token plugged in somewhere since it was reported
-- (token.found), until a technician clears it. A table the audit trail
-- covers (0016), with its triggers; it follows its token's agency.

CREATE TABLE token_states (
	token_serial TEXT PRIMARY KEY REFERENCES tokens (serial),
	state TEXT NOT NULL CHECK (state IN ('lost', 'damaged', 'returned', 'retired')),
	since TEXT NOT NULL,
	happened_on TEXT,
	note TEXT,
	by_uid INTEGER NOT NULL,
	by_user TEXT NOT NULL,
	seen_at TEXT,
	seen_on TEXT
);

-- sqlite:
CREATE TRIGGER audit_token_states_insert AFTER INSERT ON token_states BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('token_states', NEW.token_serial, NULL, NULL, 'insert');
END;
CREATE TRIGGER audit_token_states_update AFTER UPDATE ON token_states BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'token_states', OLD.token_serial, NULL, NULL, 'delete' WHERE OLD.token_serial IS NOT NEW.token_serial;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('token_states', NEW.token_serial, NULL, NULL, 'update');
END;
CREATE TRIGGER audit_token_states_delete AFTER DELETE ON token_states BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('token_states', OLD.token_serial, NULL, NULL, 'delete');
END;
-- end
-- postgresql:
ALTER TABLE token_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE token_states FORCE ROW LEVEL SECURITY;
CREATE POLICY token_states_own ON token_states
	USING ((SELECT khoa_province()) OR khoa_sees_token(token_serial));
CREATE TRIGGER audit_token_states AFTER INSERT OR UPDATE OR DELETE ON token_states
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('token_serial');
-- the workstations' roles, which may write the tokens, may write this
DO $$
DECLARE
	r text;
BEGIN
	FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
		 WHERE table_name = 'tokens' AND privilege_type = 'UPDATE'
		 AND grantee <> current_user LOOP
		EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON token_states TO %I', r);
	END LOOP;
END $$;
-- end
