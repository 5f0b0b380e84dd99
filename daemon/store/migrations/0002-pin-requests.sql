-- 0002: requests that travel through states (PIN recovery, Mẫu 09, first;
-- certificate requests later share these tables under their own kind) and
-- every step each one took. Portable SQL, as 0001.
--
-- form: the fields of the paper form as a JSON object in text (the
-- protocol's Form); they are printed, not queried. kind and state are not
-- CHECKed here: their values belong to the workflow tables of khoad
-- (daemon/workflow.c), which later kinds extend without a migration.

CREATE TABLE requests (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	state TEXT NOT NULL,
	token_serial TEXT NOT NULL,
	reason TEXT,
	form TEXT NOT NULL,
	filed_at TEXT NOT NULL,
	filed_by_uid INTEGER NOT NULL,
	filed_by_user TEXT NOT NULL
);
CREATE INDEX requests_kind_filed ON requests (kind, filed_at);
CREATE INDEX requests_token ON requests (token_serial);

-- A step: ACTION moved the request from FROM_STATE to TO_STATE.
CREATE TABLE request_transitions (
	id INTEGER PRIMARY KEY,
	request_id INTEGER NOT NULL REFERENCES requests (id),
	action TEXT NOT NULL,
	from_state TEXT NOT NULL,
	to_state TEXT NOT NULL,
	done_at TEXT NOT NULL,
	actor_uid INTEGER NOT NULL,
	actor_user TEXT NOT NULL,
	note TEXT
);
CREATE INDEX request_transitions_request ON request_transitions (request_id, id);
