-- +goose Up
-- A result may carry the name of the decision it is for ("Booking platform
-- v2"), given when it is saved; results stored before have none ('').
ALTER TABLE results ADD COLUMN name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE results DROP COLUMN name;
