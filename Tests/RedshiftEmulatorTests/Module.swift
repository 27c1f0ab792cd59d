// Tests for RedshiftEmulator.
