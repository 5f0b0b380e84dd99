-- 0005: certificate lifecycle requests (R-NEW, R-RENEW-*, R-REVOKE-*,
-- R-REISSUE; Mẫu 01–06): new, renew, revoke and re-issue, each about a
-- subject (a person or an organization) and, when a token was present, the
-- certificate read from it. Their steps are kept beside them, as the PIN
-- requests' are (0002). kind and state are not CHECKed: their values belong
-- to the workflow tables of khoad (daemon/workflow.c). Portable SQL, as 0001.

CREATE TABLE lifecycle_requests (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	subject_kind TEXT NOT NULL CHECK (subject_kind IN ('person', 'organization')),
	person_id INTEGER REFERENCES people (id),
	organization_id INTEGER REFERENCES organizations (id),
	subject_name TEXT NOT NULL,
	token_serial TEXT,
	certificate_serial TEXT,
	certificate_not_before TEXT,
	certificate_not_after TEXT,
	reason TEXT,
	requested_years INTEGER,
	state TEXT NOT NULL,
	filed_at TEXT NOT NULL,
	filed_by_uid INTEGER NOT NULL,
	filed_by_user TEXT NOT NULL
);
CREATE INDEX lifecycle_requests_kind_filed ON lifecycle_requests (kind, filed_at);
CREATE INDEX lifecycle_requests_cert ON lifecycle_requests (certificate_serial);

CREATE TABLE lifecycle_transitions (
	id INTEGER PRIMARY KEY,
	request_id INTEGER NOT NULL REFERENCES lifecycle_requests (id),
	action TEXT NOT NULL,
	from_state TEXT NOT NULL,
	to_state TEXT NOT NULL,
	done_at TEXT NOT NULL,
	actor_uid INTEGER NOT NULL,
	actor_user TEXT NOT NULL,
	note TEXT
);
CREATE INDEX lifecycle_transitions_request ON lifecycle_transitions (request_id, id);
