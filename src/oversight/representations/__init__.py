"""Representations built once per version at write time: what a list serves of an item that
is the same for every reader, stored as JSON beside it; what differs by reader (names,
recipients, links) is added at read time."""
