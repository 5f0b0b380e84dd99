-- 0010: what must have a single writer, held by the database itself (issue
-- 14): with several khoad on one registry, two workstations may check the
-- same organization token out of the seal register, or register the same
-- token, at the same moment; each would find no open entry before it
-- writes. One open seal-register entry per token, one current holder per
-- token: the second writer's INSERT fails, and khoad answers it as if it
-- had found the first (io.khoa.SealOut, io.khoa.AlreadyRegistered).
-- Portable SQL, as 0001.

CREATE UNIQUE INDEX seal_log_open ON seal_log (token_serial) WHERE in_at IS NULL;
CREATE UNIQUE INDEX holders_open ON holders (token_serial) WHERE valid_to IS NULL;
