-- 0012: row-level security on every table (issue 14), after 0011 put it on
-- the five that hold an agency's records; nothing for SQLite.
--
-- A row belongs where the row it hangs on belongs: a token's holders,
-- bindings, custody, seal log and handover rows follow the token (a row
-- of a token the role can see, 0011's rule); a request's steps its
-- request; a certificate's lineage and revocation the lifecycle request
-- that made them; a login its person; a manager change and an annual
-- report their organization. Rows that hang on nothing are stamped by the
-- database with the writer's organization (khoa_home()): events,
-- handovers and workstations. An event is also seen by the agency holding
-- its token (a token of ours read on another agency's desk), a handover
-- by every agency one of whose tokens it lists; events are written, never
-- changed. A workstation's name is its agency's once claimed, and so are
-- the sightings made there.
--
-- Read by all: certificates and their expiry notices (a certificate is a
-- public document, read from whichever device carries it; khoad itself
-- hides the subject's ID number from roles that may not see it, and both
-- are written by whoever reads one), workstations' names (where a token
-- was last seen), registry_roles and schema_migrations (written by the
-- province only), org_parents (which only ever mirrors organizations).
--
-- The helper functions name their schema and search pg_temp last: a role
-- allowed temporary tables (PUBLIC is, by default) would otherwise shadow
-- registry_roles with one of its own and call itself the province. 0011's
-- functions get the same. (A function's parameter is written `text`, in
-- lower case, which embed-sql.py does not give a collation: a parameter
-- cannot have one.)

-- postgresql:
ALTER FUNCTION khoa_sees(BIGINT) SET search_path = public, pg_catalog, pg_temp;
ALTER FUNCTION khoa_org_parents_keep() SET search_path = public, pg_catalog, pg_temp;
ALTER FUNCTION khoa_token_owner_keep() SET search_path = public, pg_catalog, pg_temp;
ALTER FUNCTION khoa_request_owner() SET search_path = public, pg_catalog, pg_temp;
ALTER FUNCTION khoa_lifecycle_owner() SET search_path = public, pg_catalog, pg_temp;

-- Whether the current role serves the province (sees everything).
CREATE FUNCTION khoa_province() RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_catalog, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM registry_roles r
		WHERE r.organization_id IS NULL AND pg_has_role(current_user, r.role, 'MEMBER'))
$$;

-- The organization the current role serves; NULL for the province (and for
-- a role registry_roles does not know, which khoa_sees() then refuses).
CREATE FUNCTION khoa_home() RETURNS BIGINT LANGUAGE sql STABLE
SET search_path = public, pg_catalog, pg_temp AS $$
	SELECT r.organization_id FROM registry_roles r
	WHERE pg_has_role(current_user, r.role, 'MEMBER')
	ORDER BY r.organization_id NULLS FIRST LIMIT 1
$$;

-- Whether the current role sees token SERIAL (tokens' own policy decides).
CREATE FUNCTION khoa_sees_token(serial text) RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_catalog, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM tokens t WHERE t.serial = $1)
$$;

-- Whether the token is held by an agency the current role sees (not
-- merely visible because nobody holds it yet).
CREATE FUNCTION khoa_holds_token(serial text) RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_catalog, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM tokens t WHERE t.serial = $1 AND t.owner_org IS NOT NULL)
$$;

