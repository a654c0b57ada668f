-- +goose Up
-- A workshop's places, one row per place of its capacity, made with the
-- workshop. A join claims a free one (SELECT … FOR UPDATE SKIP LOCKED), so
-- concurrent joins to one workshop each take a different place without
-- waiting for each other's commit, and the cap holds across instances: no
-- place, no join. Removing a participant frees their place (ON DELETE SET
-- NULL). Versions 2 to 4 are SQLite's own (store/migrations); this one
-- keeps PostgreSQL's numbering clear of them.
CREATE TABLE places (
    workshop    text NOT NULL REFERENCES workshops (code) ON DELETE CASCADE,
    n           integer NOT NULL CHECK (n > 0),
    participant text UNIQUE REFERENCES participants (id) ON DELETE SET NULL,
    PRIMARY KEY (workshop, n)
);

-- Where a join looks for a free place: taken ones leave the index.
CREATE INDEX places_free ON places (workshop, n) WHERE participant IS NULL;

-- The workshops made before: every place, the first ones taken by their
-- participants in joining order.
INSERT INTO places (workshop, n, participant)
SELECT w.code, s.n, p.id
FROM workshops w
CROSS JOIN LATERAL generate_series(1, w.capacity) AS s (n)
LEFT JOIN (SELECT id, workshop, row_number() OVER (PARTITION BY workshop ORDER BY joined_at, id) AS n
           FROM participants) p ON p.workshop = w.code AND p.n = s.n;

-- +goose Down
DROP TABLE places;
