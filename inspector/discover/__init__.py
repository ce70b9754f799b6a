"""The discover stage: for a deployed target, what code runs at the address (a proxy's
implementations, a beacon's, a diamond's facets) and where its state lives, read from the chain."""
