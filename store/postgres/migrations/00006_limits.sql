-- +goose Up
-- The per-address rate limits' token buckets (allowances.go), one row per
-- limit and client, shared by every instance. client is an HMAC of the
-- address, never the address. full_at is when the bucket has refilled: the
-- row says nothing more than a missing one then, and is swept.
--
-- UNLOGGED: no WAL, so a take commits without waiting for a disk flush (a
-- whole office joining at once updates one row in turn), at the price of
-- an empty table after a crash of the database, and none on a standby:
-- then every client starts with its full allowance, which is what a limit
-- may safely forget.
CREATE UNLOGGED TABLE allowances (
    name       text NOT NULL,
    client     bytea NOT NULL,
    tokens     double precision NOT NULL,
    updated_at timestamptz NOT NULL,
    full_at    timestamptz NOT NULL,
    PRIMARY KEY (name, client)
);
CREATE INDEX allowances_full_at ON allowances (full_at);

-- +goose Down
DROP TABLE allowances;