-- The organizations the current role sees: those registry_roles gives it
-- and every one below them (the province's role: none, it sees all). A
-- policy asks (SELECT khoa_scope()) once per statement and tests each row
-- against the array: 0011's khoa_sees(), which walks the tree up for every
-- row read, made an agency's expiry check over a province's 100,000
-- certificates outlast statement_timeout (bench/province.sh).
CREATE FUNCTION khoa_scope() RETURNS BIGINT[] LANGUAGE sql STABLE
SET search_path = public, pg_catalog, pg_temp AS $$
	WITH RECURSIVE down (id) AS (
		SELECT r.organization_id FROM registry_roles r
		WHERE r.organization_id IS NOT NULL AND pg_has_role(current_user, r.role, 'MEMBER')
		UNION SELECT p.id FROM org_parents p JOIN down ON p.parent_id = down.id)
	SELECT COALESCE(array_agg(id), '{}') FROM down
$$;

-- 0011's policies in that form.
DROP POLICY organizations_own ON organizations;
CREATE POLICY organizations_own ON organizations
	USING ((SELECT khoa_province()) OR id = ANY ((SELECT khoa_scope())::BIGINT[]))
	WITH CHECK ((SELECT khoa_province()) OR id = ANY ((SELECT khoa_scope())::BIGINT[])
		OR parent_id = ANY ((SELECT khoa_scope())::BIGINT[]));
DROP POLICY people_own ON people;
CREATE POLICY people_own ON people
	USING (organization_id IS NULL OR (SELECT khoa_province())
		OR organization_id = ANY ((SELECT khoa_scope())::BIGINT[]))
	WITH CHECK (organization_id IS NULL OR (SELECT khoa_province())
		OR organization_id = ANY ((SELECT khoa_scope())::BIGINT[]));
DROP POLICY tokens_own ON tokens;
CREATE POLICY tokens_own ON tokens
	USING (owner_org IS NULL OR (SELECT khoa_province())
		OR owner_org = ANY ((SELECT khoa_scope())::BIGINT[]))
	WITH CHECK (owner_org IS NULL OR (SELECT khoa_province())
		OR owner_org = ANY ((SELECT khoa_scope())::BIGINT[]));
DROP POLICY requests_own ON requests;
CREATE POLICY requests_own ON requests
	USING (owner_org IS NULL OR (SELECT khoa_province())
		OR owner_org = ANY ((SELECT khoa_scope())::BIGINT[]))
	WITH CHECK (owner_org IS NULL OR (SELECT khoa_province())
		OR owner_org = ANY ((SELECT khoa_scope())::BIGINT[]));
DROP POLICY lifecycle_requests_own ON lifecycle_requests;
CREATE POLICY lifecycle_requests_own ON lifecycle_requests
	USING (owner_org IS NULL OR (SELECT khoa_province())
		OR owner_org = ANY ((SELECT khoa_scope())::BIGINT[]))
	WITH CHECK (owner_org IS NULL OR (SELECT khoa_province())
		OR owner_org = ANY ((SELECT khoa_scope())::BIGINT[]));

-- The newest event's id, whoever may see it: a khoad catching up has read
-- every event it may see up to there, and need not read again the ones it
-- may not (events.c).
CREATE FUNCTION khoa_events_newest() RETURNS BIGINT LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_catalog, pg_temp AS $$
	SELECT COALESCE(max(id), 0) FROM events
$$;

-- Whether token SERIAL is registered at all, whoever sees it: khoad asks
-- before recording a token it cannot see, which is then another agency's
-- (only its sighting here is recorded). As the owner, who is the province.
CREATE FUNCTION khoa_token_known(serial text) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_catalog, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM tokens t WHERE t.serial = $1)
$$;

CREATE FUNCTION khoa_stamp_home() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_catalog, pg_temp AS $$
BEGIN
	NEW.home_org := khoa_home();
	RETURN NEW;
END $$;

-- Rows that follow their token. (SELECT khoa_province()) is computed once
-- per statement, not once per row.
ALTER TABLE holders ENABLE ROW LEVEL SECURITY;
ALTER TABLE holders FORCE ROW LEVEL SECURITY;
CREATE POLICY holders_own ON holders
	USING ((SELECT khoa_province()) OR khoa_sees_token(token_serial));
ALTER TABLE bindings ENABLE ROW LEVEL SECURITY;
ALTER TABLE bindings FORCE ROW LEVEL SECURITY;
CREATE POLICY bindings_own ON bindings
	USING ((SELECT khoa_province()) OR khoa_sees_token(token_serial));
