"""Oversight: the information-sharing API of a cybercrime strategic oversight group."""

__version__ = "0.1.0"
