// Tests for ExportFiles.
