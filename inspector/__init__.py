"""inspector: who can change what in a set of Solidity contracts, how fast, with how many keys."""

__version__ = "0.1.0"
