-- +goose Up
-- A workshop is a project kick-off where a team answers the questionnaire
-- together. Only a SHA-256 hash of the facilitator key is kept: a copy of the
-- database does not let anyone reveal or close a workshop.
CREATE TABLE workshops (
    code        TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    context     TEXT NOT NULL DEFAULT '',
    anonymous   INTEGER NOT NULL,
    key_hash    BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    revealed_at TEXT,
    closed_at   TEXT
) STRICT;

-- A participant's latest answers and evaluation are kept here for the team
-- view; each submission is also a results row, the participant's own share
-- link, which later submissions never change. The last CHECK keeps a
-- participant either not yet submitted or submitted in full.
CREATE TABLE participants (
    id           TEXT PRIMARY KEY,
    workshop     TEXT NOT NULL REFERENCES workshops (code) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    joined_at    TEXT NOT NULL,
    submitted_at TEXT,
    answers      TEXT CHECK (answers IS NULL OR json_valid(answers)),
    evaluation   TEXT CHECK (evaluation IS NULL OR json_valid(evaluation)),
    result_id    TEXT REFERENCES results (id),
    CHECK ((submitted_at IS NULL) = (answers IS NULL)
       AND (answers IS NULL) = (evaluation IS NULL)
       AND (evaluation IS NULL) = (result_id IS NULL))
) STRICT;

-- id as well, so listing in joining order (joined_at, then id) needs no sort.
CREATE INDEX participants_by_workshop ON participants (workshop, joined_at, id);

-- +goose Down
DROP TABLE participants;
DROP TABLE workshops;
