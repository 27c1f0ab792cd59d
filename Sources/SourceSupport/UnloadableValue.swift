/// A source value Redshift cannot load and rrr will not change on its own: text holding a NUL
/// character (0x00). "If you do not use NULL AS, null terminators will cause your COPY to fail"
/// (t_preparing-input-data), and stripping it silently could make two keys one. The export stops,
/// naming the table, the column and the row's key, so the value can be cleaned in the source.
public struct UnloadableValue: Error, Sendable, CustomStringConvertible {
    /// The source table, when the client knows it.
    public var table: String?
    /// The column holding the value.
    public var column: String
    /// The row's key columns and their values (NUL shown as `\0`); the first column's when the
    /// export has no key columns.
    public var row: [(String, String)]

    public init(table: String? = nil, column: String, row: [(String, String)]) {
        self.table = table; self.column = column; self.row = row
    }

    public var description: String {
        let where_ = row.map { "\($0.0) = '\($0.1)'" }.joined(separator: ", ")
        return "table `\(table ?? "?")`: column `\(column)` of the row with \(where_) holds a NUL character (0x00), which Redshift "
            + "cannot load (t_preparing-input-data); remove it in the source, e.g. "
            + "UPDATE \(table ?? "t") SET \(column) = REPLACE(\(column), CHAR(0), '') (MySQL) or replace(\(column), char(0), '') (SQLite)"
    }

    /// Shows NUL as `\0` and keeps the text short.
    public static func printable(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes.prefix(200), as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).joined(separator: "\\0")
    }
}
