// Tests for RedshiftReplicator.
