"""Golden transcripts: sessions as a person sees them, replayed and compared exactly."""
