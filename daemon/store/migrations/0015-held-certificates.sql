-- 0015: the certificates held now, kept by triggers (issue 14), and the
-- expiry list's index (at the end). The annual report counts the
-- certificates on the tokens of their current holders, valid on a day,
-- neither revoked nor replaced by a renewal or re-issue; joined from
-- holders, token_certs, certificates, the revocations and the lineage, a
-- province's 100,000 of each took 160 to 200 ms on PostgreSQL and 450 ms on
-- SQLite. held_certificates is that join's result, a row a (token,
-- certificate), with the dates the count filters on: the count is then a
-- range of one index. Nothing writes it but these triggers; each change to
-- one of the four tables it comes from recomputes the rows of the tokens it
-- touches. Derived: not imported (store-import.c), filled here.

CREATE TABLE held_certificates (
	token_serial TEXT NOT NULL,
	certificate_id INTEGER NOT NULL,
	by_organization INTEGER NOT NULL,
	not_before TEXT NOT NULL,
	not_after TEXT NOT NULL,
	PRIMARY KEY (token_serial, certificate_id)
);
CREATE INDEX held_certificates_validity
	ON held_certificates (not_after, not_before, by_organization);

INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
	SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
		c.not_before, c.not_after
	FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
	JOIN certificates c ON c.id = tc.certificate_id
	WHERE h.valid_to IS NULL
	AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
	AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);

-- sqlite:
CREATE TRIGGER holders_held_insert AFTER INSERT ON holders BEGIN
	DELETE FROM held_certificates WHERE token_serial = NEW.token_serial;
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial = NEW.token_serial AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
END;
CREATE TRIGGER holders_held_update AFTER UPDATE ON holders BEGIN
	DELETE FROM held_certificates WHERE token_serial = OLD.token_serial;
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial = OLD.token_serial AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
	DELETE FROM held_certificates WHERE token_serial = NEW.token_serial;
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial = NEW.token_serial AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
END;
CREATE TRIGGER holders_held_delete AFTER DELETE ON holders BEGIN
	DELETE FROM held_certificates WHERE token_serial = OLD.token_serial;
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial = OLD.token_serial AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
END;
CREATE TRIGGER token_certs_held_insert AFTER INSERT ON token_certs BEGIN
	DELETE FROM held_certificates WHERE token_serial = NEW.token_serial;
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial = NEW.token_serial AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
END;
CREATE TRIGGER token_certs_held_update AFTER UPDATE ON token_certs BEGIN
	DELETE FROM held_certificates WHERE token_serial = OLD.token_serial;
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial = OLD.token_serial AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
	DELETE FROM held_certificates WHERE token_serial = NEW.token_serial;
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial = NEW.token_serial AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
END;
CREATE TRIGGER token_certs_held_delete AFTER DELETE ON token_certs BEGIN
	DELETE FROM held_certificates WHERE token_serial = OLD.token_serial;
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial = OLD.token_serial AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
END;
CREATE TRIGGER certificate_revocations_held_insert AFTER INSERT ON certificate_revocations BEGIN
	DELETE FROM held_certificates WHERE token_serial IN (SELECT tc.token_serial FROM token_certs tc JOIN certificates c ON c.id = tc.certificate_id WHERE c.serial = NEW.certificate_serial);
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial IN (SELECT tc.token_serial FROM token_certs tc JOIN certificates c ON c.id = tc.certificate_id WHERE c.serial = NEW.certificate_serial) AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
END;
CREATE TRIGGER certificate_revocations_held_delete AFTER DELETE ON certificate_revocations BEGIN
	DELETE FROM held_certificates WHERE token_serial IN (SELECT tc.token_serial FROM token_certs tc JOIN certificates c ON c.id = tc.certificate_id WHERE c.serial = OLD.certificate_serial);
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial IN (SELECT tc.token_serial FROM token_certs tc JOIN certificates c ON c.id = tc.certificate_id WHERE c.serial = OLD.certificate_serial) AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
END;
CREATE TRIGGER certificate_lineage_held_insert AFTER INSERT ON certificate_lineage BEGIN
	DELETE FROM held_certificates WHERE token_serial IN (SELECT tc.token_serial FROM token_certs tc JOIN certificates c ON c.id = tc.certificate_id WHERE c.serial = NEW.previous_serial);
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial IN (SELECT tc.token_serial FROM token_certs tc JOIN certificates c ON c.id = tc.certificate_id WHERE c.serial = NEW.previous_serial) AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
END;
CREATE TRIGGER certificate_lineage_held_delete AFTER DELETE ON certificate_lineage BEGIN
	DELETE FROM held_certificates WHERE token_serial IN (SELECT tc.token_serial FROM token_certs tc JOIN certificates c ON c.id = tc.certificate_id WHERE c.serial = OLD.previous_serial);
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial IN (SELECT tc.token_serial FROM token_certs tc JOIN certificates c ON c.id = tc.certificate_id WHERE c.serial = OLD.previous_serial) AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
END;
-- end
-- postgresql:
-- The rows of one token, recomputed (as the role making the change: row-level
-- security shows it the tokens it may change, the ones it touches).
CREATE FUNCTION khoa_held_keep(serial text) RETURNS void LANGUAGE sql
SET search_path = public, pg_catalog, pg_temp AS $$
	DELETE FROM held_certificates WHERE token_serial = $1;
	INSERT INTO held_certificates (token_serial, certificate_id, by_organization, not_before, not_after)
		SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END,
			c.not_before, c.not_after
		FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
		JOIN certificates c ON c.id = tc.certificate_id
		WHERE h.token_serial = $1 AND h.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
		AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial);
