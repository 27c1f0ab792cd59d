// Tests for RedshiftCSV.
