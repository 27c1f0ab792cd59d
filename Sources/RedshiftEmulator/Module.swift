// Module RedshiftEmulator: see ARCHITECTURE.md. (Filled in by its issue.)
