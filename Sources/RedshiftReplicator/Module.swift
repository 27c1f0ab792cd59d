// Module RedshiftReplicator: see ARCHITECTURE.md. (Filled in by its issue.)