$$;

-- After a holder or a token's certificates changed: that token's rows.
CREATE FUNCTION khoa_held_token() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_catalog, pg_temp AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM khoa_held_keep(OLD.token_serial);
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.token_serial <> OLD.token_serial) THEN
		PERFORM khoa_held_keep(NEW.token_serial);
	END IF;
	RETURN NULL;
END $$;

-- After a revocation or a renewal's link: the rows of every token carrying
-- a certificate of that serial (the column named by the trigger's argument).
CREATE FUNCTION khoa_held_certificate() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_catalog, pg_temp AS $$
DECLARE
	cert_serial text := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0];
BEGIN
	PERFORM khoa_held_keep(tc.token_serial) FROM token_certs tc
		JOIN certificates c ON c.id = tc.certificate_id WHERE c.serial = cert_serial;
	RETURN NULL;
END $$;

-- Named to run after holders_owner (0011): triggers of one event run in
-- the order of their names, and a new holder's token must have its owner
-- first for its rows to pass row-level security.
CREATE TRIGGER holders_record_held AFTER INSERT OR UPDATE OR DELETE ON holders
	FOR EACH ROW EXECUTE FUNCTION khoa_held_token();
CREATE TRIGGER token_certs_record_held AFTER INSERT OR UPDATE OR DELETE ON token_certs
	FOR EACH ROW EXECUTE FUNCTION khoa_held_token();
CREATE TRIGGER certificate_revocations_record_held AFTER INSERT OR DELETE
	ON certificate_revocations FOR EACH ROW EXECUTE FUNCTION khoa_held_certificate('certificate_serial');
CREATE TRIGGER certificate_lineage_record_held AFTER INSERT OR DELETE
	ON certificate_lineage FOR EACH ROW EXECUTE FUNCTION khoa_held_certificate('previous_serial');

-- The rows follow their token, as token_certs' do (0013).
ALTER TABLE held_certificates ENABLE ROW LEVEL SECURITY;
ALTER TABLE held_certificates FORCE ROW LEVEL SECURITY;
CREATE POLICY held_certificates_own ON held_certificates
	USING ((SELECT khoa_province()) OR khoa_sees_token(token_serial));
-- end

-- The expiry list's order (store-expiry.c), so that a page of it is read
-- from the index and stops at its end (issue 15 pages long answers).
CREATE INDEX certificates_expiry ON certificates (not_after, serial, id);
