-- 0004: the expiry warnings already raised (R-RENEW-60D, Điều 5.1), so
-- that a restart does not raise them again. One row per certificate and
-- notice: kind 'expiring' with the threshold (days before notAfter) that
-- fired, or kind 'expired' with threshold 0. Portable SQL, as 0001.

CREATE TABLE expiry_notices (
	certificate_id INTEGER NOT NULL REFERENCES certificates (id),
	kind TEXT NOT NULL CHECK (kind IN ('expiring', 'expired')),
	threshold INTEGER NOT NULL,
	days_left INTEGER NOT NULL,
	raised_at TEXT NOT NULL,
	PRIMARY KEY (certificate_id, kind, threshold)
);
