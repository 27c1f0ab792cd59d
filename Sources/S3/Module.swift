// Module S3: see ARCHITECTURE.md. (Filled in by its issue.)
