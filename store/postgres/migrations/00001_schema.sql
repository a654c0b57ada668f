-- +goose Up
-- The schema of store/migrations (SQLite) as it stands at its version 4, in
-- PostgreSQL's types: one step, since PostgreSQL starts from here. json (not
-- jsonb) keeps the bytes as they were written, as SQLite does: the team view
-- and a participant's share link hold the same text.

-- A result is the answers and the evaluation as they were when stored.
CREATE TABLE results (
    id         text PRIMARY KEY,
    created_at timestamptz NOT NULL,
    name       text NOT NULL DEFAULT '',
    ruleset    text NOT NULL,
    answers    json NOT NULL,
    evaluation json NOT NULL
);

-- Values the server generates once and every instance shares (session keys).
CREATE TABLE settings (
    name  text PRIMARY KEY,
    value bytea NOT NULL
);

-- Only a SHA-256 hash of the facilitator key is kept.
CREATE TABLE workshops (
    code        text PRIMARY KEY,
    title       text NOT NULL,
    context     text NOT NULL DEFAULT '',
    anonymous   boolean NOT NULL,
    key_hash    bytea NOT NULL,
    created_at  timestamptz NOT NULL,
    revealed_at timestamptz,
    closed_at   timestamptz,
    capacity    integer NOT NULL DEFAULT 500 CHECK (capacity > 0),
    locked_at   timestamptz
);

-- The last CHECK keeps a participant either not yet submitted or submitted in full.
CREATE TABLE participants (
    id           text PRIMARY KEY,
    workshop     text NOT NULL REFERENCES workshops (code) ON DELETE CASCADE,
    name         text NOT NULL,
    joined_at    timestamptz NOT NULL,
    submitted_at timestamptz,
    answers      json,
    evaluation   json,
    result_id    text REFERENCES results (id),
    CHECK ((submitted_at IS NULL) = (answers IS NULL)
       AND (answers IS NULL) = (evaluation IS NULL)
       AND (evaluation IS NULL) = (result_id IS NULL))
);

CREATE INDEX participants_by_workshop ON participants (workshop, joined_at, id);

-- +goose Down
DROP TABLE participants;
DROP TABLE workshops;
DROP TABLE settings;
DROP TABLE results;
