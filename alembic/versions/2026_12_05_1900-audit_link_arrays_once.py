"""The audit chain's commit-time link (PostgreSQL) reads the transaction's records once

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 19:00

`audit_link_pending()` (migration 0006) read `NEW.a[i]`, `NEW.b[i]` and `NEW.c[i]` straight
from the trigger's row: each subscript of a row field detoasts the whole array again, so
linking n records cost O(n²) bytes copied. A board update for a year records about 5,000
classified reads in one transaction: linking them took 5.6 s. The arrays are now copied into
local variables once (PL/pgSQL keeps them expanded, so a subscript is O(1)): 0.16 s for the
same 5,000. The records, their order and their hashes are unchanged. SQLite links each record
as it is inserted and is untouched.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BODY = """
CREATE OR REPLACE FUNCTION audit_link_pending() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash text;
    canonical text;
    next_hash text;
    doc jsonb;{declare}
BEGIN
    SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE;
    FOR i IN 1 .. coalesce(array_length({a}, 1), 0) LOOP
        head_seq := head_seq + 1;
        -- The canonical JSON (see audit/chain.py): its parts around prev_hash and seq.
        canonical := {a}[i] || '"' || head_hash || '"' || {b}[i] || head_seq::text || {c}[i];
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
"""
ONCE = _BODY.format(
    declare="\n    pa text[] := NEW.a;\n    pb text[] := NEW.b;\n    pc text[] := NEW.c;",
    a="pa",
    b="pb",
    c="pc",
)
PER_SUBSCRIPT = _BODY.format(declare="", a="NEW.a", b="NEW.b", c="NEW.c")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ONCE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PER_SUBSCRIPT)
