"""Results that handlers return, and the renderers that own every byte printed."""
