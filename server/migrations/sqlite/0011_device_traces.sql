-- What the server keeps of the browser behind each session, so that a device whose storage
-- the browser erased (WebKit after seven days without a visit, any browser short of space) can
-- be told what the server still has: the browser keeps a random mark in a cookie, which no
-- script can read or erase, and the session keeps its hash with the device's pushes.
ALTER TABLE sessions ADD COLUMN mark_hash TEXT;
ALTER TABLE sessions ADD COLUMN last_push_at INTEGER;
ALTER TABLE sessions ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_by_mark ON sessions (mark_hash) WHERE mark_hash IS NOT NULL;
