-- 0008: who a person is at a workstation, and who keeps an agency's papers
-- (issue 13). person_logins: the Unix logins of a person; a login names one
-- person at most. people.clerk: the person is the records clerk (văn thư)
-- of their organization, with its sub-units. Existing people get no login
-- and are no clerk: nothing of a registry is rewritten. Portable SQL, as
-- 0001.

CREATE TABLE person_logins (
	login TEXT PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES people (id)
);
CREATE INDEX person_logins_person ON person_logins (person_id);

ALTER TABLE people ADD COLUMN clerk INTEGER NOT NULL DEFAULT 0;
