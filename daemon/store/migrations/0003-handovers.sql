-- 0003: handover minutes of private-key storage devices (Mẫu 10,
-- R-HANDOVER) and their rows, the custody they move (R-CUSTODY), the
-- register of the organization token kept like the seal, and decisions
-- changing a certificate's manager (Mẫu 08). Portable SQL, as 0001.
--
-- giver / receiver: the protocol's Party objects as JSON text (printed, not
-- queried); their names are copied into columns because custody links name
-- them. state is 'draft' or 'finalized'; a finalized handover is never
-- changed again except to record which handover superseded it.

CREATE TABLE handovers (
	id INTEGER PRIMARY KEY,
	state TEXT NOT NULL CHECK (state IN ('draft', 'finalized')),
	place TEXT,
	held_at TEXT NOT NULL,
	giver TEXT NOT NULL,
	giver_name TEXT NOT NULL,
	receiver TEXT NOT NULL,
	receiver_name TEXT NOT NULL,
	supersedes INTEGER REFERENCES handovers (id),
	superseded_by INTEGER REFERENCES handovers (id),
	created_at TEXT NOT NULL,
	created_by_uid INTEGER NOT NULL,
	created_by_user TEXT NOT NULL,
	finalized_at TEXT,
	finalized_by_uid INTEGER,
	finalized_by_user TEXT
);

-- A row of the minutes: what the device (or, when it was absent, the
-- registry) said of the token when the row was added.
CREATE TABLE handover_rows (
	id INTEGER PRIMARY KEY,
	handover_id INTEGER NOT NULL REFERENCES handovers (id),
	number INTEGER NOT NULL,
	token_serial TEXT NOT NULL,
	holder_name TEXT,
	certificate_serial TEXT,
	valid_from TEXT,
	valid_to TEXT,
	reason TEXT NOT NULL,
	note TEXT,
	verified_on_device INTEGER NOT NULL,
	UNIQUE (handover_id, token_serial)
);
CREATE INDEX handover_rows_token ON handover_rows (token_serial);

-- Custody moved by a finalized handover, one link per row. A link of a
-- handover that was superseded names the one that corrected it.
CREATE TABLE custody_links (
	id INTEGER PRIMARY KEY,
	token_serial TEXT NOT NULL,
	handover_id INTEGER NOT NULL REFERENCES handovers (id),
	at TEXT NOT NULL,
	from_party TEXT NOT NULL,
	to_party TEXT NOT NULL,
	reason TEXT NOT NULL,
	superseded_by INTEGER REFERENCES handovers (id)
);
CREATE INDEX custody_links_token ON custody_links (token_serial, id);

-- The seal register: the organization token checked out to a person for a
-- purpose, due back at due_at, checked in (in_at). overdue_notified: the
-- seal.overdue event was raised for this entry.
CREATE TABLE seal_log (
	id INTEGER PRIMARY KEY,
	token_serial TEXT NOT NULL REFERENCES tokens (serial),
	person_id INTEGER NOT NULL REFERENCES people (id),
	purpose TEXT NOT NULL,
	out_at TEXT NOT NULL,
	out_by_uid INTEGER NOT NULL,
	out_by_user TEXT NOT NULL,
	due_at TEXT NOT NULL,
	in_at TEXT,
	in_by_uid INTEGER,
	in_by_user TEXT,
	in_note TEXT,
	overdue_notified INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX seal_log_token ON seal_log (token_serial, id);

-- Decisions changing the manager of a certificate (Mẫu 08). Positions are
-- copied as they were on the decision; handover_id is the handover drafted
-- between the two managers.
CREATE TABLE manager_changes (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id),
	certificate_kind TEXT NOT NULL CHECK (certificate_kind IN ('organization', 'person')),
	registered_name TEXT NOT NULL,
	token_serial TEXT,
	old_person_id INTEGER NOT NULL REFERENCES people (id),
	old_position TEXT,
	new_person_id INTEGER NOT NULL REFERENCES people (id),
	new_position TEXT,
	effective_on TEXT NOT NULL,
	decision_number TEXT,
	handover_id INTEGER NOT NULL REFERENCES handovers (id),
	created_at TEXT NOT NULL,
	created_by_uid INTEGER NOT NULL,
	created_by_user TEXT NOT NULL
);
