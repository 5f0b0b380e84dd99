-- 0017: the annual report as filed (issue 16): filing keeps the report
-- (the io.khoa.Reports Report object, as JSON) as it stood, and the report
-- of that year and scope is that copy from then on, whatever the registry
-- says later. Reports filed before 0017 have no copy and are counted as
-- before. A table the audit trail covers (0016), with its triggers.

CREATE TABLE annual_report_filings (
	year INTEGER NOT NULL,
	scope INTEGER NOT NULL,
	report TEXT NOT NULL,
	filed_at TEXT NOT NULL,
	PRIMARY KEY (year, scope)
);

-- sqlite:
CREATE TRIGGER audit_annual_report_filings_insert AFTER INSERT ON annual_report_filings BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('annual_report_filings', NEW.year, NEW.scope, NULL, 'insert');
END;
CREATE TRIGGER audit_annual_report_filings_update AFTER UPDATE ON annual_report_filings BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) SELECT 'annual_report_filings', OLD.year, OLD.scope, NULL, 'delete' WHERE OLD.year IS NOT NEW.year OR OLD.scope IS NOT NEW.scope;
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('annual_report_filings', NEW.year, NEW.scope, NULL, 'update');
END;
CREATE TRIGGER audit_annual_report_filings_delete AFTER DELETE ON annual_report_filings BEGIN
	INSERT INTO audit_staged (tbl, k1, k2, k3, op) VALUES ('annual_report_filings', OLD.year, OLD.scope, NULL, 'delete');
END;
-- end
-- postgresql:
ALTER TABLE annual_report_filings ENABLE ROW LEVEL SECURITY;
ALTER TABLE annual_report_filings FORCE ROW LEVEL SECURITY;
CREATE POLICY annual_report_filings_own ON annual_report_filings
	USING ((SELECT khoa_province()) OR scope = ANY ((SELECT khoa_scope())::BIGINT[]));
CREATE TRIGGER audit_annual_report_filings AFTER INSERT OR UPDATE OR DELETE ON annual_report_filings
	FOR EACH ROW EXECUTE FUNCTION khoa_audit_stage('year', 'scope');
-- the workstations' roles, which may write the reports, may write this
DO $$
DECLARE
	r text;
BEGIN
	FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
		 WHERE table_name = 'annual_reports' AND privilege_type = 'INSERT'
		 AND grantee <> current_user LOOP
		EXECUTE format('GRANT SELECT, INSERT ON annual_report_filings TO %I', r);
	END LOOP;
END $$;
-- end
