-- 0007: the annual report (R-AGENCY-DUTIES, Điều 13.6; Mẫu 07). Rows 1–7
-- are counted from the registry when the report is made; rows 8–10 (the
-- documents signed and sent) are figures the agency enters, kept here with
-- who entered them. filed_at: the report went to Sở TT&TT; reminded_at:
-- the reminder of the report month was raised. scope is the organization
-- reported on, 0 for the whole registry. Portable SQL, as 0001.

CREATE TABLE annual_reports (
	year INTEGER NOT NULL,
	scope INTEGER NOT NULL,
	documents_signed_org INTEGER,
	documents_signed_person INTEGER,
	documents_sent INTEGER,
	entered_at TEXT,
	entered_by TEXT,
	filed_at TEXT,
	filed_by TEXT,
	reminded_at TEXT,
	PRIMARY KEY (year, scope)
);
