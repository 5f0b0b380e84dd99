-- 0006: what the devices and the CA did with lifecycle requests.
--
-- A renewal or re-issue is complete when the token comes back carrying the
-- new certificate: khoad reads it and links it to the request and to the
-- certificate it replaces (R-RENEW-ONCE counts renewals along the line;
-- R-VALIDITY-5Y needs the date the line began). A revocation the CA carried
-- out marks the certificate revoked, with the request's reason.
-- Certificates are named by serial, as the requests name them. Portable SQL,
-- as 0001.

ALTER TABLE lifecycle_requests ADD COLUMN new_certificate_serial TEXT;

CREATE TABLE certificate_lineage (
	certificate_serial TEXT PRIMARY KEY,
	previous_serial TEXT,
	request_id INTEGER NOT NULL REFERENCES lifecycle_requests (id),
	kind TEXT NOT NULL,
	renewals INTEGER NOT NULL,
	first_issued TEXT NOT NULL,
	linked_at TEXT NOT NULL
);
CREATE INDEX certificate_lineage_previous ON certificate_lineage (previous_serial);

CREATE TABLE certificate_revocations (
	certificate_serial TEXT PRIMARY KEY,
	request_id INTEGER NOT NULL REFERENCES lifecycle_requests (id),
	reason TEXT,
	revoked_at TEXT NOT NULL
);
