"""Audit appends: linked into the chain at commit on PostgreSQL; no second unique index on hash

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 08:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL only. A transaction's records, prepared in Python as their canonical JSON in
# three parts around `prev_hash` and `seq`, go into `audit_pending` as one row; a deferred
# constraint trigger links them when the transaction commits: it locks the chain head
# (SELECT ... FOR UPDATE), numbers and hashes the records, inserts them (their fields read
# back from the canonical JSON, so what is stored is what was hashed), moves the head and
# deletes the pending row, all in the committing transaction. The head's lock is so held only
# for that and the commit's WAL flush, instead of from a statement before COMMIT until the
# client had sent COMMIT and the flush was done: appends from several workers, or from
# machines a network away, no longer queue behind each other's round trips. The pending
# table is UNLOGGED (its rows never outlive their transaction, so a crash can lose nothing
# of it) and its rows are deleted before their transaction ends. `SET CONSTRAINTS
# audit_pending_link IMMEDIATE` links at the end of the inserting statement instead (the test
# suite does, inside its rolled-back transactions); the records are the same either way.
UP = [
    "CREATE UNLOGGED TABLE audit_pending ("
    " id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_audit_pending PRIMARY KEY,"
    " a text[] NOT NULL, b text[] NOT NULL, c text[] NOT NULL)",
    """
CREATE FUNCTION audit_link_pending() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash text;
    canonical text;
    next_hash text;
    doc jsonb;
BEGIN
    SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE;
    FOR i IN 1 .. coalesce(array_length(NEW.a, 1), 0) LOOP
        head_seq := head_seq + 1;
        -- The canonical JSON (see audit/chain.py): its parts around prev_hash and seq.
        canonical := NEW.a[i] || '"' || head_hash || '"' || NEW.b[i] || head_seq::text || NEW.c[i];
        next_hash := encode(sha256(convert_to(head_hash || canonical, 'UTF8')), 'hex');
        doc := canonical::jsonb;
        INSERT INTO audit_record (
            seq, prev_hash, hash, at, actor_type, actor_id, agency_id, action, resource_type,
            resource_id, outcome, changes, ip, user_agent, request_id)
        VALUES (
            head_seq, head_hash, next_hash, (doc->>'at')::timestamptz, doc->>'actor_type',
            doc->>'actor_id', doc->>'agency_id', doc->>'action', doc->>'resource_type',
            doc->>'resource_id', doc->>'outcome', NULLIF(doc->'changes', 'null'::jsonb),
            doc->>'ip', doc->>'user_agent', doc->>'request_id');
        head_hash := next_hash;
    END LOOP;
    UPDATE audit_chain_head SET seq = head_seq, hash = head_hash WHERE id = 1;
    DELETE FROM audit_pending WHERE id = NEW.id;
    RETURN NULL;
END $$
""",
    "CREATE CONSTRAINT TRIGGER audit_pending_link AFTER INSERT ON audit_pending "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_link_pending()",
]
# Both databases: `hash` loses its unique index. `prev_hash` stays unique (no two records can
# claim the same predecessor: the chain cannot fork) and `seq` stays the primary key; a hash
# covers its record's prev_hash, so two equal hashes would need two records with one
# predecessor, which that index refuses already. Every append wrote one more random B-tree
# page for nothing. SQLite drops a unique constraint only by rebuilding the table, which drops
# its triggers with it: the append-only triggers are made again.
# SQLite also gets a trigger that moves the chain head with every record: an append is then
# one INSERT ... SELECT a record, reading the head it follows (see audit/append.py).
SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record "
    "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
    "CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record "
    "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
]
SQLITE_HEAD = (
    "CREATE TRIGGER audit_chain_head_follows AFTER INSERT ON audit_record BEGIN "
    "UPDATE audit_chain_head SET seq = new.seq, hash = new.hash WHERE id = 1; END"
)
DOWN = [
    "DROP TRIGGER IF EXISTS audit_pending_link ON audit_pending",
    "DROP FUNCTION IF EXISTS audit_link_pending()",
    "DROP TABLE IF EXISTS audit_pending",
]


def _unique_hash(unique: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("audit_record", recreate="always" if sqlite else "auto") as batch:
        if unique:
            batch.create_unique_constraint(op.f("uq_audit_record_hash"), ["hash"])
        else:
            batch.drop_constraint(op.f("uq_audit_record_hash"), type_="unique")
    if sqlite:  # the rebuilt table has lost its triggers
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def upgrade() -> None:
    _unique_hash(False)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_HEAD)
    else:
        for statement in UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWN:
            op.execute(statement)
    _unique_hash(True)  # on SQLite, the rebuild drops the head trigger with the old table
