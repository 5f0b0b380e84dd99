-- 0001: the registry of organizations, people, tokens, certificates, who
-- holds which token and which certificates are bound to it, and events.
-- Portable SQL (SQLite and PostgreSQL): integer keys, ISO 8601 UTC text
-- times ("2026-11-24T20:28:31Z"), no engine-specific types.

CREATE TABLE organizations (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	parent_id INTEGER REFERENCES organizations (id),
	tax_code TEXT,
	address TEXT,
	email TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE people (
	id INTEGER PRIMARY KEY,
	full_name TEXT NOT NULL,
	id_number TEXT NOT NULL UNIQUE,
	birth_date TEXT,
	position TEXT,
	organization_id INTEGER REFERENCES organizations (id),
	email TEXT,
	phone TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- Every token ever seen. seen_certs / bound_certs: the SHA-256 fingerprints
-- of the certificates it carried when last seen / is registered with,
-- sorted and comma-joined, so a mismatch is a string comparison.
CREATE TABLE tokens (
	serial TEXT PRIMARY KEY,
	label TEXT NOT NULL,
	manufacturer TEXT NOT NULL,
	model TEXT NOT NULL,
	module TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('unregistered', 'registered')),
	present INTEGER NOT NULL,
	flags INTEGER NOT NULL,
	seen_certs TEXT NOT NULL,
	bound_certs TEXT,
	registered_at TEXT,
	first_seen TEXT NOT NULL,
	last_seen TEXT NOT NULL
);

CREATE TABLE certificates (
	id INTEGER PRIMARY KEY,
	sha256 TEXT NOT NULL UNIQUE,
	serial TEXT NOT NULL,
	subject TEXT NOT NULL,
	subject_cn TEXT,
	issuer TEXT NOT NULL,
	not_before TEXT NOT NULL,
	not_after TEXT NOT NULL,
	first_seen TEXT NOT NULL
);

-- A certificate bound to a token, from registration (or confirmation) until
-- the binding ends (valid_to set).
CREATE TABLE bindings (
	id INTEGER PRIMARY KEY,
	token_serial TEXT NOT NULL REFERENCES tokens (serial),
	certificate_id INTEGER NOT NULL REFERENCES certificates (id),
	valid_from TEXT NOT NULL,
	valid_to TEXT
);
CREATE INDEX bindings_token ON bindings (token_serial);

-- Who holds a token: a person or an organization, from..to.
CREATE TABLE holders (
	id INTEGER PRIMARY KEY,
	token_serial TEXT NOT NULL REFERENCES tokens (serial),
	person_id INTEGER REFERENCES people (id),
	organization_id INTEGER REFERENCES organizations (id),
	valid_from TEXT NOT NULL,
	valid_to TEXT,
	CHECK ((person_id IS NULL) <> (organization_id IS NULL))
);
CREATE INDEX holders_token ON holders (token_serial);

CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	time TEXT NOT NULL,
	type TEXT NOT NULL,
	token_serial TEXT,
	actor_uid INTEGER,
	actor_user TEXT,
	details TEXT NOT NULL
);
CREATE INDEX events_token ON events (token_serial, id);
