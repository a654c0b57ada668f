-- +goose Up
-- A result is the answers and the evaluation as they were when stored: the
-- share link shows exactly what its author saw, even after the ruleset changes.
CREATE TABLE results (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    ruleset    TEXT NOT NULL,
    answers    TEXT NOT NULL CHECK (json_valid(answers)),
    evaluation TEXT NOT NULL CHECK (json_valid(evaluation))
) STRICT;

-- Values the server generates once and must keep across restarts (session keys).
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

-- +goose Down
DROP TABLE settings;
DROP TABLE results;
