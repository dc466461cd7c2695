-- Corrections of logged contacts (issue 14; DOMAIN.md: corrections keep the old version).
-- One row per correction, in the order the histories keep them (oldest stamp first):
-- the contact it corrected (its time and author), who corrected it and when, and the
-- record (`Correction`, crm's codec: both versions and the stamp).
CREATE TABLE corrections (
    customer_id text COLLATE "C" NOT NULL,
    pos         integer          NOT NULL,
    contact_at  timestamptz      NOT NULL,
    author      text             NOT NULL,
    corrected_by text            NOT NULL,
    corrected_on timestamptz     NOT NULL,
    record      bytea            NOT NULL,
    PRIMARY KEY (customer_id, pos)
);
