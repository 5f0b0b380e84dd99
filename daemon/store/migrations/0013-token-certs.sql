-- 0013: the certificates each token carries, one row each, and the indexes
-- a province-sized registry needs (issue 14). The annual report and the
-- expiry list join tokens to their certificates; joined through
-- seen_certs, a comma-joined list of fingerprints, every token was
-- compared with every certificate (a province's 100,000 of each: hours).
-- token_certs holds seen_certs one certificate a row, by id, written with
-- it (store-tokens.c); seen_certs stays, the key a scan compares whole.
-- Indexes: a certificate to the tokens carrying it and to its bindings;
-- the certificates by expiry, with what the report filters on (read
-- without the rows); the holders and the certificate requests of an
-- organization and of a person, and an organization's people (an agency's
-- report: its rows found, not the registry's searched). Portable SQL, as
-- 0001.

CREATE TABLE token_certs (
	token_serial TEXT NOT NULL REFERENCES tokens (serial),
	certificate_id INTEGER NOT NULL REFERENCES certificates (id),
	PRIMARY KEY (token_serial, certificate_id)
);
CREATE INDEX token_certs_certificate ON token_certs (certificate_id, token_serial);
CREATE INDEX bindings_certificate ON bindings (certificate_id);
CREATE INDEX certificates_not_after ON certificates (not_after, not_before, id, serial);
CREATE INDEX holders_organization ON holders (organization_id);
CREATE INDEX holders_person ON holders (person_id);
CREATE INDEX people_organization ON people (organization_id);
CREATE INDEX lifecycle_requests_organization ON lifecycle_requests (organization_id);
CREATE INDEX lifecycle_requests_person ON lifecycle_requests (person_id);

-- The rows of the tokens seen so far, from their lists.
-- sqlite:
WITH RECURSIVE split (serial, sha256, rest) AS (
	SELECT serial, NULL, seen_certs || ',' FROM tokens WHERE seen_certs <> ''
	UNION ALL
	SELECT serial, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
	FROM split WHERE rest <> '')
INSERT INTO token_certs (token_serial, certificate_id)
	SELECT DISTINCT s.serial, c.id FROM split s JOIN certificates c ON c.sha256 = s.sha256;
-- end
-- postgresql:
INSERT INTO token_certs (token_serial, certificate_id)
	SELECT DISTINCT s.serial, c.id
	FROM (SELECT serial, unnest(string_to_array(seen_certs, ',')) AS sha256 FROM tokens) s
	JOIN certificates c ON c.sha256 = s.sha256;

-- A token's certificates follow the token, as its holders do (0012).
ALTER TABLE token_certs ENABLE ROW LEVEL SECURITY;
ALTER TABLE token_certs FORCE ROW LEVEL SECURITY;
CREATE POLICY token_certs_own ON token_certs
	USING ((SELECT khoa_province()) OR khoa_sees_token(token_serial));
-- end
