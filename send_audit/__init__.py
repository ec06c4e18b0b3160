"""send-audit: a terminal SEND self-evaluation audit for schools in England."""

__version__ = "0.1.0"
