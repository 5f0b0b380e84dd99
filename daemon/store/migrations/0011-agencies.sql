-- 0011: each agency its own, enforced by the database (issue 14), on a
-- registry shared by a province's workstations; nothing for SQLite, whose
-- only writer is one workstation.
--
-- Each workstation connects with a role of its agency. registry_roles says
-- which organization a role's workstations serve (NULL: the province, Sở
-- TT&TT, which sees everything; the role that builds the schema is one).
-- Row-level security, FORCEd so that the tables' owner is held too, lets a
-- role see and change only the rows of its organization and those below
-- it: people by their organization, tokens by their current holder's,
-- requests by their token's, certificate requests by their subject's,
-- organizations (which everyone may read: the tree names them) by
-- themselves. A token nobody holds yet (owner_org NULL) is anyone's to
-- record when it is first plugged in. The owners are kept by triggers, not
-- by khoad: a workstation that edits the SQL it sends cannot move a record
-- into its scope, nor out of another's. khoad's own role checks stay in
-- front (access.c); this is the wall behind them.

-- postgresql:
CREATE TABLE registry_roles (
	role TEXT PRIMARY KEY,
	organization_id INTEGER REFERENCES organizations (id)
);
INSERT INTO registry_roles VALUES (current_user, NULL);

-- The tree as the policies read it, without row-level security of its own
-- (a policy on organizations reading organizations would recurse).
CREATE TABLE org_parents (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER
);
INSERT INTO org_parents SELECT id, parent_id FROM organizations;

CREATE FUNCTION khoa_org_parents_keep() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
	INSERT INTO org_parents VALUES (NEW.id, NEW.parent_id)
		ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id;
	RETURN NEW;
END $$;
CREATE TRIGGER organizations_parents AFTER INSERT OR UPDATE OF parent_id ON organizations
	FOR EACH ROW EXECUTE FUNCTION khoa_org_parents_keep();

-- Whether the current role may see and change ORG's records.
CREATE FUNCTION khoa_sees(org BIGINT) RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_catalog AS $$
	SELECT EXISTS (
		SELECT 1 FROM registry_roles r
		WHERE pg_has_role(current_user, r.role, 'MEMBER')
		AND (r.organization_id IS NULL OR r.organization_id IN (
			WITH RECURSIVE up (id) AS (
				SELECT org
				UNION SELECT p.parent_id FROM org_parents p JOIN up ON p.id = up.id
				WHERE p.parent_id IS NOT NULL)
			SELECT id FROM up)))
$$;

-- The owners, kept by the database.
ALTER TABLE tokens ADD COLUMN owner_org INTEGER;
UPDATE tokens t SET owner_org = (
	SELECT COALESCE(h.organization_id, p.organization_id) FROM holders h
	LEFT JOIN people p ON p.id = h.person_id
	WHERE h.token_serial = t.serial AND h.valid_to IS NULL);
ALTER TABLE requests ADD COLUMN owner_org INTEGER;
UPDATE requests r SET owner_org = (SELECT owner_org FROM tokens WHERE serial = r.token_serial);
ALTER TABLE lifecycle_requests ADD COLUMN owner_org INTEGER;
UPDATE lifecycle_requests l SET owner_org = COALESCE(l.organization_id,
	(SELECT organization_id FROM people WHERE id = l.person_id));

-- A token's owner follows its holder (as the role that changes the holder:
-- the new owner must be in its scope).
CREATE FUNCTION khoa_token_owner_keep() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_catalog AS $$
BEGIN
	UPDATE tokens SET owner_org = (
		SELECT COALESCE(h.organization_id, p.organization_id) FROM holders h
		LEFT JOIN people p ON p.id = h.person_id
		WHERE h.token_serial = NEW.token_serial AND h.valid_to IS NULL)
	WHERE serial = NEW.token_serial;
	RETURN NEW;
END $$;
CREATE TRIGGER holders_owner AFTER INSERT OR UPDATE ON holders
	FOR EACH ROW EXECUTE FUNCTION khoa_token_owner_keep();

-- A request's owner is its token's, read whoever owns the token (a
-- request filed for another agency's token is then that agency's, and
-- refused).
CREATE FUNCTION khoa_request_owner() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
	NEW.owner_org := (SELECT owner_org FROM tokens WHERE serial = NEW.token_serial);
	RETURN NEW;
END $$;
CREATE TRIGGER requests_owner BEFORE INSERT OR UPDATE ON requests
	FOR EACH ROW EXECUTE FUNCTION khoa_request_owner();

CREATE FUNCTION khoa_lifecycle_owner() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
	NEW.owner_org := COALESCE(NEW.organization_id,
		(SELECT organization_id FROM people WHERE id = NEW.person_id));
	RETURN NEW;
END $$;
CREATE TRIGGER lifecycle_requests_owner BEFORE INSERT OR UPDATE ON lifecycle_requests
	FOR EACH ROW EXECUTE FUNCTION khoa_lifecycle_owner();

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY organizations_read ON organizations FOR SELECT USING (true);
CREATE POLICY organizations_own ON organizations USING (khoa_sees(id))
	WITH CHECK (khoa_sees(id) OR khoa_sees(parent_id));

ALTER TABLE people ENABLE ROW LEVEL SECURITY;
ALTER TABLE people FORCE ROW LEVEL SECURITY;
CREATE POLICY people_own ON people
	USING (organization_id IS NULL OR khoa_sees(organization_id))
	WITH CHECK (organization_id IS NULL OR khoa_sees(organization_id));

ALTER TABLE tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tokens_own ON tokens
	USING (owner_org IS NULL OR khoa_sees(owner_org))
	WITH CHECK (owner_org IS NULL OR khoa_sees(owner_org));

ALTER TABLE requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE requests FORCE ROW LEVEL SECURITY;
CREATE POLICY requests_own ON requests
	USING (owner_org IS NULL OR khoa_sees(owner_org))
	WITH CHECK (owner_org IS NULL OR khoa_sees(owner_org));

ALTER TABLE lifecycle_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE lifecycle_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY lifecycle_requests_own ON lifecycle_requests
	USING (owner_org IS NULL OR khoa_sees(owner_org))
	WITH CHECK (owner_org IS NULL OR khoa_sees(owner_org));
-- end
