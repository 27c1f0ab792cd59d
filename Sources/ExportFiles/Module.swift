// Module ExportFiles: see ARCHITECTURE.md. (Filled in by its issue.)
