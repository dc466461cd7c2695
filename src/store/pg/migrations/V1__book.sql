-- The book in PostgreSQL, version 1.
--
-- `events` is the truth: one row per change, never updated or deleted. `payload` is the
-- whole event as the store codec writes it ([u16 format version][bincode]), so the event's
-- envelope can grow without a schema change; seq/at/actor/kind are copies for SQL users.
--
-- The other tables are the records as of the last event, written in the same transaction
-- as the event. Each row carries `record`, the record in the store codec (what crm reads
-- back, exactly); the other columns are the same record spelled out for reports in SQL.
-- Text columns hold the text as written, except that NUL and U+0001 (which PostgreSQL
-- text cannot hold, or which would clash with that) are written as U+0001 U+0001 and
-- U+0001 U+0002; ids keep their byte order that way.
-- Histories are per customer, in crm's order (`pos`, from 0); a history may exist for an
-- id without a profile (crm keeps it and never shows it), so there are no foreign keys.

CREATE TABLE events (
    seq     bigint      PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   text        NOT NULL,
    kind    text        NOT NULL,
    payload bytea       NOT NULL
);
CREATE INDEX events_at ON events (at);
CREATE INDEX events_actor_at ON events (actor, at);

-- One row: the last event applied and the id counters (above every id ever applied).
CREATE TABLE book (
    one         boolean PRIMARY KEY DEFAULT true CHECK (one),
    applied_seq bigint  NOT NULL,
    next_task   bigint  NOT NULL,
    next_cycle  bigint  NOT NULL
);
INSERT INTO book (applied_seq, next_task, next_cycle) VALUES (0, 1, 1);

CREATE TABLE customers (
    id             text COLLATE "C" PRIMARY KEY,
    name           text             NOT NULL,
    kind           text             NOT NULL,
    segment        text             NOT NULL,
    owner          text             NOT NULL,
    created        date             NOT NULL,
    tags           text[]           NOT NULL,
    category_spend double precision,
    note           text             NOT NULL,
    lost_on        date,
    lost_reason    text,
    record         bytea            NOT NULL
);
CREATE INDEX customers_owner ON customers (owner);
CREATE INDEX customers_segment ON customers (segment);
CREATE INDEX customers_lower_name ON customers (lower(name));
CREATE INDEX customers_lost_on ON customers (lost_on) WHERE lost_on IS NOT NULL;

CREATE TABLE contacts (
    customer_id text COLLATE "C" NOT NULL,
    pos         integer          NOT NULL,
    name        text             NOT NULL,
    role        text             NOT NULL,
    phone       text             NOT NULL,
    email       text             NOT NULL,
    PRIMARY KEY (customer_id, pos)
);
CREATE INDEX contacts_lower_email ON contacts (lower(email));
CREATE INDEX contacts_phone ON contacts (phone);

CREATE TABLE interactions (
    customer_id  text COLLATE "C" NOT NULL,
    pos          integer          NOT NULL,
    at           timestamptz      NOT NULL,
    channel      text             NOT NULL,
    direction    text             NOT NULL,
    purpose      text             NOT NULL,
    outcome      text             NOT NULL,
    satisfaction smallint,
    signals      text[]           NOT NULL,
    note         text             NOT NULL,
    follow_up    date,
    author       text             NOT NULL,
    record       bytea            NOT NULL,
    PRIMARY KEY (customer_id, pos)
);
CREATE INDEX interactions_at ON interactions (at);
CREATE INDEX interactions_author_at ON interactions (author, at);

CREATE TABLE orders (
    customer_id text COLLATE "C" NOT NULL,
    pos         integer          NOT NULL,
    date        date             NOT NULL,
    amount      double precision NOT NULL,
    margin      double precision,
    record      bytea            NOT NULL,
    PRIMARY KEY (customer_id, pos)
);
CREATE INDEX orders_date ON orders (date);

CREATE TABLE bonds (
    customer_id text COLLATE "C" NOT NULL,
    pos         integer          NOT NULL,
    level       text             NOT NULL,
    kind        text             NOT NULL,
    since       date             NOT NULL,
    until       date,
    note        text             NOT NULL,
    record      bytea            NOT NULL,
    PRIMARY KEY (customer_id, pos)
);
CREATE INDEX bonds_level ON bonds (level);

-- Task ids are crm's u64 ids as bigint (two's complement above 2^63 - 1).
CREATE TABLE tasks (
    customer_id text COLLATE "C" NOT NULL,
    pos         integer          NOT NULL,
    id          bigint           NOT NULL,
    due         date             NOT NULL,
    text        text             NOT NULL,
    origin      text             NOT NULL,
    done        date,
    record      bytea            NOT NULL,
    PRIMARY KEY (customer_id, pos)
);
CREATE INDEX tasks_customer_id ON tasks (customer_id, id);
CREATE INDEX tasks_open_due ON tasks (due) WHERE done IS NULL;

-- Cycle ids are crm's u64 ids as bigint (two's complement above 2^63 - 1).
CREATE TABLE cycles (
    id          bigint PRIMARY KEY,
    title       text   NOT NULL,
    scope       text   NOT NULL,
    owner       text   NOT NULL,
    created     date   NOT NULL,
    phase       text   NOT NULL,
    metric      text,
    check_date  date,
    record      bytea  NOT NULL
);
CREATE INDEX cycles_owner ON cycles (owner);
CREATE INDEX cycles_phase ON cycles (phase);

CREATE TABLE users (
    login  text COLLATE "C" PRIMARY KEY,
    name   text             NOT NULL,
    role   text             NOT NULL,
    team   text,
    record bytea            NOT NULL
);
CREATE INDEX users_team ON users (team);
