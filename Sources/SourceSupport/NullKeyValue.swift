/// A row whose key column holds NULL, found while exporting.
///
/// The merge in Redshift matches rows by key with `=`, which never matches NULL: such a row would
/// be inserted again on every run. SQLite lets a PRIMARY KEY other than `INTEGER PRIMARY KEY` hold
/// NULL, so its export checks every row's key instead of refusing the table; the export stops
/// before anything is loaded.
public struct NullKeyValue: Error, Sendable, CustomStringConvertible {
    /// The source table.
    public var table: String
    /// The key column holding NULL.
    public var column: String

    public init(table: String, column: String) {
        self.table = table; self.column = column
    }

    public var description: String {
        "table `\(table)`: the key column `\(column)` holds NULL in at least one row; Redshift's merge cannot match a NULL key, "
            + "so the row would be copied again on every run. Give the row a key (or delete it) in the source: "
            + "SELECT * FROM \(table) WHERE \(column) IS NULL"
    }
}