ALTER TABLE custody_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE custody_links FORCE ROW LEVEL SECURITY;
CREATE POLICY custody_links_own ON custody_links
	USING ((SELECT khoa_province()) OR khoa_sees_token(token_serial));
ALTER TABLE seal_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE seal_log FORCE ROW LEVEL SECURITY;
CREATE POLICY seal_log_own ON seal_log
	USING ((SELECT khoa_province()) OR khoa_sees_token(token_serial));
ALTER TABLE handover_rows ENABLE ROW LEVEL SECURITY;
ALTER TABLE handover_rows FORCE ROW LEVEL SECURITY;
CREATE POLICY handover_rows_own ON handover_rows
	USING ((SELECT khoa_province()) OR khoa_sees_token(token_serial));

-- Rows that follow their request, their person, their organization.
ALTER TABLE request_transitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE request_transitions FORCE ROW LEVEL SECURITY;
CREATE POLICY request_transitions_own ON request_transitions
	USING ((SELECT khoa_province()) OR EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
ALTER TABLE lifecycle_transitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE lifecycle_transitions FORCE ROW LEVEL SECURITY;
CREATE POLICY lifecycle_transitions_own ON lifecycle_transitions
	USING ((SELECT khoa_province())
		OR EXISTS (SELECT 1 FROM lifecycle_requests l WHERE l.id = request_id));
ALTER TABLE certificate_lineage ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_lineage FORCE ROW LEVEL SECURITY;
CREATE POLICY certificate_lineage_own ON certificate_lineage
	USING ((SELECT khoa_province())
		OR EXISTS (SELECT 1 FROM lifecycle_requests l WHERE l.id = request_id));
ALTER TABLE certificate_revocations ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_revocations FORCE ROW LEVEL SECURITY;
CREATE POLICY certificate_revocations_own ON certificate_revocations
	USING ((SELECT khoa_province())
		OR EXISTS (SELECT 1 FROM lifecycle_requests l WHERE l.id = request_id));
ALTER TABLE person_logins ENABLE ROW LEVEL SECURITY;
ALTER TABLE person_logins FORCE ROW LEVEL SECURITY;
CREATE POLICY person_logins_own ON person_logins
	USING ((SELECT khoa_province()) OR EXISTS (SELECT 1 FROM people p WHERE p.id = person_id));
ALTER TABLE manager_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE manager_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY manager_changes_own ON manager_changes
	USING ((SELECT khoa_province()) OR organization_id = ANY ((SELECT khoa_scope())::BIGINT[]));
-- scope 0 is the whole registry: the province's (no organization is 0)
ALTER TABLE annual_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE annual_reports FORCE ROW LEVEL SECURITY;
CREATE POLICY annual_reports_own ON annual_reports
	USING ((SELECT khoa_province()) OR scope = ANY ((SELECT khoa_scope())::BIGINT[]));

-- Rows stamped with their writer's organization.
ALTER TABLE events ADD COLUMN home_org BIGINT;
CREATE TRIGGER events_home BEFORE INSERT ON events
	FOR EACH ROW EXECUTE FUNCTION khoa_stamp_home();
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY events_read ON events FOR SELECT
	USING ((SELECT khoa_province()) OR home_org = ANY ((SELECT khoa_scope())::BIGINT[])
		OR khoa_holds_token(token_serial));
CREATE POLICY events_write ON events FOR INSERT
	WITH CHECK ((SELECT khoa_province()) OR home_org = ANY ((SELECT khoa_scope())::BIGINT[]));

ALTER TABLE handovers ADD COLUMN home_org BIGINT;
CREATE TRIGGER handovers_home BEFORE INSERT ON handovers
	FOR EACH ROW EXECUTE FUNCTION khoa_stamp_home();
ALTER TABLE handovers ENABLE ROW LEVEL SECURITY;
ALTER TABLE handovers FORCE ROW LEVEL SECURITY;
CREATE POLICY handovers_own ON handovers
	USING ((SELECT khoa_province()) OR home_org = ANY ((SELECT khoa_scope())::BIGINT[])
		OR EXISTS (SELECT 1 FROM handover_rows r WHERE r.handover_id = handovers.id
			AND khoa_holds_token(r.token_serial)));

-- Read by all, written as said above.
ALTER TABLE certificates ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificates FORCE ROW LEVEL SECURITY;
CREATE POLICY certificates_read ON certificates FOR SELECT USING (true);
CREATE POLICY certificates_write ON certificates FOR INSERT WITH CHECK (true);
ALTER TABLE expiry_notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE expiry_notices FORCE ROW LEVEL SECURITY;
CREATE POLICY expiry_notices_read ON expiry_notices FOR SELECT USING (true);
CREATE POLICY expiry_notices_write ON expiry_notices FOR INSERT WITH CHECK (true);

ALTER TABLE workstations ADD COLUMN home_org BIGINT;
CREATE TRIGGER workstations_home BEFORE INSERT ON workstations
	FOR EACH ROW EXECUTE FUNCTION khoa_stamp_home();
ALTER TABLE workstations ENABLE ROW LEVEL SECURITY;
ALTER TABLE workstations FORCE ROW LEVEL SECURITY;
CREATE POLICY workstations_read ON workstations FOR SELECT USING (true);
CREATE POLICY workstations_add ON workstations FOR INSERT
	WITH CHECK ((SELECT khoa_province()) OR home_org = ANY ((SELECT khoa_scope())::BIGINT[]));
CREATE POLICY workstations_own ON workstations FOR UPDATE
	USING ((SELECT khoa_province()) OR home_org = ANY ((SELECT khoa_scope())::BIGINT[]));

-- A desk's sightings are its agency's to write; a token's, its holder's
-- to read too.
ALTER TABLE token_sightings ENABLE ROW LEVEL SECURITY;
ALTER TABLE token_sightings FORCE ROW LEVEL SECURITY;
CREATE POLICY token_sightings_read ON token_sightings FOR SELECT
	USING ((SELECT khoa_province()) OR khoa_holds_token(token_serial)
		OR EXISTS (SELECT 1 FROM workstations w WHERE w.name = workstation
			AND w.home_org = ANY ((SELECT khoa_scope())::BIGINT[])));
CREATE POLICY token_sightings_write ON token_sightings
	USING ((SELECT khoa_province()) OR workstation = ''
		OR EXISTS (SELECT 1 FROM workstations w WHERE w.name = workstation
			AND w.home_org = ANY ((SELECT khoa_scope())::BIGINT[])))
	WITH CHECK ((SELECT khoa_province())
		OR EXISTS (SELECT 1 FROM workstations w WHERE w.name = workstation
			AND w.home_org = ANY ((SELECT khoa_scope())::BIGINT[])));

ALTER TABLE registry_roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE registry_roles FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_roles_read ON registry_roles FOR SELECT USING (true);
CREATE POLICY registry_roles_province ON registry_roles USING (khoa_province())
	WITH CHECK (khoa_province());
ALTER TABLE schema_migrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE schema_migrations FORCE ROW LEVEL SECURITY;
CREATE POLICY schema_migrations_read ON schema_migrations FOR SELECT USING (true);
CREATE POLICY schema_migrations_province ON schema_migrations USING (khoa_province())
	WITH CHECK (khoa_province());
ALTER TABLE org_parents ENABLE ROW LEVEL SECURITY;
ALTER TABLE org_parents FORCE ROW LEVEL SECURITY;
CREATE POLICY org_parents_read ON org_parents FOR SELECT USING (true);
CREATE POLICY org_parents_mirror ON org_parents
	USING (EXISTS (SELECT 1 FROM organizations o WHERE o.id = org_parents.id))
	WITH CHECK (EXISTS (SELECT 1 FROM organizations o WHERE o.id = org_parents.id
		AND o.parent_id IS NOT DISTINCT FROM org_parents.parent_id));
-- end
