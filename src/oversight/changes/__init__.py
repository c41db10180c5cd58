"""The change feed: content-free events written in the transaction of each change (the
outbox), read back in commit order under the reader's classification."""
