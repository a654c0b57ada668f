-- +goose Up
-- A workshop takes at most capacity participants, and none while locked:
-- the join transaction counts and checks both, so two people cannot take
-- the last place. Existing workshops get the default cap.
ALTER TABLE workshops ADD COLUMN capacity INTEGER NOT NULL DEFAULT 500 CHECK (capacity > 0);
ALTER TABLE workshops ADD COLUMN locked_at TEXT;

-- +goose Down
ALTER TABLE workshops DROP COLUMN locked_at;
ALTER TABLE workshops DROP COLUMN capacity;
