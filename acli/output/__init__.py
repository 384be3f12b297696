"""Results that handlers return, and the renderers that own every byte printed."""

OUTPUT_FORMATS = ("text", "json", "json-pretty")
JSON_FORMATS = ("json", "json-pretty")
