"""The compile stage: finding a compiler (native solc, py-solc-x, solcjs through the shim) and
running it on a bundle's standard-JSON input, cached in the store by that input. It loads no
Slither: loading the outputs into Slither is the facts stage's first step (facts/slither_load.py)."""
