"""Webhooks: partner systems told of changes as they happen (Standard Webhooks), delivered
by `oversight worker` from the change outbox."""
