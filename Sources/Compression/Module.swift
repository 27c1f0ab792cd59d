// Module Compression: see ARCHITECTURE.md. (Filled in by its issue.)
