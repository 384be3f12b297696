"""The generic line syntax: words, values and the parser that builds them."""
