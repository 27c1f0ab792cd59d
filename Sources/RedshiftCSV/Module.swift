// Module RedshiftCSV: see ARCHITECTURE.md. (Filled in by its issue.)
