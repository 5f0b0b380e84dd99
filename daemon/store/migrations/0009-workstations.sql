-- 0009: a token's presence is a fact of the workstation that saw it (issue
-- 14): several khoad share one registry, each seeing the tokens on its own
-- desk. workstations: the khoad that use this registry, by name, with the
-- organization each serves. token_sightings: where each token was seen,
-- whether it is there now, when first and last. The tokens table keeps
-- what follows the token (label, flags, certificates, the module last read
-- through) and loses "present". The presence recorded so far is the
-- workstation's whose name is still '' (the one khoad of this registry):
-- khoad names it at start. Portable SQL, as 0001.

CREATE TABLE workstations (
	name TEXT PRIMARY KEY,
	organization_id INTEGER REFERENCES organizations (id),
	first_seen TEXT NOT NULL,
	last_seen TEXT NOT NULL
);

CREATE TABLE token_sightings (
	token_serial TEXT NOT NULL REFERENCES tokens (serial),
	workstation TEXT NOT NULL,
	module TEXT NOT NULL,
	present INTEGER NOT NULL,
	first_seen TEXT NOT NULL,
	last_seen TEXT NOT NULL,
	PRIMARY KEY (token_serial, workstation)
);
CREATE INDEX token_sightings_desk ON token_sightings (workstation, present, module);

INSERT INTO token_sightings (token_serial, workstation, module, present, first_seen, last_seen)
	SELECT serial, '', module, present, first_seen, last_seen FROM tokens;

ALTER TABLE tokens DROP COLUMN present;
